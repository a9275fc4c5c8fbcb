import Foundation
import Support

extension SentencePieceModelFile {
    /// The SentencePiece model of a model directory (`tokenizer.model`), if it has one.
    public static func beside(tokenizerIn directory: String) throws -> SentencePieceModelFile? {
        let path = PathName.join(directory, ModelFiles.sentencePieceModel)
        guard FileStatus(path: path) != nil else { return nil }
        return try SentencePieceModelFile(contentsOf: path)
    }

    /// This model grown to the vocabulary of `tokenizer`, an expansion of it: every piece keeps its
    /// id, score and type; each id beyond them becomes a control piece (a special added token), a
    /// user-defined piece (another added token) or a normal piece scored below every piece before
    /// it, in id order, so that its merges come after all the source's (the source's segmentation
    /// of any text that does not hold a new piece's text stays the same). Errors name `source` and
    /// the first id where the tokenizer and this model disagree.
    public func expanded(to tokenizer: Tokenizer, source: String) throws -> SentencePieceModelFile {
        func fail(_ message: String) -> ConfigurationError { ConfigurationError(path: source, message: message) }
        let count = tokenizer.vocabularySize
        guard count >= proto.pieces.count else {
            throw fail("the tokenizer has \(count) tokens, fewer than the \(proto.pieces.count) pieces of \(path)")
        }
        for (id, piece) in proto.pieces.enumerated() {
            guard let token = tokenizer.token(for: TokenID(id)), Array(token.utf8) == Array(piece.piece.utf8) else {
                throw fail("id \(id) is \(tokenizer.token(for: TokenID(id))?.debugDescription ?? "missing") in the tokenizer but \(piece.piece.debugDescription) in \(path); they must agree on every source id")
            }
        }
        var grown = proto
        var score = proto.pieces.map(\.score).min() ?? 0
        for id in proto.pieces.count..<count {
            guard let token = tokenizer.token(for: TokenID(id)) else { throw fail("id \(id) has no token; a SentencePiece model numbers its pieces without holes") }
            var piece = Sentencepiece_ModelProto.SentencePiece()
            piece.piece = token
            if let added = tokenizer.addedVocabulary.tokens[TokenID(id)] {
                piece.type = added.special ? .control : .userDefined
                piece.score = 0
            } else {
                score = score.nextDown
                piece.type = .normal
                piece.score = score
            }
            grown.pieces.append(piece)
        }
        grown.trainerSpec.vocabSize = Int32(count)
        return try SentencePieceModelFile(proto: grown, path: source)
    }

    /// The expansion of this model to `tokenizer`, a BPE tokenizer that extends its vocabulary (see
    /// ``expanded(to:source:)``), and `tokenizer` with merges that make it encode as the grown model
    /// does in `sentencepiece`, which joins any two adjacent pieces forming a piece: the source
    /// merges stay in their order; a merge forming a source piece from a new one joins that piece's
    /// merges; the new pieces' merges follow, each piece's learned merge first. Throws when a source
    /// merge is one `sentencepiece` would not make.
    public func expanding(_ tokenizer: Tokenizer, source: String) throws -> (model: SentencePieceModelFile, tokenizer: Tokenizer) {
        guard let model = tokenizer.bpe, kind == .bpe else {
            throw ConfigurationError(path: path, message: "only a BPE SentencePiece model grows with a BPE tokenizer (this is \(kind.rawValue))")
        }
        let grown = try expanded(to: tokenizer, source: source)
        let pieces = grown.pieces, sourceCount = proto.pieces.count
        let vocabulary = model.vocabulary
        func formed(_ pair: (TokenID, TokenID)) -> Int {
            vocabulary.id(for: vocabulary.token(for: pair.0)! + vocabulary.token(for: pair.1)!).map(Int.init) ?? Int.max
        }
        struct Pair: Hashable { var left: TokenID, right: TokenID }
        var sourceMerges: [Pair] = [], learned: [Int: Pair] = [:]
        for pair in model.merges {
            let piece = formed(pair)
            if piece < sourceCount { sourceMerges.append(Pair(left: pair.0, right: pair.1)) } else if learned[piece] == nil { learned[piece] = Pair(left: pair.0, right: pair.1) }
        }
        let sourceIndex = Dictionary(sourceMerges.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let derived = SentencePieceMerges.merges(tokens: pieces.map(\.piece), scores: pieces.map { Double($0.score) }) { pieces[$0].type == .normal }
        var inserted = [[Pair]](repeating: [], count: sourceMerges.count + 1)
        var newMerges: [Int: [Pair]] = [:], newOrder: [Int] = []
        var anchor = -1
        var seen = Set<Pair>()
        for merge in derived {
            let pair = Pair(left: TokenID(merge.left), right: TokenID(merge.right))
            seen.insert(pair)
            let piece = formed((pair.left, pair.right))
            if let index = sourceIndex[pair] {
                anchor = max(anchor, index)
            } else if piece < sourceCount {
                inserted[anchor + 1].append(pair)
            } else {
                if newMerges[piece] == nil { newOrder.append(piece) }
                newMerges[piece, default: []].append(pair)
            }
        }
        if let missing = sourceMerges.first(where: { !seen.contains($0) }) {
            throw ConfigurationError(path: source, message: "the merge \(String(decoding: vocabulary.token(for: missing.left)!, as: UTF8.self).debugDescription) + \(String(decoding: vocabulary.token(for: missing.right)!, as: UTF8.self).debugDescription) of tokenizer.json is not one \(path) implies, so the two cannot encode alike")
        }
        var merges: [(TokenID, TokenID)] = inserted[0].map { ($0.left, $0.right) }
        for (index, pair) in sourceMerges.enumerated() {
            merges.append((pair.left, pair.right))
            merges.append(contentsOf: inserted[index + 1].map { ($0.left, $0.right) })
        }
        for piece in newOrder {
            let own = learned[piece]
            let rest = newMerges[piece]!.filter { $0 != own }
            merges.append(contentsOf: ((own.map { [$0] } ?? []) + rest).map { ($0.left, $0.right) })
        }
        let reconciled = try tokenizer.replacingModel(BPEModel(
            vocabulary: vocabulary, merges: merges, unknownToken: model.unknownToken, continuingSubwordPrefix: model.continuingSubwordPrefix,
            endOfWordSuffix: model.endOfWordSuffix, fuseUnknown: model.fuseUnknown, byteFallback: model.byteFallback,
            ignoreMerges: model.ignoreMerges, dropout: model.dropout))
        return (grown, reconciled)
    }
}
