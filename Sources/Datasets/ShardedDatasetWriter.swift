import Foundation

/// Splits a dataset into numbered shards (`PREFIX_00000`, `PREFIX_00001`, …) of at least
/// `shardSize` tokens each (the last may be smaller): a shard is completed and moved into place
/// after the document that fills it, so documents are never split across shards.
public final class ShardedDatasetWriter: TokenDatasetWriter {
    /// The format of every shard.
    public let format: TokenDatasetFormat
    /// The prefix the shard numbers are appended to.
    public let prefix: String
    /// Tokens per shard.
    public let shardSize: Int
    public private(set) var documentCount = 0
    public private(set) var tokenCount = 0
    public private(set) var paths: [String] = []
    /// The prefixes of the shards written so far.
    public private(set) var shardPrefixes: [String] = []
    private let vocabularySize: Int
    private let replacing: Bool
    private var current: (any TokenDatasetWriter)?

    /// The prefix of shard `number`.
    public static func shardPrefix(_ prefix: String, number: Int) -> String {
        prefix + "_" + String(repeating: "0", count: max(0, 5 - String(number).count)) + String(number)
    }

    /// Starts the first shard.
    public init(format: TokenDatasetFormat, prefix: String, shardSize: Int, vocabularySize: Int, replacing: Bool) throws {
        precondition(shardSize > 0, "a shard holds at least one token")
        self.format = format
        self.prefix = prefix
        self.shardSize = shardSize
        self.vocabularySize = vocabularySize
        self.replacing = replacing
        try openShard()
    }

    private func openShard() throws {
        let shard = Self.shardPrefix(prefix, number: shardPrefixes.count)
        current = try format.writer(prefix: shard, vocabularySize: vocabularySize, replacing: replacing)
        shardPrefixes.append(shard)
    }

    public func append(document ids: UnsafeBufferPointer<UInt32>) throws {
        if current == nil { try openShard() }
        try current!.append(document: ids)
        documentCount += 1
        tokenCount += ids.count
        if current!.tokenCount >= shardSize {
            try current!.commit()
            paths += current!.paths
            current = nil
        }
    }

    /// Completes the last shard; when replacing, removes the shards after it that an earlier
    /// run left at the same prefix, so that no stale shard is read with the new ones.
    public func commit() throws {
        if let current {
            try current.commit()
            paths += current.paths
            self.current = nil
        }
        guard replacing else { return }
        var number = shardPrefixes.count
        while true {
            let stale = format.paths(prefix: Self.shardPrefix(prefix, number: number))
            guard stale.contains(where: { FileManager.default.fileExists(atPath: $0) }) else { break }
            for path in stale.reversed() { unlink(path) }
            number += 1
        }
    }

    public func abandon() {
        current?.abandon()
        current = nil
    }
}
