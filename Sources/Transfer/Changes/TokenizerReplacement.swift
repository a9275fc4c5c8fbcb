import Foundation
import Support
import Tokenization

/// A replacement of the source tokenizer: every target id is initialized, and the target's
/// `tokenizer.json` replaces the source's (the other tokenizer files are written for it).
public struct TokenizerReplacement: VocabularyChange {
    /// The target vocabulary.
    public enum Target: Sendable {
        /// A CLP helper model's: its rows and tokenizer files, its token strings as it has them.
        case helper(HelperModel)
        /// The `tokenizer.json` at this path.
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
            let path = PathName.join(helper.directory, ModelFiles.tokenizer)
            return ChangedVocabulary(
                tokenizer: nil, rows: helper.rows, keptRows: 0, initialized: (0..<helper.rows).map { TokenID($0) },
                listing: try VocabularyListing(contentsOf: path), replacesTokenizer: true,
                describe: { id in let token = String(decoding: tokens[Int(id)] ?? [], as: UTF8.self); return (token, token) },
                writeFiles: { output in try FileManager.default.copyItem(atPath: path, toPath: PathName.join(output, ModelFiles.tokenizer)) })
        case .tokenizer(let path):
            let tokenizer = try Tokenizer(contentsOf: path)
            return ChangedVocabulary(
                tokenizer: tokenizer, rows: tokenizer.vocabularySize, keptRows: 0,
                initialized: (0..<tokenizer.vocabularySize).map { TokenID($0) }, listing: VocabularyListing(tokenizer), replacesTokenizer: true,
                describe: { id in (tokenizer.token(for: id) ?? "", tokenizer.decode([id])) },
                writeFiles: { output in try FileManager.default.copyItem(atPath: path, toPath: PathName.join(output, ModelFiles.tokenizer)) })
        }
    }
}
