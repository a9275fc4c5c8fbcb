import Foundation
import Support

/// A binary form of a BPE `tokenizer.json`, kept in a directory and named by a hash of the JSON's
/// bytes, so that a large vocabulary loads without parsing JSON: the vocabulary and merges are
/// stored as bytes and id pairs, the rest of the document as compact JSON.
///
/// A cache file is used only when its header names the exact JSON it was made from (hash and
/// length) and its contents match the checksum at its end; a missing, stale, truncated or
/// damaged one is rebuilt from the JSON, never trusted.
/// Files are written atomically, so concurrent loaders see a whole file or none.
public enum TokenizerCache {
    private static let magic = Array("PTCACHE2".utf8)

    /// The tokenizer of the `tokenizer.json` at `path`, read from its cache file in `directory`
    /// when there is a valid one, else from the JSON (then the cache file is written, when the
    /// model is BPE and the directory can be written). Errors are those of loading the JSON.
    /// Files of other formats are loaded as they are, without a cache.
    public static func load(_ path: String, directory: String) throws -> Tokenizer {
        guard try TokenizerFormat.detect(path) == .huggingFace else { return try Tokenizer(contentsOf: path) }
        let bytes = try InputFile.read(path)
        let key = bytes.withUnsafeBytes { ByteStringTable.hash($0.bindMemory(to: UInt8.self)) }
        let name = PathName.join(directory, String(format: "%016llx-%d.ptcache", key, bytes.count))
        if let cached = try? Data(contentsOf: URL(fileURLWithPath: name)), let tokenizer = decode(cached, key: key, length: bytes.count, source: path) {
            return tokenizer
        }
        let document = try JSONValue.parse(bytes, source: path)
        let tokenizer = try Tokenizer(json: document, source: path)
        if let encoded = encode(tokenizer, key: key, length: bytes.count) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            if let output = try? AtomicOutput(name, kind: .file, replacing: true) { try? output.write(encoded) }
        }
        return tokenizer
    }

    /// The cache file of `tokenizer`, or nil when its model is not BPE.
    static func encode(_ tokenizer: Tokenizer, key: UInt64, length: Int) -> Data? {
        guard let model = tokenizer.model as? BPEModel else { return nil }
        var out = magic
        append(key, to: &out)
        append(UInt64(length), to: &out)
        out.append(tokenizer.mergesFormat.map { $0 == .pairs ? 1 : 2 } ?? 0)
        let document = Array(JSONWriter.compact(tokenizer.document).utf8)
        append(UInt64(document.count), to: &out)
        out += document
        let entries = model.vocabulary.entries
        append(UInt64(entries.count), to: &out)
        for entry in entries {
            append(UInt32(entry.id), to: &out)
            append(UInt32(entry.token.count), to: &out)
            out += entry.token
        }
        append(UInt64(model.merges.count), to: &out)
        for ((left, right), result) in zip(model.merges, model.mergeResults) {
            append(left, to: &out)
            append(right, to: &out)
            append(result, to: &out)
        }
        append(out.withUnsafeBufferPointer { ByteStringTable.hash($0) }, to: &out)
        return Data(out)
    }

    /// The tokenizer in `data`, or nil when `data` is not a whole cache file of the JSON with
    /// this hash and length.
    static func decode(_ data: Data, key: UInt64, length: Int, source: String) -> Tokenizer? {
        data.withUnsafeBytes { whole -> Tokenizer? in
            guard whole.count >= 8 else { return nil }
            let raw = UnsafeRawBufferPointer(rebasing: whole[..<(whole.count - 8)])
            guard ByteStringTable.hash(raw.bindMemory(to: UInt8.self))
                    == UInt64(littleEndian: whole.loadUnaligned(fromByteOffset: whole.count - 8, as: UInt64.self)) else { return nil }
            var reader = Reader(bytes: raw)
            guard reader.bytes(magic.count).map(Array.init) == magic, reader.uint64() == key, reader.uint64() == UInt64(length),
                  let format = reader.byte(), format <= 2,
                  let documentLength = reader.count(), let documentBytes = reader.bytes(documentLength),
                  let document = try? JSONValue.parse(Data(documentBytes), source: source),
                  let tokenCount = reader.count() else { return nil }
            var vocabulary = Vocabulary(capacity: tokenCount)
            let limit = Tokenizer.idLimit(entries: tokenCount + 1024)
            for _ in 0..<tokenCount {
                guard let id = reader.uint32(), Int(id) < limit, let length = reader.uint32(), let token = reader.bytes(Int(length)),
                      vocabulary.id(for: token) == nil, vocabulary.token(for: id) == nil else { return nil }
                vocabulary.insert(token, id: id)
            }
            guard let mergeCount = reader.count() else { return nil }
            var merges: [(TokenID, TokenID)] = []
            var results: [TokenID] = []
            merges.reserveCapacity(mergeCount)
            results.reserveCapacity(mergeCount)
            for _ in 0..<mergeCount {
                guard let left = reader.uint32(), let right = reader.uint32(), let result = reader.uint32() else { return nil }
                merges.append((left, right))
                results.append(result)
            }
            guard reader.isAtEnd else { return nil }
            let tables = Tokenizer.BPETables(vocabulary: vocabulary, merges: merges, results: results,
                                             mergesFormat: format == 1 ? .pairs : format == 2 ? .strings : nil)
            return try? Tokenizer(json: document, source: source, bpeTables: tables)
        }
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }

    /// Reads a cache file front to back; every read is bounds-checked.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        var isAtEnd: Bool { offset == bytes.count }

        mutating func bytes(_ count: Int) -> UnsafeBufferPointer<UInt8>? {
            guard count >= 0, count <= bytes.count - offset else { return nil }
            defer { offset += count }
            return UnsafeBufferPointer(rebasing: bytes.bindMemory(to: UInt8.self)[offset..<(offset + count)])
        }

        mutating func byte() -> UInt8? { bytes(1)?.first }

        mutating func uint32() -> UInt32? {
            guard let raw = bytes(4) else { return nil }
            return UInt32(littleEndian: UnsafeRawPointer(raw.baseAddress!).loadUnaligned(as: UInt32.self))
        }

        mutating func uint64() -> UInt64? {
            guard let raw = bytes(8) else { return nil }
            return UInt64(littleEndian: UnsafeRawPointer(raw.baseAddress!).loadUnaligned(as: UInt64.self))
        }

        /// A count no larger than the bytes left, so that a damaged file cannot ask for a huge allocation.
        mutating func count() -> Int? {
            guard let value = uint64(), value <= UInt64(bytes.count - offset) else { return nil }
            return Int(value)
        }
    }
}
