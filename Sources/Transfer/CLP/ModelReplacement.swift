import Foundation
import Store
import Support
import Tensors
import TextProcessing
import Tokenization

/// CLP-Transfer in replacement mode: the source model gets the helper's tokenizer. Every
/// helper token the source also has copies its source row; every other token gets the
/// CLP combination of the anchors' source rows (or, when its similarities sum to nearly
/// zero, a seeded normal draw). The rest of the source model is kept.
public enum ModelReplacement {
    /// What to do.
    public struct Options: Sendable {
        /// The helper model directory; its tokenizer replaces the source's.
        public var helperModel: String
        /// The helper's input embedding tensor, when its architecture is not recognized.
        public var helperEmbeddingTensor: String?
        /// The source's input embedding tensor, when its architecture is not recognized.
        public var inputTensor: String?
        /// The source's output head tensor, when its architecture is not recognized.
        public var headTensor: String?
        /// How the anchors are weighted.
        public var weighting: CLPWeighting = .ratio
        /// How tokens are matched between source and helper.
        public var matching: HelperVocabulary.Matching = .exact
        /// Seed of the rows drawn at random.
        public var seed: UInt64 = 0

        /// Options for a transfer with the tokenizer of `helperModel`.
        public init(helperModel: String) { self.helperModel = helperModel }
    }

    /// How many rows were copied, computed by CLP and drawn at random.
    public struct Summary: Sendable {
        /// Rows copied, computed by CLP, drawn at random, and in all.
        public var copied: Int, transferred: Int, random: Int, rows: Int
    }

    /// Files that make up a tokenizer; the helper's replace the source's.
    static let tokenizerFiles = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt",
                                 "vocab.txt", "tokenizer.model", "added_tokens.json"]

    /// Transfers the model at `directory` to the helper's tokenizer, into `output` (opened with
    /// the source and helper directories as its inputs).
    public static func run(directory: String, output: AtomicOutput, options: Options, progress: (String) -> Void = { _ in }) throws -> Summary {
        let model = try SourceModel(directory: directory, inputTensor: options.inputTensor, headTensor: options.headTensor)
        let source = model.tokenizer, sourceRows = model.rows, names = model.names, tensors = model.tensors
        let helper = try HelperModel(directory: options.helperModel, matching: options.matching, embeddingTensor: options.helperEmbeddingTensor)
        let helperRows = helper.embedding.rows

        var sourceByKey: [[UInt8]: TokenID] = [:]
        let sourceConvention = HelperVocabulary.convention(of: source)
        for (id, token) in source.model.vocabulary.entries where Int(id) < sourceRows {
            let key = HelperVocabulary.key(token, sourceConvention, options.matching)
            if sourceByKey[key] == nil { sourceByKey[key] = id }
        }
        var copies: [Int: Int] = [:]
        var targets: [Int] = []
        for helperID in 0..<helperRows {
            if let token = helper.vocabulary.tokens[helperID],
               let sourceID = sourceByKey[HelperVocabulary.key(token, helper.vocabulary.convention, options.matching)] {
                copies[helperID] = Int(sourceID)
            } else {
                targets.append(helperID)
            }
        }
        guard !copies.isEmpty else {
            throw TransferError.invalidModel("the helper model's vocabulary shares no token with the source (try --match decoded)")
        }
        let anchors = copies.keys.sorted()
        progress("CLP-Transfer: \(targets.count) tokens from \(anchors.count) anchors")
        let result = CLPTransfer(weighting: options.weighting).compute(
            targets: helper.embedding.gathering(targets), anchorHelperRows: helper.embedding.gathering(anchors),
            anchorSourceRows: tensors.map { $0.gathering(anchors.map { copies[$0]! }) })
        var rowOf: [Int: Int] = [:]
        for (index, helperID) in targets.enumerated() where result.succeeded[index] { rowOf[helperID] = index }

        var replacements: [String: (shape: [Int], bytes: OwnedBytes)] = [:]
        for (index, rows) in tensors.enumerated() {
            progress("computing \(names[index])")
            var shape = rows.info.shape
            shape[0] = helperRows
            replacements[names[index]] = (shape, try rows.rebuilt(rows: helperRows, explicit: result.rows[index], seed: options.seed) { row in
                if let from = copies[row] { return .copy(from) }
                if let position = rowOf[row] { return .explicit(position) }
                return .random
            })
        }
        let records = (0..<helperRows).map { helperID -> ProvenanceStore.Record in
            let token = String(decoding: helper.vocabulary.tokens[helperID] ?? [], as: UTF8.self)
            if let sourceID = copies[helperID] {
                return .init(id: helperID, token: token, text: token, method: "copy", sources: [(sourceID, 1)])
            }
            if let index = rowOf[helperID] {
                let weights = result.largestWeights[index].map { (copies[anchors[$0.anchor]]!, $0.weight) }
                return .init(id: helperID, token: token, text: token, method: "clp", sources: weights.sorted { $0.0 < $1.0 })
            }
            return .init(id: helperID, token: token, text: token, method: "random", sources: [])
        }
        let writer = ModelDirectoryWriter(source: directory, checkpoint: model.checkpoint, config: model.config, replacedFiles: Set(tokenizerFiles))
        try writer.write(to: output, replacements: replacements, configSizes: [("vocab_size", helperRows)], provenance: records, settings: [
            ("source", directory), ("helper", options.helperModel), ("method", "clp"), ("seed", String(options.seed)),
        ], progress: progress) { temporary in
            for name in tokenizerFiles {
                let from = (options.helperModel as NSString).appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: from) {
                    try FileManager.default.copyItem(atPath: from, toPath: (temporary as NSString).appendingPathComponent(name))
                }
            }
        }
        return Summary(copied: copies.count, transferred: rowOf.count, random: targets.count - rowOf.count, rows: helperRows)
    }
}
