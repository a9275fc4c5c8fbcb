import Foundation
import Support
import Tokenization

extension ChangedVocabulary {
    /// This vocabulary with `tokens` appended as added special tokens, numbered as `tokenizers`
    /// numbers them (past the last added id, or the model's size: inside a helper's padding rows
    /// when it has them), each row a copy of the source's row of the same token; `tokenizer.json`
    /// is written with them in `added_tokens`.
    func appendingSpecialTokens(_ tokens: [(token: String, sourceID: TokenID)]) -> ChangedVocabulary {
        guard !tokens.isEmpty else { return self }
        let addedTokens = tokens.map { AddedToken($0.token, normalized: false, special: true) }
        let (listing, ids) = self.listing.appending(addedTokens)
        var result = self
        result.listing = listing
        for (id, entry) in zip(ids, tokens) {
            if Int(id) >= rows { result.initialized.append(id) }
            result.plans[id] = RowPlan(.copy(entry.sourceID), RowProvenance(.copy, sources: [(entry.sourceID, 1)]))
        }
        result.rows = max(rows, Int(ids.max()!) + 1)
        let names = Dictionary(uniqueKeysWithValues: zip(ids, tokens.map(\.token)))
        let describe = self.describe, writeFiles = self.writeFiles
        result.describe = { id in names[id].map { ($0, $0) } ?? describe(id) }
        result.writeFiles = { directory in
            try writeFiles(directory)
            let path = PathName.join(directory, ModelFiles.tokenizer)
            let document = try JSONValue.parse(contentsOf: path)
            guard case .object(var members) = document else { throw ConfigurationError(path: path, message: "expected a JSON object") }
            var added: [JSONValue] = []
            if case .array(let existing)? = document["added_tokens"] { added = existing }
            members.set("added_tokens", .array(added + zip(ids, addedTokens).map { id, token in token.json(id: id) }))
            try JSONWriter.writePretty(.object(members), toFile: path)
        }
        return result
    }
}
