/// The merges of a SentencePiece BPE vocabulary as `transformers`' `generate_merges` derives them
/// from the scores: every split of a piece into two pieces, ordered by the piece's score, then the
/// longer left part, then the longer right part (a stable sort of splits taken piece by piece, in
/// id order, each piece's splits by left then right id). Applying them by rank is SentencePiece's
/// own BPE: the pair forming the best-scored piece first.
enum SentencePieceMerges {
    /// The merges of `tokens` (by id) scored `scores`, as pairs of ids; only pieces for which
    /// `isMergeResult` holds are formed by a merge (a repeated piece counts at its last id, as in `transformers`).
    static func merges(tokens: [String], scores: [Double], isMergeResult: (Int) -> Bool = { _ in true }) -> [(left: Int, right: Int)] {
        var ids: [[UInt8]: Int] = [:]
        for (id, token) in tokens.enumerated() { ids[Array(token.utf8)] = id }
        var merges: [(left: Int, right: Int, score: Double, leftLength: Int, rightLength: Int)] = []
        for (id, token) in tokens.enumerated() where ids[Array(token.utf8)] == id && isMergeResult(id) {
            let scalars = Array(token.unicodeScalars), bytes = Array(token.utf8)
            var local: [(left: Int, right: Int, score: Double, leftLength: Int, rightLength: Int)] = []
            var left: [UInt8] = []
            for split in 1..<max(scalars.count, 1) {
                left.append(contentsOf: String(scalars[split - 1]).utf8)
                guard let l = ids[left] else { continue }
                if let r = ids[Array(bytes[left.count...])] { local.append((l, r, scores[id], split, scalars.count - split)) }
            }
            local.sort { ($0.left, $0.right) < ($1.left, $1.right) }
            merges.append(contentsOf: local)
        }
        let order = merges.indices.sorted { a, b in
            let (x, y) = (merges[a], merges[b])
            if x.score != y.score { return x.score > y.score }
            if x.leftLength != y.leftLength { return x.leftLength > y.leftLength }
            if x.rightLength != y.rightLength { return x.rightLength > y.rightLength }
            return a < b
        }
        return order.map { (merges[$0].left, merges[$0].right) }
    }
}
