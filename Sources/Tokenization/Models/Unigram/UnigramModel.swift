import Support
import TextProcessing

/// A Unigram language model (SentencePiece, XLM-R style) with Hugging Face `tokenizers`
/// semantics: the Viterbi segmentation maximizing the sum of piece scores, where a
/// character no piece starts with becomes an unknown node scored `min score - 10`;
/// consecutive unknown nodes fuse; an unknown segment that is not a piece becomes its
/// `<0xNN>` byte tokens with byte fallback, else the unknown token.
public struct UnigramModel: TokenizerModel {
    /// The pieces; ids are positions (a repeated piece answers with its last id).
    public let vocabulary: Vocabulary
    /// The score (log probability) of each piece, by id.
    public let scores: [Double]
    /// The id of the unknown piece, if any.
    public let unknownID: TokenID?
    /// Whether unknown segments are spelled with `<0xNN>` byte tokens.
    public let byteFallback: Bool
    private let unknownScore: Double
    private let longestPiece: Int
    /// Whether each piece may be matched in text; nil when all may.
    private let matchable: [Bool]?
    /// Whether path scores are summed in single precision, as `sentencepiece` does.
    private let singlePrecision: Bool

    /// A model of `pieces` (string and score, in id order).
    public init(pieces: [(String, Double)], unknownID: Int?, byteFallback: Bool) throws {
        try self.init(pieces: pieces, unknownID: unknownID, byteFallback: byteFallback, matchable: nil, unknownScore: nil, singlePrecision: false)
    }

    /// A model as `sentencepiece` runs one: only `matchable` pieces are matched in text (not its
    /// control, unknown, byte and unused pieces), an unknown character scores `unknownScore`, and
    /// with `singlePrecision` path scores are `Float` sums (which decides ties as it does).
    init(pieces: [(String, Double)], unknownID: Int?, byteFallback: Bool, matchable: [Bool]?, unknownScore: Double?,
         singlePrecision: Bool) throws {
        if let unknownID, unknownID >= pieces.count || unknownID < 0 {
            throw TokenizerError.invalidModel("unk_id \(unknownID) is not a piece id (the vocabulary has \(pieces.count))")
        }
        var vocabulary = Vocabulary(capacity: pieces.count)
        var longest = 0
        for (id, piece) in pieces.enumerated() {
            let bytes = Array(piece.0.utf8)
            vocabulary.insert(bytes, id: TokenID(id))
            longest = max(longest, bytes.count)
        }
        self.vocabulary = vocabulary
        scores = pieces.map(\.1)
        self.unknownID = unknownID.map { TokenID($0) }
        self.byteFallback = byteFallback
        self.unknownScore = unknownScore ?? (scores.min() ?? 0) - 10
        longestPiece = longest
        self.matchable = matchable
        self.singlePrecision = singlePrecision
    }

    public var unknownToken: String? { unknownID.flatMap { vocabulary.string(for: $0) } }
    public var isStochastic: Bool { false }

    /// The text of an unknown segment (as `tokenizers`' Unigram), else the vocabulary entry.
    public func tokenString(for id: TokenID, text: String) -> String {
        id == unknownID ? text : vocabulary.string(for: id) ?? text
    }

    public func isByteFallbackToken(_ id: TokenID) -> Bool {
        guard byteFallback, let token = vocabulary.string(for: id) else { return false }
        return ByteFallbackDecoder.byte(of: token) != nil
    }

    public func tokenize(_ piece: UnsafeBufferPointer<UInt32>, workspace: inout BPEWorkspace, into tokens: inout [ModelToken], cached: Bool) {
        guard !piece.isEmpty else { return }
        let byteStart = workspace.loadUTF8(piece)
        if cached, workspace.bytes.withUnsafeBufferPointer({ workspace.cache.append($0, to: &tokens) }) { return }
        let firstNew = tokens.count
        let bytes = workspace.bytes
        bytes.withUnsafeBufferPointer { bytes in viterbi(bytes, byteStart: byteStart, into: &tokens) }
        if cached { bytes.withUnsafeBufferPointer { workspace.cache.store($0, tokens[firstNew...]) } }
    }

    private struct Node {
        var score: Double = 0
        var start = -1
        var id: TokenID = 0
    }

    private func viterbi(_ bytes: UnsafeBufferPointer<UInt8>, byteStart: [Int], into tokens: inout [ModelToken]) {
        let count = byteStart.count - 1
        var best = [Node](repeating: Node(), count: count + 1)
        for start in 0..<count {
            let here = best[start].score
            var hasSingle = false
            var end = start + 1
            while end <= count && byteStart[end] - byteStart[start] <= longestPiece {
                let span = UnsafeBufferPointer(rebasing: bytes[byteStart[start]..<byteStart[end]])
                if let id = vocabulary.id(for: span), matchable?[Int(id)] ?? true {
                    let candidate = singlePrecision ? Double(Float(scores[Int(id)]) + Float(here)) : scores[Int(id)] + here
                    if best[end].start < 0 || candidate > best[end].score { best[end] = Node(score: candidate, start: start, id: id) }
                    if end == start + 1 { hasSingle = true }
                }
                end += 1
            }
            if !hasSingle, let unknownID {
                let candidate = singlePrecision ? Double(Float(unknownScore) + Float(here)) : unknownScore + here
                if best[start + 1].start < 0 || candidate > best[start + 1].score {
                    best[start + 1] = Node(score: candidate, start: start, id: unknownID)
                }
            }
        }
        var segments: [(start: Int, end: Int, unknown: Bool)] = []
        var end = count
        while end > 0 {
            let node = best[end]
            guard node.start >= 0 else { end -= 1; continue }
            let unknown = node.id == unknownID
            if unknown, let last = segments.last, last.unknown {
                segments[segments.count - 1].start = node.start
            } else {
                segments.append((node.start, end, unknown))
            }
            end = node.start
        }
        for segment in segments.reversed() {
            let span = UnsafeBufferPointer(rebasing: bytes[byteStart[segment.start]..<byteStart[segment.end]])
            if let id = vocabulary.id(for: span), matchable?[Int(id)] ?? true {
                tokens.append(ModelToken(id: id, start: Int32(segment.start), end: Int32(segment.end)))
                continue
            }
            if byteFallback {
                let ids = span.map { vocabulary.id(for: BPEModel.byteTokenName($0)) }
                if ids.allSatisfy({ $0 != nil }) {
                    for id in ids { tokens.append(ModelToken(id: id!, start: Int32(segment.start), end: Int32(segment.end))) }
                    continue
                }
            }
            if let unknownID { tokens.append(ModelToken(id: unknownID, start: Int32(segment.start), end: Int32(segment.end))) }
        }
    }

    public var json: JSONValue {
        .object([
            JSONMember("type", .string("Unigram")),
            JSONMember("unk_id", unknownID.map { .number(Double($0)) } ?? .null),
            JSONMember("vocab", .array(scores.indices.map { id in
                .array([.string(vocabulary.string(for: TokenID(id)) ?? ""), .number(scores[id])])
            })),
            JSONMember("byte_fallback", .bool(byteFallback)),
        ])
    }
}
