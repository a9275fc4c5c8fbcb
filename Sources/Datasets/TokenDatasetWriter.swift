/// A writer of token ids, document by document, into the files a training engine reads.
///
/// Nothing is visible at the output paths until ``commit()``: the files are written beside
/// them and moved into place, the index (the file that makes the dataset look complete) last.
public protocol TokenDatasetWriter: AnyObject {
    /// Appends one document.
    func append(document ids: UnsafeBufferPointer<UInt32>) throws
    /// Completes the files and moves them into place.
    func commit() throws
    /// Removes everything written (also done when the writer is discarded uncommitted).
    func abandon()
    /// Documents appended.
    var documentCount: Int { get }
    /// Token ids appended.
    var tokenCount: Int { get }
    /// The files it writes, the index last.
    var paths: [String] { get }
}

/// The dataset formats, by name: a new format is one ``TokenDatasetWriter`` and one case here.
public enum TokenDatasetFormat: String, Sendable, CaseIterable {
    /// Megatron-LM's indexed dataset: `PREFIX.bin` and `PREFIX.idx`.
    case megatron
    /// NumPy arrays: `PREFIX.tokens.npy` and `PREFIX.offsets.npy`.
    case npy
    /// A JSON object with the ids per document: `PREFIX.jsonl`.
    case jsonl

    /// The file paths of a dataset at `prefix`, the index last.
    public func paths(prefix: String) -> [String] {
        switch self {
        case .megatron: MegatronDatasetWriter.paths(prefix: prefix)
        case .npy: NpyDatasetWriter.paths(prefix: prefix)
        case .jsonl: JSONLinesDatasetWriter.paths(prefix: prefix)
        }
    }

    /// A writer of a dataset at `prefix` for a vocabulary of `vocabularySize` tokens, split into
    /// shards of at least `shardSize` tokens when one is given (see ``ShardedDatasetWriter``).
    public func writer(prefix: String, vocabularySize: Int, replacing: Bool, shardSize: Int? = nil) throws -> any TokenDatasetWriter {
        if let shardSize {
            return try ShardedDatasetWriter(format: self, prefix: prefix, shardSize: shardSize, vocabularySize: vocabularySize, replacing: replacing)
        }
        return switch self {
        case .megatron: try MegatronDatasetWriter(prefix: prefix, dtype: .megatron(vocabularySize: vocabularySize), replacing: replacing)
        case .npy: try NpyDatasetWriter(prefix: prefix, dtype: .npy(vocabularySize: vocabularySize), replacing: replacing)
        case .jsonl: try JSONLinesDatasetWriter(prefix: prefix, replacing: replacing)
        }
    }
}
