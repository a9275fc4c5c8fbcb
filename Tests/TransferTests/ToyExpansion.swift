import Foundation
import Support
import TextProcessing
import Tokenization
import Transfer

/// The toy expansion of the initialization rules' hand-computable cases.
enum ToyExpansion {
    /// A toy source with the single characters a, b, c (ids 0–2) and no merges, expanded by
    /// `ab` = a + b (id 3) and `abc` = ab + c (id 4).
    static func make() throws -> (Tokenizer, VocabularyExpansion) {
        func tokenizer(_ vocab: String, _ merges: String) throws -> Tokenizer {
            try Tokenizer(json: JSONValue.parse(Data(#"{"model": {"type": "BPE", "vocab": {\#(vocab)}, "merges": [\#(merges)]}}"#.utf8)))
        }
        let source = try tokenizer(#""a": 0, "b": 1, "c": 2"#, "")
        let target = try tokenizer(#""a": 0, "b": 1, "c": 2, "ab": 3, "abc": 4"#, #"["a", "b"], ["ab", "c"]"#)
        let expansion = VocabularyExpansion(tokenizer: target, newTokens: [
            .init(id: 3, token: Array("ab".utf8), merge: (0, 1)), .init(id: 4, token: Array("abc".utf8), merge: (3, 2)),
        ])
        return (source, expansion)
    }
}
