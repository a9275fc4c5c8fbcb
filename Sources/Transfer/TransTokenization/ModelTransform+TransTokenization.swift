import Foundation
import Support

extension ModelTransform {
    /// `transtokenize`: the model at `directory` gets the tokenizer at `targetTokenizer`, each
    /// target token's row `Σ w(s|t) · E_source[s]` over the token mapping of `alignment`;
    /// the mapping is also written as `token_mapping.json`.
    public static func transTokenization(directory: String, targetTokenizer: String, alignment: TransTokenizationInitializer.AlignmentSource,
                                         options: TokenMapping.Options = .init()) -> ModelTransform {
        let initializer = TransTokenizationInitializer(alignment: alignment, options: options, mapsEveryToken: true)
        return ModelTransform(source: Source(directory: directory), change: TokenizerReplacement(.tokenizer(targetTokenizer)),
                              initializers: [initializer]) { _, _ in
            [("source", directory), ("target_tokenizer", targetTokenizer), ("method", "transtokenize")]
        }
    }
}
