import ArgumentParser
import Datasets
import Foundation
import Support

/// `polytoken merge-shards`: concatenates token datasets (Megatron or npy) into one.
struct MergeShardsCommand: SummarizingCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-shards",
        abstract: "Concatenate Megatron or npy token datasets (such as the shards of encode --shard-size) into one.",
        discussion: """
            Documents keep the order of the inputs, as Megatron-LM's tools/merge_datasets.py merges.
            Every input is checked first (header, lengths, pointers, document indices, data size), and
            their id types must agree. The ids are copied by the kernel; the output appears only when
            complete, its index last.

            Examples:
              polytoken merge-shards -o data/train data/train_00000 data/train_00001
            """)

    @Option(name: .shortAndLong, help: "The prefix of the merged dataset.")
    var output: String

    @Option(help: "The format of the inputs: megatron or npy (default: found from the first input's files).")
    var format: TokenDatasetFormat?

    @Flag(help: "Replace an existing dataset at the output prefix.")
    var force = false

    @Argument(help: "The prefixes of the datasets to merge, in order (PREFIX, or one of its files such as PREFIX.idx).")
    var inputs: [String]

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give the datasets to merge") }
        if format == .jsonl { throw ValidationError("jsonl datasets are text: concatenate them with cat; merge-shards is for megatron and npy") }
    }

    func summary() throws -> CommandSummary {
        let prefixes = inputs.map(Self.prefix)
        guard let format = format ?? Self.detectFormat(prefixes[0]) else {
            throw ValidationError("\(inputs[0]): neither \(prefixes[0]).idx (megatron) nor \(prefixes[0]).tokens.npy (npy) exists")
        }
        let started = Date()
        let merged = try TokenDatasetMerger.merge(format, inputs: prefixes, output: output, replacing: force)
        var summary = CommandSummary()
        summary.add("documents", merged.documents)
        summary.add("tokens", merged.tokens)
        summary.add("paths", .array(merged.paths.map { .string($0) }))
        summary.lines.append(String(format: "%d datasets, %d documents, %d tokens in %.2f s -> %@", prefixes.count, merged.documents,
                                    merged.tokens, Date().timeIntervalSince(started), merged.paths.joined(separator: ", ")))
        return summary
    }

    /// The prefix of `path`: `path` less a dataset file suffix, when it has one.
    static func prefix(_ path: String) -> String {
        for format in TokenDatasetFormat.allCases {
            for suffix in format.paths(prefix: "") where path.hasSuffix(suffix) && path.count > suffix.count {
                return String(path.dropLast(suffix.count))
            }
        }
        return path
    }

    /// The format whose index file exists at `prefix`.
    static func detectFormat(_ prefix: String) -> TokenDatasetFormat? {
        [TokenDatasetFormat.megatron, .npy].first { FileManager.default.fileExists(atPath: $0.paths(prefix: prefix).last!) }
    }
}
