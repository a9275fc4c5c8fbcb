import Tokenization

/// The alignment units of one side of a corpus: each distinct word (a sequence of token
/// ids) gets a dense id in order of first appearance.
public struct UnitVocabulary: Sendable {
    /// The token ids of each unit, by unit id.
    public private(set) var units: [[TokenID]] = []
    private var singles: [UInt32]
    private var words: [[TokenID]: UInt32] = [:]

    /// An empty vocabulary for a tokenizer of `tokenCount` ids.
    public init(tokenCount: Int) {
        singles = [UInt32](repeating: .max, count: tokenCount)
    }

    /// The number of units.
    public var count: Int { units.count }

    /// The id of the unit `tokens`, added if new.
    public mutating func id<C: Collection>(of tokens: C) -> UInt32 where C.Element == TokenID {
        if tokens.count == 1, let token = tokens.first, Int(token) < singles.count {
            if singles[Int(token)] == .max {
                singles[Int(token)] = UInt32(units.count)
                units.append([token])
            }
            return singles[Int(token)]
        }
        let key = Array(tokens)
        if let id = words[key] { return id }
        let id = UInt32(units.count)
        words[key] = id
        units.append(key)
        return id
    }
}
