import Foundation
import Support
import SwiftProtobuf
import TextProcessing

/// A SentencePiece model file (`tokenizer.model`, the `ModelProto` protobuf of
/// `sentencepiece_model.proto`): its pieces with scores and types, its normalizer spec and the
/// trainer options that shape encoding. BPE and Unigram models are supported.
public struct SentencePieceModelFile: Sendable {
    /// The kind of model.
    public enum Kind: String, Sendable {
        case unigram, bpe
    }

    /// How a piece takes part in encoding (`ModelProto.SentencePiece.Type`).
    public enum PieceType: Int, Sendable {
        /// An ordinary piece.
        case normal = 1
        /// The unknown piece (exactly one).
        case unknown
        /// A control piece (`<s>`, `</s>`): never produced from text.
        case control
        /// A user-defined piece: always matched whole in text, never normalized.
        case userDefined
        /// A piece never produced (Unigram skips it).
        case unused
        /// A byte piece `<0xNN>` of byte fallback.
        case byte
    }

    /// One piece of the vocabulary; its id is its position.
    public struct Piece: Sendable, Equatable {
        public var piece: String
        public var score: Float
        public var type: PieceType

        public init(_ piece: String, score: Float, type: PieceType = .normal) {
            self.piece = piece
            self.score = score
            self.type = type
        }
    }

    var proto: Sentencepiece_ModelProto
    /// The file the model was read from (for errors).
    public let path: String

    /// Reads and checks the model file at `path`. Errors name the file and the piece or field.
    public init(contentsOf path: String) throws {
        try self.init(InputFile.read(path), path: path)
    }

    /// Parses and checks a serialized model; `path` names it in errors.
    public init(_ data: Data, path: String) throws {
        do {
            proto = try Sentencepiece_ModelProto(serializedBytes: data)
        } catch {
            throw InputError(path, "is not a SentencePiece model (the protobuf does not parse: \(error))")
        }
        self.path = path
        try validate()
    }

    init(proto: Sentencepiece_ModelProto, path: String) throws {
        self.proto = proto
        self.path = path
        try validate()
    }

    /// The serialized model.
    public var data: Data {
        get throws { try proto.serializedBytes() }
    }

    /// The model kind.
    public var kind: Kind { proto.trainerSpec.modelType == .bpe ? .bpe : .unigram }

    /// The pieces, by id.
    public var pieces: [Piece] {
        proto.pieces.map { Piece($0.piece, score: $0.score, type: PieceType(rawValue: $0.type.rawValue) ?? .normal) }
    }

    /// Whether unknown characters are spelled with byte pieces.
    public var byteFallback: Bool { proto.trainerSpec.byteFallback }

    /// The normalizer of the model (`normalizer_spec`), applied exactly as `sentencepiece` does.
    public var normalizer: SentencePieceNormalizer {
        get throws {
            let spec = proto.normalizerSpec
            let charsMap = spec.precompiledCharsmap.isEmpty
                ? nil : try PrecompiledCharsMap([UInt8](spec.precompiledCharsmap), path: "\(path): normalizer_spec.precompiled_charsmap")
            return SentencePieceNormalizer(
                charsMap: charsMap, addDummyPrefix: spec.addDummyPrefix, removeExtraWhitespaces: spec.removeExtraWhitespaces,
                escapeWhitespaces: spec.escapeWhitespaces, whitespaceAsSuffix: proto.trainerSpec.treatWhitespaceAsSuffix,
                protectedSymbols: pieces.filter { $0.type == .userDefined }.map(\.piece))
        }
    }

    /// Whether the first bytes of a file look like a SentencePiece model: a length-delimited
    /// `pieces` entry (field 1) that starts with its `piece` string (field 1), followed by the
    /// entry's end, its `score` (field 2, 32-bit) or its `type` (field 3, varint).
    public static func looksLikeModel(_ prefix: Data) -> Bool {
        let bytes = [UInt8](prefix.prefix(512))
        var index = 0
        func varint() -> Int? {
            var value = 0, shift = 0
            while index < bytes.count, shift < 35 {
                let byte = bytes[index]
                index += 1
                value |= Int(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        guard bytes.first == 0x0A else { return false }
        index = 1
        guard let entryLength = varint(), index < bytes.count, bytes[index] == 0x0A else { return false }
        let entryStart = index
        index += 1
        guard let pieceLength = varint(), pieceLength > 0 else { return false }
        index += pieceLength
        if index - entryStart == entryLength { return true }
        return index < bytes.count && (bytes[index] == 0x15 || bytes[index] == 0x18)
    }

    /// The checks `sentencepiece` makes when it loads a model, and what Polytoken supports.
    private func validate() throws {
        func fail(_ message: String) -> ConfigurationError { ConfigurationError(path: path, message: message) }
        switch proto.trainerSpec.modelType {
        case .unigram, .bpe: break
        case let other: throw fail("trainer_spec.model_type: \(other) models are not supported (supported: UNIGRAM, BPE)")
        }
        guard !proto.pieces.isEmpty else { throw fail("pieces: the model has no pieces") }
        // Keyed by bytes: canonically equivalent pieces (Llama-2 has two "ί") are distinct.
        var normal = Set<[UInt8]>(), reserved = Set<[UInt8]>()
        var unknown: Int?
        var bytes = Set<UInt8>()
        for (id, entry) in proto.pieces.enumerated() {
            let field = "pieces[\(id)]"
            guard !entry.piece.isEmpty else { throw fail("\(field).piece: empty") }
            guard entry.score.isFinite else { throw fail("\(field).score: \(entry.score) is not finite") }
            // An unknown type number reads as NORMAL, in protobuf as in sentencepiece.
            let type = PieceType(rawValue: entry.type.rawValue) ?? .normal
            let isNormal = type == .normal || type == .userDefined || type == .unused
            let key = Array(entry.piece.utf8)
            let inserted = isNormal ? normal.insert(key).inserted : reserved.insert(key).inserted
            guard inserted else {
                throw fail("\(field).piece: \(entry.piece.debugDescription) is already defined")
            }
            switch type {
            case .unknown:
                if let unknown { throw fail("\(field): a second unknown piece (the first is pieces[\(unknown)])") }
                unknown = id
            case .byte:
                guard proto.trainerSpec.byteFallback else { throw fail("\(field): byte piece \(entry.piece.debugDescription) although trainer_spec.byte_fallback is false") }
                guard let byte = ByteFallbackDecoder.byte(of: entry.piece) else { throw fail("\(field): \(entry.piece.debugDescription) is not a byte piece <0xNN>") }
                bytes.insert(byte)
            case .unused where kind == .bpe:
                throw fail("\(field): UNUSED pieces in a BPE model are not supported")
            default: break
            }
        }
        guard unknown != nil else { throw fail("pieces: no unknown piece") }
        if proto.trainerSpec.byteFallback, bytes.count != 256 {
            throw fail("pieces: \(bytes.count) byte pieces although trainer_spec.byte_fallback is true (256 are needed)")
        }
        if !proto.normalizerSpec.precompiledCharsmap.isEmpty {
            _ = try normalizer
        }
    }
}
