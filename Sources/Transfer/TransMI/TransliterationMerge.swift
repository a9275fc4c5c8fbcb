import Foundation
import TextProcessing
import Tokenization

/// TransMI (Liu et al., 2024): every vocabulary entry with a letter outside ASCII is
/// transliterated (by default with ICU's `Any-Latin; Latin-ASCII`), and the transliterations
/// not yet in the vocabulary become new tokens, each from the group of source tokens that
/// transliterate to it. Entries of symbols only (`½`, `«`) are left alone: their ASCII
/// spellings would change how plain ASCII text tokenizes.
public struct TransliterationMerge: Sendable {
    /// How a new token's score and row come from its group of source tokens.
    public enum Mode: String, Sendable, CaseIterable {
        /// The most probable source: highest score (Unigram) or lowest id (BPE).
        case max
        /// The least probable source: lowest score or highest id.
        case min
        /// The mean of the group's scores and rows (the reference sums the rows without dividing).
        case average
    }

    /// One new token.
    public struct NewToken: Sendable {
        /// Its id in the expanded tokenizer.
        public var id: TokenID
        /// Its vocabulary string.
        public var token: String
        /// The transliterated text.
        public var text: String
        /// The source tokens that transliterate to it, by id.
        public var sources: [TokenID]
        /// Its row, as source ids and weights; for BPE intermediate pieces, `isPart` is true.
        public var weights: [(id: TokenID, weight: Double)]
        /// Its Unigram score, if the model is Unigram.
        public var score: Double?
        /// Whether it is a piece added only so that a BPE token is reachable.
        public var isPart: Bool
    }

    /// The expanded tokenizer.
    public let tokenizer: Tokenizer
    /// The new tokens, in id order.
    public let newTokens: [NewToken]
    /// Entries whose script the transform leaves unchanged (skipped).
    public let unsupported: Int
    /// Entries whose transliteration is empty (dropped).
    public let empty: Int

    /// Transliterates the vocabulary of `source` with the ICU transform `transform` and adds the new tokens.
    public init(source: Tokenizer, mode: Mode, transform: String = "Any-Latin; Latin-ASCII") throws {
        let transliterator: Transliterate
        do {
            transliterator = try Transliterate(transform)
        } catch {
            throw TransferError.unknownTransform(transform, reason: "\(error)")
        }
        let convention = VocabularyConvention(of: source)
        let model = source.model
        let unigram = model as? UnigramModel
        guard unigram != nil || source.bpe != nil else { throw TransferError.unsupported("TransMI needs a BPE or Unigram tokenizer") }
        var groups: [String: [TokenID]] = [:]
        var order: [String] = []
        var unsupported = 0, empty = 0
        for (id, bytes) in model.vocabulary.entries {
            guard source.addedVocabulary.tokens[id] == nil, !model.isByteFallbackToken(id),
                  let (marker, body) = Self.split(bytes, convention),
                  body.unicodeScalars.contains(where: { !$0.isASCII && CharacterClass.of($0.value).contains(.letter) }) else { continue }
            let transliterated = try transliterator.normalize(body)
            let cleaned = String(String.UnicodeScalarView(transliterated.unicodeScalars.filter { scalar in
                let classes = CharacterClass.of(scalar.value)
                return !classes.contains(.whitespace) && !classes.contains(.mark) && !classes.contains(.modifierLetter)
            }))
            if cleaned.isEmpty { empty += 1; continue }
            if cleaned.utf8.elementsEqual(body.utf8) {
                if !body.unicodeScalars.allSatisfy(\.isASCII) { unsupported += 1 }
                continue
            }
            let token = Self.join(marker, cleaned, convention)
            if model.vocabulary.id(for: token) != nil || source.addedVocabulary.id(for: token) != nil { continue }
            if groups[token] == nil { order.append(token) }
            groups[token, default: []].append(id)
        }
        var next = TokenID(source.vocabularySize)
        var added: [NewToken] = []
        func representative(_ ids: [TokenID]) -> (weights: [(id: TokenID, weight: Double)], score: Double?) {
            let score: (TokenID) -> Double = { unigram?.scores[Int($0)] ?? -Double($0) }
            switch mode {
            case .max:
                let best = ids.max { score($0) < score($1) || (score($0) == score($1) && $0 > $1) }!
                return ([(best, 1)], unigram.map { _ in score(best) })
            case .min:
                let worst = ids.min { score($0) < score($1) || (score($0) == score($1) && $0 > $1) }!
                return ([(worst, 1)], unigram.map { _ in score(worst) })
            case .average:
                let mean = ids.map(score).reduce(0, +) / Double(ids.count)
                return (ids.map { ($0, 1 / Double(ids.count)) }, unigram.map { _ in mean })
            }
        }
        if let unigram {
            let planned = order.map { token -> (String, [TokenID], [(id: TokenID, weight: Double)], Double) in
                let (weights, score) = representative(groups[token]!)
                return (token, groups[token]!, weights, score!)
            }.sorted { $0.3 != $1.3 ? $0.3 > $1.3 : $0.1[0] < $1.1[0] }
            var pieces = unigram.scores.indices.map { (unigram.vocabulary.string(for: TokenID($0)) ?? "", unigram.scores[$0]) }
            for (token, sources, weights, score) in planned {
                pieces.append((token, score))
                added.append(NewToken(id: next, token: token, text: Self.text(token, convention), sources: sources, weights: weights,
                                      score: score, isPart: false))
                next += 1
            }
            tokenizer = try source.replacingModel(try UnigramModel(pieces: pieces, unknownID: unigram.unknownID.map(Int.init),
                                                                   byteFallback: unigram.byteFallback))
        } else {
            let bpe = source.bpe!
            var vocabulary = bpe.vocabulary
            var merges = bpe.merges
            var appended = Set<UInt64>()
            var workspace = BPEWorkspace()
            for token in order.sorted(by: { groups[$0]![0] < groups[$1]![0] }) {
                var pieces: [ModelToken] = []
                let scalars = token.unicodeScalars.map(\.value)
                scalars.withUnsafeBufferPointer { bpe.tokenize($0, workspace: &workspace, into: &pieces, cached: false) }
                guard pieces.count > 1, pieces.allSatisfy({ bpe.vocabulary.token(for: $0.id) != nil }) else { continue }
                var current = pieces[0].id
                for index in 1..<pieces.count {
                    let right = pieces[index].id
                    let merged = vocabulary.token(for: current)! + vocabulary.token(for: right)!
                    var mergedID = vocabulary.id(for: merged)
                    if mergedID == nil {
                        vocabulary.insert(merged, id: next)
                        mergedID = next
                        let text = String(decoding: merged, as: UTF8.self)
                        if let group = groups[text] {
                            added.append(NewToken(id: next, token: text, text: Self.text(text, convention), sources: group,
                                                  weights: representative(group).weights, score: nil, isPart: false))
                        } else {
                            let parts = pieces[...index].map(\.id)
                            added.append(NewToken(id: next, token: text, text: Self.text(text, convention), sources: parts,
                                                  weights: parts.map { ($0, 1 / Double(parts.count)) }, score: nil, isPart: true))
                        }
                        next += 1
                    }
                    if appended.insert(PairTable.key(current, right)).inserted, bpe.mergeTable.merge(current, right) == nil {
                        merges.append((current, right))
                    }
                    current = mergedID!
                }
            }
            tokenizer = try source.replacingModel(try BPEModel(
                vocabulary: vocabulary, merges: merges, unknownToken: bpe.unknownToken,
                continuingSubwordPrefix: bpe.continuingSubwordPrefix, endOfWordSuffix: bpe.endOfWordSuffix,
                fuseUnknown: bpe.fuseUnknown, byteFallback: bpe.byteFallback, ignoreMerges: bpe.ignoreMerges, dropout: bpe.dropout))
        }
        newTokens = added
        self.unsupported = unsupported
        self.empty = empty
    }

    /// The word-start marker (`▁`, or the space of byte-level tokens) and the text of a token.
    static func split(_ token: [UInt8], _ convention: VocabularyConvention) -> (Bool, String)? {
        switch convention {
        case .byteLevel:
            var bytes: [UInt8] = []
            for scalar in String(decoding: token, as: UTF8.self).unicodeScalars {
                guard let byte = ByteLevelAlphabet.byte(of: scalar.value) else { return nil }
                bytes.append(byte)
            }
            let marker = bytes.first == 0x20
            guard let text = String(validating: bytes.dropFirst(marker ? 1 : 0), as: UTF8.self) else { return nil }
            return (marker, text)
        case .metaspace:
            let marker = token.starts(with: VocabularyConvention.metaspaceMarker)
            return (marker, String(decoding: token.dropFirst(marker ? VocabularyConvention.metaspaceMarker.count : 0), as: UTF8.self))
        case .wordPiece, .plain:
            return (false, String(decoding: token, as: UTF8.self))
        }
    }

    /// The vocabulary string of `text` with the word-start marker when `marker`.
    static func join(_ marker: Bool, _ text: String, _ convention: VocabularyConvention) -> String {
        switch convention {
        case .byteLevel:
            var scalars = String.UnicodeScalarView()
            for byte in (marker ? [0x20] : []) + Array(text.utf8) { scalars.append(Unicode.Scalar(ByteLevelAlphabet.characters[Int(byte)])!) }
            return String(scalars)
        case .metaspace:
            return (marker ? "\u{2581}" : "") + text
        case .wordPiece, .plain:
            return text
        }
    }

    /// The text a vocabulary string stands for.
    static func text(_ token: String, _ convention: VocabularyConvention) -> String {
        guard let (marker, body) = split(Array(token.utf8), convention) else { return token }
        return (marker ? " " : "") + body
    }
}
