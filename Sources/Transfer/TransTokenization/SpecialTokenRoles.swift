import Foundation
import Support
import TextProcessing
import Tokenization

/// The special tokens of a tokenizer by role (pad, unk, bos, eos, cls, sep, mask), as
/// `transformers` knows them: from `tokenizer_config.json` beside `tokenizer.json` when present,
/// otherwise the model's unknown token and the added special tokens with the usual names.
public struct SpecialTokenRoles: Sendable, Equatable {
    /// The roles, in the order trans-tokenization maps them.
    public enum Role: String, Sendable, CaseIterable {
        case pad, unk, bos, eos, cls, sep, mask
    }

    /// The token of each role the tokenizer has.
    public var tokens: [Role: String]

    /// Roles given explicitly.
    public init(tokens: [Role: String]) { self.tokens = tokens }

    private static let usualNames: [Role: [String]] = [
        .pad: ["<pad>", "[PAD]", "<|pad|>", "<|finetune_right_pad_id|>"],
        .unk: ["<unk>", "[UNK]"],
        .bos: ["<s>", "<bos>", "<|begin_of_text|>", "<|startoftext|>"],
        .eos: ["</s>", "<eos>", "<|end_of_text|>", "<|endoftext|>"],
        .cls: ["[CLS]", "<cls>"],
        .sep: ["[SEP]", "<sep>"],
        .mask: ["[MASK]", "<mask>"],
    ]

    /// The roles of `tokenizer`, read from `tokenizer_config.json` in `directory` if it exists.
    public init(tokenizer: Tokenizer, directory: String?) throws {
        var tokens: [Role: String] = [:]
        let configPath = directory.map { ($0 as NSString).appendingPathComponent(ModelFiles.tokenizerConfig) }
        if let configPath, FileManager.default.fileExists(atPath: configPath) {
            let config = JSONNode(try JSONValue.parse(contentsOf: configPath), path: configPath)
            for role in Role.allCases {
                guard let value = try config.optionalMember("\(role.rawValue)_token") else { continue }
                switch value.value {
                case .string(let token): tokens[role] = token
                case .object: tokens[role] = try value.member("content").string()
                default: continue
                }
            }
        } else {
            let special = Set(tokenizer.addedVocabulary.tokens.values.filter(\.special).map(\.content))
            for role in Role.allCases {
                tokens[role] = Self.usualNames[role]!.first { special.contains($0) }
            }
            if let unknown = tokenizer.model.unknownToken { tokens[.unk] = unknown }
        }
        self.tokens = tokens
    }
}
