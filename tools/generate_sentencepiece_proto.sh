#!/usr/bin/env bash
# Regenerates Sources/Tokenization/Formats/SentencePiece/sentencepiece_model.pb.swift from
# tools/proto/sentencepiece_model.proto (google/sentencepiece's src/sentencepiece_model.proto,
# Apache-2.0), with Debian's protoc and the protoc-gen-swift of the swift-protobuf version
# Package.swift resolves. Run from the repository root after `swift package resolve`.
set -euo pipefail
command -v protoc >/dev/null || { echo "protoc is missing: apt-get install protobuf-compiler" >&2; exit 1; }
plugin_build=$(mktemp -d)
trap 'rm -rf "$plugin_build"' EXIT
swift build -c release --package-path .build/checkouts/swift-protobuf --scratch-path "$plugin_build" --product protoc-gen-swift
protoc --plugin=protoc-gen-swift="$plugin_build/release/protoc-gen-swift" \
    --swift_opt=Visibility=Internal \
    --proto_path=tools/proto \
    --swift_out=Sources/Tokenization/Formats/SentencePiece \
    tools/proto/sentencepiece_model.proto
