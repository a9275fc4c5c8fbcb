import Support
import TextProcessing

/// How encodings are cut to a maximum length (`tokenizer.json`'s `truncation`).
public struct Truncation: Sendable, Equatable {
    /// Which sequence of a pair loses tokens.
    public enum Strategy: String, Sendable { case longestFirst = "LongestFirst", onlyFirst = "OnlyFirst", onlySecond = "OnlySecond" }
    /// Which end tokens are removed from.
    public enum Direction: String, Sendable { case left = "Left", right = "Right" }

    /// The most tokens an encoding keeps, special tokens included.
    public var maxLength: Int
    /// Which sequence of a pair is cut.
    public var strategy: Strategy
    /// Which end is cut.
    public var direction: Direction

    /// Truncation to `maxLength` tokens.
    public init(maxLength: Int, strategy: Strategy = .longestFirst, direction: Direction = .right) {
        self.maxLength = maxLength
        self.strategy = strategy
        self.direction = direction
    }

    init(_ node: JSONNode) throws {
        maxLength = try node.member("max_length").int(in: 0...Int(Int32.max))
        let strategy = try node.optionalMember("strategy")?.string() ?? "LongestFirst"
        let direction = try node.optionalMember("direction")?.string() ?? "Right"
        guard let parsedStrategy = Strategy(rawValue: strategy) else {
            throw ConfigurationError(path: "\(node.path).strategy", message: "unknown truncation strategy \(strategy.debugDescription)")
        }
        guard let parsedDirection = Direction(rawValue: direction) else {
            throw ConfigurationError(path: "\(node.path).direction", message: "unknown truncation direction \(direction.debugDescription)")
        }
        self.strategy = parsedStrategy
        self.direction = parsedDirection
    }

    /// Cuts `first` (and `pair`) so that together with `added` special tokens they fit.
    func truncate(_ first: inout Encoding, _ pair: inout Encoding?, added: Int) {
        let budget = max(0, maxLength - added)
        func cut(_ encoding: inout Encoding, to length: Int) {
            guard encoding.count > length else { return }
            encoding = direction == .right ? encoding.slice(0..<length) : encoding.slice((encoding.count - length)..<encoding.count)
        }
        guard var second = pair else {
            cut(&first, to: budget)
            return
        }
        switch strategy {
        case .onlyFirst: cut(&first, to: max(0, budget - second.count))
        case .onlySecond: cut(&second, to: max(0, budget - first.count))
        case .longestFirst:
            var firstLength = first.count, secondLength = second.count
            while firstLength + secondLength > budget {
                if firstLength > secondLength { firstLength -= 1 } else { secondLength -= 1 }
            }
            cut(&first, to: firstLength)
            cut(&second, to: secondLength)
        }
        pair = second
    }
}

/// How encodings are padded (`tokenizer.json`'s `padding`).
public struct Padding: Sendable, Equatable {
    /// The length to pad to, or nil to pad to the longest encoding of the batch.
    public var fixedLength: Int?
    /// Whether padding goes before the tokens.
    public var padsLeft: Bool
    /// Pads further, to a multiple of this, if set.
    public var multipleOf: Int?
    /// The id of the padding token.
    public var padID: TokenID
    /// The type id of padding tokens.
    public var padTypeID: UInt32
    /// The padding token.
    public var padToken: String

    /// The longest length a `tokenizer.json` may ask padding to reach (2^24 tokens): padding
    /// allocates every position, so the file's number is bounded before it is used.
    public static let maximumLength = 1 << 24

    /// Padding as `tokenizer.json` describes it.
    public init(fixedLength: Int? = nil, padsLeft: Bool = false, multipleOf: Int? = nil, padID: TokenID = 0,
                padTypeID: UInt32 = 0, padToken: String = "[PAD]") {
        self.fixedLength = fixedLength
        self.padsLeft = padsLeft
        self.multipleOf = multipleOf
        self.padID = padID
        self.padTypeID = padTypeID
        self.padToken = padToken
    }

    init(_ node: JSONNode) throws {
        let strategy = try node.member("strategy")
        if case .string("BatchLongest") = strategy.value {
            fixedLength = nil
        } else if let fixed = try? strategy.member("Fixed") {
            fixedLength = try fixed.int(in: 0...Padding.maximumLength)
        } else {
            throw ConfigurationError(path: strategy.path, message: "expected \"BatchLongest\" or {\"Fixed\": n}")
        }
        padsLeft = try node.optionalMember("direction")?.string() == "Left"
        multipleOf = try node.optionalMember("pad_to_multiple_of")?.int(in: 0...Padding.maximumLength)
        padID = try node.optionalMember("pad_id")?.uint32() ?? 0
        padTypeID = try node.optionalMember("pad_type_id")?.uint32() ?? 0
        padToken = try node.optionalMember("pad_token")?.string() ?? "[PAD]"
    }

    /// Pads every encoding of a batch to the same length.
    func pad(_ encodings: inout [Encoding]) {
        var target = fixedLength ?? encodings.map(\.count).max() ?? 0
        if let multipleOf, multipleOf > 0, target % multipleOf != 0 { target += multipleOf - target % multipleOf }
        for index in encodings.indices where encodings[index].count < target {
            var padding = Encoding()
            for _ in 0..<(target - encodings[index].count) {
                padding.append(id: padID, token: padToken, offsets: 0..<0, typeID: padTypeID, special: true, sequence: nil)
            }
            padding.attentionMask = Array(repeating: 0, count: padding.count)
            if padsLeft {
                padding.append(contentsOf: encodings[index])
                encodings[index] = padding
            } else {
                encodings[index].append(contentsOf: padding)
            }
        }
    }
}
