/// Writes two NumPy `.npy` arrays that `numpy.load(mmap_mode="r")` maps: `PREFIX.tokens.npy`,
/// every id of every document in order (`uint16`, or `uint32` for vocabularies over 65,536),
/// and `PREFIX.offsets.npy` (`int64`, one more than the documents): document `i` is
/// `tokens[offsets[i]:offsets[i + 1]]`.
///
/// The headers reserve a fixed 128 bytes and are written last, once the lengths are known.
public final class NpyDatasetWriter: TokenDatasetWriter {
    /// The bytes before the data in each file.
    static let headerSize = 128
    /// The id type.
    public let dtype: TokenDType
    public private(set) var documentCount = 0
    public private(set) var tokenCount = 0
    public let paths: [String]
    private let tokens: DatasetFile
    private let offsets: DatasetFile
    private var scratchIDs: [UInt8] = []

    /// The files of the dataset at `prefix`: the tokens, then the offsets.
    public static func paths(prefix: String) -> [String] { [prefix + ".tokens.npy", prefix + ".offsets.npy"] }

    /// Starts the dataset at `prefix`, refused when a file of it exists unless `replacing`.
    public init(prefix: String, dtype: TokenDType, replacing: Bool) throws {
        self.dtype = dtype
        paths = Self.paths(prefix: prefix)
        tokens = try DatasetFile(output: paths[0], replacing: replacing)
        offsets = try DatasetFile(output: paths[1], replacing: replacing)
        try tokens.append([UInt8](repeating: 0, count: Self.headerSize))
        try offsets.append([UInt8](repeating: 0, count: Self.headerSize))
        try offsets.append(Int64(0))
    }

    public func append(document ids: UnsafeBufferPointer<UInt32>) throws {
        scratchIDs.removeAll(keepingCapacity: true)
        try dtype.append(ids, to: &scratchIDs, file: paths[0], document: documentCount)
        try tokens.append(scratchIDs)
        tokenCount += ids.count
        documentCount += 1
        try offsets.append(Int64(tokenCount))
    }

    public func commit() throws {
        try tokens.write(Self.header(description: dtype.numpyDescription, count: tokenCount), at: 0)
        try offsets.write(Self.header(description: "<i8", count: documentCount + 1), at: 0)
        try DatasetFile.publish([tokens, offsets])
    }

    public func abandon() {
        tokens.abandon()
        offsets.abandon()
    }

    /// The `.npy` version 1.0 header of a one-dimensional array, padded to ``headerSize``.
    static func header(description: String, count: Int) -> [UInt8] {
        var dictionary = Array("{'descr': '\(description)', 'fortran_order': False, 'shape': (\(count),), }".utf8)
        let length = headerSize - 10
        dictionary += [UInt8](repeating: 0x20, count: length - dictionary.count - 1) + [0x0A]
        var header: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        MegatronDatasetWriter.appendLittleEndian(UInt16(length), to: &header)
        return header + dictionary
    }
}
