import Alignment
import Foundation
import Support
import TextProcessing
import Tokenization

/// Trans-tokenization's mapping from target tokens to weighted source tokens (Remy, Delobelle
/// et al., 2024), computed from a word-alignment table as the reference's `map_tokens` and
/// `smooth_mapping` do:
/// 1. every (source word, target word) pair whose count, truncated to an integer, reaches the
///    minimum count: single tokens on both sides add the count; otherwise half the count
///    (at least 1) goes all-to-all (`⌊half / |source|⌋` per token pair, at least 1) and half
///    along the monotone stretch of the two token lists repeated to their least common
///    multiple (`⌊half / (|source| / gcd)⌋` per aligned position, at least 1);
/// 2. numbers 0–9998 and 00–098, with and without a leading space, add 1 towards the source
///    tokenization's first token;
/// 3. identity: a target token whose text and word-start flag match a source token adds 1
///    (matched on decoded text, so `Ġ`, `▁` and `##` conventions meet; the reference's string
///    replacement corrupts tokens when one side has an empty marker);
/// 4. special tokens add 10⁹ towards the source token of the same role (bos falls back to cls,
///    eos to sep, cls to bos, sep to eos, mask to pad, then the source's unknown token);
/// 5. a target token still without counts takes, from every aligned target token that extends
///    it and every longest aligned token it contains, `max(1, ⌊w · c / total⌋)` of each of their
///    source tokens, with `w` = 2000 for source tokens that start a word (the source tokenizer's
///    own marker, where the reference hard-codes `▁`) and 1000 otherwise. Only tokens aligned in
///    steps 1–4 feed this step, so the result does not depend on vocabulary order (the reference
///    package updates in place, in hash order);
/// 6. counts are normalized per target token; tokens with none get the source row of the target's
///    unknown token (or the source's unknown, pad or bos token, or id 0).
public struct TokenMapping: Sendable {
    /// How a target token got its weights.
    public enum Kind: String, Sendable {
        /// From the alignment, numbers, identity or special-token rules.
        case aligned
        /// From the tokens it contains or that extend it.
        case smoothed
        /// From the unknown-token fallback.
        case unmapped
    }

    /// Options of the recipe.
    public struct Options: Sendable {
        /// Word pairs counted fewer times are ignored (the reference uses 10 in its package, 20 in its notebook).
        public var minimumCount = 10

        /// The reference's options.
        public init() {}
    }

    /// Weighted source tokens of each target id, heaviest first.
    public var weights: [[(id: TokenID, weight: Double)]]
    /// How each target id was mapped.
    public var kinds: [Kind]

    /// The mapping of every target id.
    public init(alignment: AlignmentStore.Contents, source: Tokenizer, sourceRoles: SpecialTokens,
                target: Tokenizer, targetRoles: SpecialTokens, options: Options = Options()) throws {
        let targetCount = target.vocabularySize
        for (side, units, tokenizer) in [("source", alignment.sourceUnits, source), ("target", alignment.targetUnits, target)] {
            if let (index, unit) = units.enumerated().first(where: { $0.element.tokens.contains { Int($0) >= tokenizer.vocabularySize } }) {
                throw TransferError.inconsistentModel(path: alignment.origin ?? "the alignment table", problem: "\(side) unit \(index) (\(unit.text.debugDescription)) names token ids beyond the \(side) tokenizer's \(tokenizer.vocabularySize); it was made with another tokenizer")
            }
        }
        var counts = [[TokenID: Int]](repeating: [:], count: targetCount)
        func add(_ count: Int, _ targetID: TokenID?, _ sourceID: TokenID?) {
            guard let targetID, let sourceID, Int(targetID) < targetCount else { return }
            counts[Int(targetID)][sourceID, default: 0] += count
        }
        for pair in alignment.pairs {
            guard let sourceUnit = pair.source else { continue }
            let count = Int(pair.count)
            guard count >= options.minimumCount else { continue }
            let sources = alignment.sourceUnits[Int(sourceUnit)].tokens.map { TokenID($0) }
            let targets = alignment.targetUnits[Int(pair.target)].tokens.map { TokenID($0) }
            if sources.count == 1 && targets.count == 1 {
                add(count, targets[0], sources[0])
                continue
            }
            let half = max(1, count / 2)
            for targetID in targets {
                for sourceID in sources { add(max(1, half / sources.count), targetID, sourceID) }
            }
            let divisor = Self.gcd(sources.count, targets.count)
            let sourceRepeat = targets.count / divisor, targetRepeat = sources.count / divisor
            for position in 0..<(sources.count * sourceRepeat) {
                add(max(1, half / targetRepeat), targets[position / targetRepeat], sources[position / sourceRepeat])
            }
        }
        func first(_ tokenizer: Tokenizer, _ text: String) throws -> [TokenID] {
            try tokenizer.encode(text, addSpecialTokens: false).ids
        }
        for number in (0..<9999).map(String.init) + (0..<99).map({ "0\($0)" }) {
            let sourceFirst = try first(source, number).first
            if let targetID = target.id(for: number) { add(1, targetID, source.id(for: number) ?? sourceFirst) }
            let targetIDs = try first(target, number)
            if targetIDs.count == 1 { add(1, targetIDs[0], sourceFirst) }
            let spaced = try first(target, " " + number)
            if spaced.count == 1 { add(1, spaced[0], try first(source, " " + number).first) }
        }
        let sourceConvention = VocabularyConvention(of: source), targetConvention = VocabularyConvention(of: target)
        var sourceByKey: [[UInt8]: TokenID] = [:]
        for id in 0..<source.vocabularySize {
            guard let token = source.token(for: TokenID(id)) else { continue }
            let key = sourceConvention.decodedKey(Array(token.utf8))
            if sourceByKey[key] == nil { sourceByKey[key] = TokenID(id) }
        }
        var targetTokens = [[UInt8]](repeating: [], count: targetCount)
        for id in 0..<targetCount {
            guard let token = target.token(for: TokenID(id)) else { continue }
            targetTokens[id] = Array(token.utf8)
            add(1, TokenID(id), sourceByKey[targetConvention.decodedKey(targetTokens[id])])
        }
        func sourceID(_ role: SpecialTokens.Role?) -> TokenID? {
            role.flatMap { sourceRoles.tokens[$0] }.flatMap { source.id(for: $0) }
        }
        let fallbacks: [SpecialTokens.Role: SpecialTokens.Role] = [.bos: .cls, .eos: .sep, .cls: .bos, .sep: .eos, .mask: .pad]
        for role in SpecialTokens.Role.allCases {
            guard let token = targetRoles.tokens[role], let targetID = target.id(for: token) else { continue }
            add(1_000_000_000, targetID, sourceID(role) ?? sourceID(fallbacks[role]) ?? sourceID(.unk))
        }

        let markers = try WordSegmentation(tokenizer: source)
        let startMarker = Array(markers.wordStart.utf8), continuationMarker = Array(markers.continuation.utf8)
        func startsWord(_ id: TokenID) -> Bool {
            guard let token = source.token(for: id) else { return false }
            let bytes = Array(token.utf8)
            return startMarker.isEmpty ? !continuationMarker.isEmpty && !bytes.starts(with: continuationMarker) : bytes.starts(with: startMarker)
        }
        var trie = ByteTrie()
        for id in 0..<targetCount where !counts[id].isEmpty && !targetTokens[id].isEmpty { trie.insert(targetTokens[id], value: Int32(id)) }
        var kinds = [Kind](repeating: .aligned, count: targetCount)
        var smoothed: [Int: [TokenID: Int]] = [:]
        for id in 0..<targetCount where counts[id].isEmpty && !targetTokens[id].isEmpty {
            let token = targetTokens[id]
            var contributors = trie.extensions(of: token).map(Int.init)
            let inner = trie.occurrences(in: token).sorted { targetTokens[Int($0.value)].count > targetTokens[Int($1.value)].count }
            for (index, candidate) in inner.enumerated() {
                let bytes = targetTokens[Int(candidate.value)]
                if !inner[..<index].contains(where: { Self.contains(targetTokens[Int($0.value)], bytes) }) { contributors.append(Int(candidate.value)) }
            }
            guard !contributors.isEmpty else { continue }
            var result: [TokenID: Int] = [:]
            for contributor in contributors {
                let total = counts[contributor].values.reduce(0, +)
                guard total > 0 else { continue }
                for (sourceToken, count) in counts[contributor] {
                    result[sourceToken, default: 0] += max(1, (startsWord(sourceToken) ? 2000 : 1000) * count / total)
                }
            }
            smoothed[id] = result
            kinds[id] = .smoothed
        }
        for (id, result) in smoothed { counts[id] = result }

        let unknownFallback = targetRoles.tokens[.unk].flatMap { source.id(for: $0) }
            ?? sourceID(.unk) ?? sourceID(.pad) ?? sourceID(.bos) ?? 0
        weights = counts.enumerated().map { id, entries in
            let total = entries.values.reduce(0, +)
            guard total > 0 else {
                kinds[id] = .unmapped
                return [(unknownFallback, 1)]
            }
            return entries.map { ($0.key, Double($0.value) / Double(total)) }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
        }
        self.kinds = kinds
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// Whether `haystack` contains `needle` (bytes of UTF-8 text, so also as code points).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// The provenance settings of a mapping built from `alignment` with `options`.
    static func settings(alignment: AlignmentStore.Contents, options: Options) -> [(key: String, value: String)] {
        [("minimum_count", String(options.minimumCount))] + alignment.settings.map { ("alignment_\($0.key)", $0.value) }
    }

    /// The name of the file holding a mapping in an output model directory.
    public static let fileName = "token_mapping.json"

    /// The mapping as JSON, in the reference notebook's form: one `[target token, [[source token, weight], …]]` per target id.
    public func json(source: Tokenizer, target: Tokenizer, ids: [Int]? = nil) -> JSONValue {
        .array((ids ?? Array(weights.indices)).map { id in
            .array([.string(target.token(for: TokenID(id)) ?? ""),
                    .array(weights[id].map { .array([.string(source.token(for: $0.id) ?? ""), .number($0.weight)]) })])
        })
    }
}
