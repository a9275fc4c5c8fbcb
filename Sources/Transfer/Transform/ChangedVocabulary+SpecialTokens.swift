import Foundation
import Support
import Tokenization

extension ChangedVocabulary {
    /// This vocabulary with `tokens` appended as added special tokens after its last id (and
    /// row), each row a copy of the source's row of the same token; `tokenizer.json` is written
    /// with them in `added_tokens`.
    func appendingSpecialTokens(_ tokens: [(token: String, sourceID: TokenID)]) -> ChangedVocabulary {
        guard !tokens.isEmpty else { return self }
        let first = max(rows, listing.count)
        let added = tokens.enumerated().map { index, entry in
            (id: TokenID(first + index), token: AddedToken(entry.token, normalized: false, special: true), sourceID: entry.sourceID)
        }
        var result = self
        result.listing = listing.appending(added.map { ($0.id, $0.token) })
        result.rows = first + added.count
        result.initialized += added.map(\.id)
        for entry in added {
            result.plans[entry.id] = RowPlan(.copy(entry.sourceID), RowProvenance(.copy, sources: [(entry.sourceID, 1)]))
        }
        let names = Dictionary(uniqueKeysWithValues: added.map { ($0.id, $0.token.content) })
        let describe = self.describe, writeFiles = self.writeFiles
        result.describe = { id in names[id].map { ($0, $0) } ?? describe(id) }
        result.writeFiles = { directory in
            try writeFiles(directory)
            let path = PathName.join(directory, ModelFiles.tokenizer)
            guard case .object(var members) = try JSONValue.parse(contentsOf: path) else { throw ConfigurationError(path: path, message: "expected a JSON object") }
            let entries = added.map { entry in
                JSONValue.object([
                    JSONMember("id", .number(Double(entry.id))), JSONMember("content", .string(entry.token.content)),
                    JSONMember("single_word", .bool(false)), JSONMember("lstrip", .bool(false)), JSONMember("rstrip", .bool(false)),
                    JSONMember("normalized", .bool(false)), JSONMember("special", .bool(true)),
                ])
            }
            if let index = members.firstIndex(where: { $0.key == "added_tokens" }), case .array(let existing) = members[index].value {
                members[index].value = .array(existing + entries)
            } else {
                members.append(JSONMember("added_tokens", .array(entries)))
            }
            try Data(JSONWriter.pretty(.object(members)).utf8).write(to: URL(fileURLWithPath: path))
        }
        return result
    }
}
