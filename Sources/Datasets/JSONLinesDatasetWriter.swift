/// Writes `PREFIX.jsonl`: one line per document, `{"ids": [...]}`, for inspection.
public final class JSONLinesDatasetWriter: TokenDatasetWriter {
    public private(set) var documentCount = 0
    public private(set) var tokenCount = 0
    public let paths: [String]
    private let file: DatasetFile
    private var line: [UInt8] = []

    /// The file of the dataset at `prefix`.
    public static func paths(prefix: String) -> [String] { [prefix + ".jsonl"] }

    /// Starts the dataset at `prefix`, refused when its file exists unless `replacing`.
    public init(prefix: String, replacing: Bool) throws {
        paths = Self.paths(prefix: prefix)
        file = try DatasetFile(output: paths[0], replacing: replacing)
    }

    public func append(document ids: UnsafeBufferPointer<UInt32>) throws {
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: #"{"ids": ["#.utf8)
        for (index, id) in ids.enumerated() {
            if index > 0 { line.append(contentsOf: [0x2C, 0x20]) }
            line.append(contentsOf: String(id).utf8)
        }
        line.append(contentsOf: "]}\n".utf8)
        try file.append(line)
        tokenCount += ids.count
        documentCount += 1
    }

    public func commit() throws { try file.commit() }

    public func abandon() { file.abandon() }
}
