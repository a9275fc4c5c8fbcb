import Foundation
import Support
import Tokenization

/// A replacement of the source tokenizer: every target id is initialized, and the target's
/// tokenizer files replace the source's.
public struct TokenizerReplacement: VocabularyChange {
    /// The target vocabulary.
    public enum Target: Sendable {
        /// A CLP helper model's: its rows and tokenizer files, its token strings as it has them.
        case helper(HelperModel)
        /// The `tokenizer.json` at this path, with `tokenizer_config.json` and
        /// `special_tokens_map.json` beside it; `config.json` gets its special-token ids.
        case tokenizer(String)
    }

    /// The target vocabulary.
    public var target: Target

    /// A replacement by `target`.
    public init(_ target: Target) { self.target = target }

    public func apply(to source: Tokenizer, rows: Int, directory: String, progress: (String) -> Void) throws -> ChangedVocabulary {
        switch target {
        case .helper(let helper):
            let tokens = helper.vocabulary.tokens
            return ChangedVocabulary(
                tokenizer: nil, rows: helper.rows, keptRows: 0, initialized: (0..<helper.rows).map { TokenID($0) },
                replacedFiles: Set(ModelFiles.tokenizerFiles),
                describe: { id in let token = String(decoding: tokens[Int(id)] ?? [], as: UTF8.self); return (token, token) },
                writeFiles: { output in try Self.copy(ModelFiles.tokenizerFiles, from: helper.directory, to: output) })
        case .tokenizer(let path):
            let tokenizer = try Tokenizer(contentsOf: path)
            let targetDirectory = PathName.directory(of: path)
            let roles = try SpecialTokenRoles(tokenizer: tokenizer, directory: targetDirectory)
            var changed = ChangedVocabulary(
                tokenizer: tokenizer, rows: tokenizer.vocabularySize, keptRows: 0,
                initialized: (0..<tokenizer.vocabularySize).map { TokenID($0) }, replacedFiles: Set(ModelFiles.tokenizerFiles),
                describe: { id in (tokenizer.token(for: id) ?? "", tokenizer.decode([id])) },
                writeFiles: { output in
                    try FileManager.default.copyItem(atPath: path, toPath: PathName.join(output, ModelFiles.tokenizer))
                    try Self.copy([ModelFiles.tokenizerConfig, ModelFiles.specialTokensMap], from: targetDirectory, to: output)
                })
            for role in SpecialTokenRoles.Role.allCases {
                if let token = roles.tokens[role], let id = tokenizer.id(for: token) { changed.config.append(("\(role.rawValue)_token_id", Int(id))) }
            }
            return changed
        }
    }

    /// Copies those of `names` that exist in `directory` into `output`.
    static func copy(_ names: [String], from directory: String, to output: String) throws {
        for name in names {
            let from = PathName.join(directory, name)
            if FileManager.default.fileExists(atPath: from) { try FileManager.default.copyItem(atPath: from, toPath: PathName.join(output, name)) }
        }
    }
}
