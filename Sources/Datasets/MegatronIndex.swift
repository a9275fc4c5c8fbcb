import Foundation
import Support

/// The `.idx` of a Megatron indexed dataset, read and checked against its `.bin`: the header,
/// and where each array lies. The arrays themselves are read on demand.
public struct MegatronIndex: Sendable {
    /// The `.idx` path.
    public let path: String
    /// The `.bin` path.
    public let dataPath: String
    /// The id type.
    public let dtype: TokenDType
    /// The number of sequences.
    public let sequenceCount: Int
    /// The number of documents (one less than the document-index array's length).
    public let documentCount: Int

    /// The byte offset of the sequence lengths (`int32`) in the `.idx`.
    public var lengthsOffset: Int { MegatronDatasetWriter.headerSize }
    /// The byte offset of the sequence pointers (`int64`).
    public var pointersOffset: Int { lengthsOffset + 4 * sequenceCount }
    /// The byte offset of the document indices (`int64`, ``documentCount`` + 1 of them).
    public var documentIndicesOffset: Int { pointersOffset + 8 * sequenceCount }

    /// Reads the index of the dataset at `prefix` (`PREFIX.idx`, `PREFIX.bin`); errors name the
    /// file and the field that is wrong.
    public init(prefix: String) throws {
        path = prefix + ".idx"
        dataPath = prefix + ".bin"
        guard let status = FileStatus(path: path), status.kind == .regular else {
            throw DatasetError(path, FileStatus(path: path) == nil ? "no such file" : "not a regular file")
        }
        let size = status.size
        let header = try Self.readBytes(path, count: min(size, MegatronDatasetWriter.headerSize), at: 0)
        guard header.count == MegatronDatasetWriter.headerSize else { throw DatasetError(path, "too short for a Megatron index header (\(header.count) bytes)") }
        guard Array(header[0..<9]) == MegatronDatasetWriter.magic else { throw DatasetError(path, "not a Megatron index (no MMIDIDX header)") }
        func integer(_ offset: Int) -> UInt64 { header.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) } }
        guard integer(9) == 1 else { throw DatasetError(path, "version \(integer(9)), only version 1 is known") }
        guard let dtype = TokenDType(megatronCode: header[17]) else { throw DatasetError(path, "dtype code \(header[17]) is not a token id type (8 uint16, 4 int32)") }
        self.dtype = dtype
        let sequences = integer(18), documents = integer(26)
        guard sequences < UInt64(Int32.max) * 64, documents >= 1, documents < UInt64(Int32.max) * 64 else {
            throw DatasetError(path, "sequence count \(sequences) or document count \(documents) is impossible")
        }
        sequenceCount = Int(sequences)
        documentCount = Int(documents) - 1
        let expected = MegatronDatasetWriter.headerSize + 12 * sequenceCount + 8 * (documentCount + 1)
        guard size == expected else {
            throw DatasetError(path, "is \(size) bytes; \(sequenceCount) sequences and \(documentCount) documents need \(expected)\(size == expected + sequenceCount ? " (a multimodal index, whose modes are not supported)" : "")")
        }
    }

    /// Reads `count` little-endian values of type `T` at byte `offset` of the `.idx`.
    func read<T: FixedWidthInteger>(_: T.Type, count: Int, at offset: Int) throws -> [T] {
        let bytes = try Self.readBytes(path, count: count * MemoryLayout<T>.size, at: offset)
        return bytes.withUnsafeBytes { raw in (0..<count).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) } }
    }

    /// Reads exactly `count` bytes at `offset` of `path`.
    static func readBytes(_ path: String, count: Int, at offset: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DatasetError(path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if read < 0 && errno == EINTR { continue }
            guard read > 0 else { throw DatasetError(path, read == 0 ? "ended early" : "cannot read: \(String(cString: strerror(errno)))") }
            done += read
        }
        return bytes
    }

    /// Checks the arrays, `chunk` entries at a time: lengths not negative, pointers consecutive
    /// from 0, document indices from 0 non-decreasing to the sequence count, and the `.bin`
    /// exactly as long as the sequences. Returns the number of tokens.
    public func validate(chunk: Int = 1 << 20) throws -> Int {
        var tokens = 0
        var start = 0
        while start < sequenceCount {
            let count = min(chunk, sequenceCount - start)
            let lengths = try read(Int32.self, count: count, at: lengthsOffset + 4 * start)
            let pointers = try read(Int64.self, count: count, at: pointersOffset + 8 * start)
            for position in 0..<count {
                guard lengths[position] >= 0 else { throw DatasetError(path, "sequence \(start + position) has length \(lengths[position])") }
                guard pointers[position] == Int64(tokens * dtype.size) else {
                    throw DatasetError(path, "sequence \(start + position) starts at byte \(pointers[position]) of the .bin, after the sequences before it at \(tokens * dtype.size)")
                }
                tokens += Int(lengths[position])
            }
            start += count
        }
        var previous: Int64 = 0
        start = 0
        while start <= documentCount {
            let count = min(chunk, documentCount + 1 - start)
            let indices = try read(Int64.self, count: count, at: documentIndicesOffset + 8 * start)
            for (position, value) in indices.enumerated() {
                let document = start + position
                guard document > 0 || value == 0, value >= previous, value <= Int64(sequenceCount) else {
                    throw DatasetError(path, "document index \(document) is \(value), out of order or past the \(sequenceCount) sequences")
                }
                previous = value
            }
            start += count
        }
        guard previous == Int64(sequenceCount) else { throw DatasetError(path, "the last document index is \(previous), not the sequence count \(sequenceCount)") }
        let dataSize = FileStatus(path: dataPath)?.size
        guard dataSize == tokens * dtype.size else {
            throw DatasetError(dataPath, dataSize.map { "is \($0) bytes; its index describes \(tokens) tokens of \(dtype.size) bytes" } ?? "missing (its index is \(path))")
        }
        return tokens
    }
}
