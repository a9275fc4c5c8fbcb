import Alignment
import Foundation
import Store
import Support
import Tensors
import TextProcessing
import Tokenization

/// Trans-tokenization in replacement mode: the source model gets the target tokenizer, and
/// each target token's row (input embedding, untied head, vocabulary biases) is
/// `Σ w(s|t) · E_source[s]` over the token mapping (a copy when one source token carries all
/// the weight). `config.json` gets the new `vocab_size` and special-token ids; the mapping is
/// also written as `token_mapping.json`, and the provenance database records each row.
public enum ModelTransTokenization {
    /// What to do.
    public struct Options: Sendable {
        /// The target `tokenizer.json`; `tokenizer_config.json` and `special_tokens_map.json`
        /// beside it are copied too.
        public var targetTokenizer: String
        /// The recipe's options.
        public var mapping = TokenMapping.Options()
        /// The input embedding tensor, when the architecture is not recognized.
        public var inputTensor: String?
        /// The output head tensor, when the architecture is not recognized.
        public var headTensor: String?

        /// Options for a transfer to the tokenizer at `targetTokenizer`.
        public init(targetTokenizer: String) { self.targetTokenizer = targetTokenizer }
    }

    /// How many target tokens were mapped each way.
    public struct Summary: Sendable {
        /// Target tokens aligned, smoothed and unmapped, and rows in all.
        public var aligned: Int, smoothed: Int, unmapped: Int, rows: Int
    }

    static let tokenizerFiles = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]

    /// Replaces the tokenizer of the model at `directory` by the target one, with rows from
    /// `alignment`, into `output` (opened with the paths read as its inputs).
    public static func run(directory: String, alignment: AlignmentStore.Contents, output: AtomicOutput, options: Options,
                           progress: (String) -> Void = { _ in }) throws -> Summary {
        let model = try SourceModel(directory: directory, inputTensor: options.inputTensor, headTensor: options.headTensor)
        let target = try Tokenizer(contentsOf: options.targetTokenizer)
        let targetDirectory = PathName.directory(of: options.targetTokenizer)
        let roles = try SpecialTokenRoles(tokenizer: target, directory: targetDirectory)
        progress("mapping \(target.vocabularySize) target tokens")
        let mapping = try TokenMapping(alignment: alignment, source: model.tokenizer,
                                       sourceRoles: try SpecialTokenRoles(tokenizer: model.tokenizer, directory: directory),
                                       target: target, targetRoles: roles, options: options.mapping)
        let rows = target.vocabularySize
        var replacements: [String: (shape: [Int], bytes: OwnedBytes)] = [:]
        for (name, tensor) in zip(model.names, model.tensors) {
            progress("computing \(name)")
            var shape = tensor.info.shape
            shape[0] = rows
            replacements[name] = (shape, try tensor.rebuilt(rows: rows, seed: 0) { row in
                let weights = mapping.weights[row]
                return weights.count == 1 ? .copy(Int(weights[0].id)) : .weights(weights)
            })
        }
        let records = (0..<rows).map { id in
            ProvenanceStore.Record(id: id, token: target.token(for: TokenID(id)) ?? "", text: target.decode([TokenID(id)]),
                                   method: "transtokenize-\(mapping.kinds[id].rawValue)", sources: mapping.weights[id].map { (Int($0.id), $0.weight) })
        }
        var sizes = [(key: "vocab_size", value: rows)]
        for role in SpecialTokenRoles.Role.allCases {
            if let token = roles.tokens[role], let id = target.id(for: token) { sizes.append(("\(role.rawValue)_token_id", Int(id))) }
        }
        let writer = ModelDirectoryWriter(source: directory, checkpoint: model.checkpoint, config: model.config,
                                          replacedFiles: Set(ModelReplacement.tokenizerFiles))
        try writer.write(to: output, replacements: replacements, configSizes: sizes, provenance: records, settings: [
            ("source", directory), ("target_tokenizer", options.targetTokenizer), ("method", "transtokenize"),
        ] + TokenMapping.settings(alignment: alignment, options: options.mapping), progress: progress) { temporary in
            for name in tokenizerFiles {
                let from = name == "tokenizer.json" ? options.targetTokenizer : (targetDirectory as NSString).appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: from) {
                    try FileManager.default.copyItem(atPath: from, toPath: (temporary as NSString).appendingPathComponent(name))
                }
            }
            try TokenMapping.write(mapping.json(source: model.tokenizer, target: target), inDirectory: temporary)
        }
        let kinds = mapping.kinds
        return Summary(aligned: kinds.filter { $0 == .aligned }.count, smoothed: kinds.filter { $0 == .smoothed }.count,
                       unmapped: kinds.filter { $0 == .unmapped }.count, rows: rows)
    }
}
