import Foundation

/// Writes Megatron-LM's indexed dataset (`MMIDIDX`, as megatron-core's `IndexedDatasetBuilder`
/// writes it): `PREFIX.bin` holds the ids, `PREFIX.idx` a header (magic, version 1, dtype code,
/// sequence and document counts), then the length of every sequence (`int32`), its byte offset
/// in the `.bin` (`int64`), and the sequence index where each document starts, plus the total
/// (`int64`, one more than the documents). A document is one sequence, or none when it has no
/// tokens (as megatron-core's `add_document` records an empty one).
///
/// Memory stays constant: the lengths go straight into the `.idx` being written, the document
/// indices into a scratch file, and the offsets are computed from the lengths at the end.
public final class MegatronDatasetWriter: TokenDatasetWriter {
    /// The magic bytes an `.idx` starts with.
    static let magic: [UInt8] = Array("MMIDIDX".utf8) + [0, 0]
    /// The header's size: magic, version, dtype code, sequence count, document count.
    static let headerSize = 9 + 8 + 1 + 8 + 8

    /// The id type.
    public let dtype: TokenDType
    public private(set) var documentCount = 0
    public private(set) var tokenCount = 0
    public let paths: [String]
    private let data: DatasetFile
    private let index: DatasetFile
    private let documents: DatasetFile
    private var sequenceCount = 0
    private var scratchIDs: [UInt8] = []

    /// The files of the dataset at `prefix`: `.bin`, then `.idx`.
    public static func paths(prefix: String) -> [String] { [prefix + ".bin", prefix + ".idx"] }

    /// Starts the dataset at `prefix`, refused when a file of it exists unless `replacing`.
    public init(prefix: String, dtype: TokenDType, replacing: Bool) throws {
        guard dtype.megatronCode != nil else { throw DatasetError(prefix, "Megatron datasets have no \(dtype.rawValue) ids") }
        self.dtype = dtype
        paths = Self.paths(prefix: prefix)
        data = try DatasetFile(output: paths[0], replacing: replacing)
        index = try DatasetFile(output: paths[1], replacing: replacing)
        documents = try DatasetFile(scratch: index.temporaryPath! + ".documents")
        try index.append([UInt8](repeating: 0, count: Self.headerSize))
        try documents.append(Int64(0))
    }

    public func append(document ids: UnsafeBufferPointer<UInt32>) throws {
        if !ids.isEmpty {
            guard ids.count <= Int32.max else { throw DatasetError(paths[0], "document \(documentCount) has \(ids.count) tokens, more than an int32 length holds") }
            scratchIDs.removeAll(keepingCapacity: true)
            try dtype.append(ids, to: &scratchIDs, file: paths[0], document: documentCount)
            try data.append(scratchIDs)
            try index.append(Int32(ids.count))
            sequenceCount += 1
            tokenCount += ids.count
        }
        documentCount += 1
        try documents.append(Int64(sequenceCount))
    }

    public func commit() throws {
        var pointer: Int64 = 0
        let chunk = 1 << 20
        var start = 0
        while start < sequenceCount {
            let count = min(chunk, sequenceCount - start)
            let lengths = try index.read(4 * count, at: Self.headerSize + 4 * start)
            var pointers = [UInt8](repeating: 0, count: 8 * count)
            lengths.withUnsafeBytes { source in
                pointers.withUnsafeMutableBytes { target in
                    for position in 0..<count {
                        target.storeBytes(of: pointer.littleEndian, toByteOffset: 8 * position, as: Int64.self)
                        pointer += Int64(Int32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * position, as: Int32.self))) * Int64(dtype.size)
                    }
                }
            }
            try index.append(pointers)
            start += count
        }
        try index.append(contentsOf: documents)
        var header = Self.magic
        Self.appendLittleEndian(UInt64(1), to: &header)
        header.append(dtype.megatronCode!)
        Self.appendLittleEndian(UInt64(sequenceCount), to: &header)
        Self.appendLittleEndian(UInt64(documentCount + 1), to: &header)
        try index.write(header, at: 0)
        documents.abandon()
        try DatasetFile.publish([data, index])
    }

    public func abandon() {
        data.abandon()
        index.abandon()
        documents.abandon()
    }

    static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
