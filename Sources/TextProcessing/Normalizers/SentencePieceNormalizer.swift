/// SentencePiece's own normalizer (`normalizer_spec`), exactly as `sentencepiece` applies it: at
/// each position a protected symbol (the model's user-defined pieces) is kept as it is, else the
/// longest rule of the charsmap is applied, else one character is kept; with
/// `removeExtraWhitespaces`, leading and trailing spaces go and runs of spaces become one;
/// `addDummyPrefix` puts a space before the text (after it with `whitespaceAsSuffix`); with
/// `escapeWhitespaces`, spaces become `▁` (U+2581). Only U+0020 counts as a space.
public struct SentencePieceNormalizer: SymbolPreservingNormalizer {
    /// The compiled rules (nil for the identity normalizer).
    public let charsMap: PrecompiledCharsMap?
    /// Whether a space is put before the text (or after it, with ``whitespaceAsSuffix``).
    public let addDummyPrefix: Bool
    /// Whether leading and trailing spaces are removed and inner runs of spaces become one.
    public let removeExtraWhitespaces: Bool
    /// Whether spaces are written as `▁`.
    public let escapeWhitespaces: Bool
    /// Whether the dummy space goes after the text (`treat_whitespace_as_suffix`).
    public let whitespaceAsSuffix: Bool
    private let protected: [UInt8: [[UInt8]]]

    /// A normalizer of the given spec; `protectedSymbols` are matched longest first and left as they are.
    public init(charsMap: PrecompiledCharsMap?, addDummyPrefix: Bool, removeExtraWhitespaces: Bool, escapeWhitespaces: Bool,
                whitespaceAsSuffix: Bool = false, protectedSymbols: [String] = []) {
        self.charsMap = charsMap
        self.addDummyPrefix = addDummyPrefix
        self.removeExtraWhitespaces = removeExtraWhitespaces
        self.escapeWhitespaces = escapeWhitespaces
        self.whitespaceAsSuffix = whitespaceAsSuffix
        var protected: [UInt8: [[UInt8]]] = [:]
        for symbol in Set(protectedSymbols.map { Array($0.utf8) }) where !symbol.isEmpty {
            protected[symbol[0], default: []].append(symbol)
        }
        self.protected = protected.mapValues { $0.sorted { $0.count > $1.count } }
    }

    static let space: UInt8 = 0x20
    static let spaceSymbol: [UInt8] = Array("▁".utf8)

    /// The normalized form of the longest prefix rule at `start` and the bytes it consumes.
    private func prefix(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (replacement: ArraySlice<UInt8>, length: Int) {
        if let candidates = protected[bytes[start]] {
            for symbol in candidates where bytes.count - start >= symbol.count
                && symbol.withUnsafeBufferPointer({ $0.elementsEqual(bytes[start..<(start + symbol.count)]) }) {
                return (ArraySlice(bytes[start..<(start + symbol.count)]), symbol.count)
            }
        }
        let rest = UnsafeBufferPointer(rebasing: bytes[start...])
        if let match = charsMap?.longestMatch(rest), match.length > 0 { return (match.replacement, match.length) }
        let length = min(bytes.count - start, UTF8.scalarWidth(leading: bytes[start]))
        return (ArraySlice(rest[..<length]), length)
    }

    /// A protected symbol appears as it is, its spaces escaped.
    public func pattern(of content: String) -> [UInt32] {
        content.unicodeScalars.map { escapeWhitespaces && $0 == " " ? 0x2581 : $0.value }
    }

    public func normalize(_ text: inout NormalizedString) {
        guard !text.isEmpty else { return }
        var bytes: [UInt8] = []
        var owner: [Int] = []
        bytes.reserveCapacity(text.scalars.count)
        owner.reserveCapacity(text.scalars.count + 1)
        for (index, scalar) in text.scalars.enumerated() {
            for byte in UTF8.encode(Unicode.Scalar(scalar)!)! {
                bytes.append(byte)
                owner.append(index)
            }
        }
        owner.append(text.scalars.count)
        var output: [UInt8] = []
        var origins: [Range<Int>] = []
        output.reserveCapacity(bytes.count * 3 / 2)
        bytes.withUnsafeBufferPointer { bytes in
            var position = 0
            func origin(_ length: Int) -> Range<Int> {
                let first = text.alignments[owner[position]]
                let last = text.alignments[max(owner[position], owner[position + length] - 1)]
                return first.lowerBound..<max(first.lowerBound, last.upperBound)
            }
            if removeExtraWhitespaces {
                while position < bytes.count {
                    let (replacement, length) = prefix(bytes, at: position)
                    guard replacement.count == 1, replacement.first == Self.space else { break }
                    position += length
                }
            }
            guard position < bytes.count else { return }
            func addSpace(_ alignment: Range<Int>) {
                let space = escapeWhitespaces ? Self.spaceSymbol : [Self.space]
                output.append(contentsOf: space)
                origins.append(contentsOf: repeatElement(alignment, count: space.count))
            }
            if addDummyPrefix, !whitespaceAsSuffix { addSpace(text.alignments[owner[position]]) }
            var previousIsSpace = removeExtraWhitespaces
            while position < bytes.count {
                var (replacement, length) = prefix(bytes, at: position)
                let alignment = origin(length)
                while previousIsSpace, replacement.first == Self.space { replacement = replacement.dropFirst() }
                if !replacement.isEmpty {
                    for byte in replacement {
                        if escapeWhitespaces, byte == Self.space {
                            output.append(contentsOf: Self.spaceSymbol)
                            origins.append(contentsOf: repeatElement(alignment, count: Self.spaceSymbol.count))
                        } else {
                            output.append(byte)
                            origins.append(alignment)
                        }
                    }
                    previousIsSpace = replacement.last == Self.space
                }
                position += length
                if !removeExtraWhitespaces { previousIsSpace = false }
            }
            if removeExtraWhitespaces {
                let space = escapeWhitespaces ? Self.spaceSymbol : [Self.space]
                while output.count >= space.count, output.suffix(space.count).elementsEqual(space) {
                    output.removeLast(space.count)
                    origins.removeLast(space.count)
                }
            }
            if addDummyPrefix, whitespaceAsSuffix, let last = origins.last { addSpace(last.upperBound..<last.upperBound) }
        }
        // Every replacement is whole characters, so the bytes decode scalar by scalar.
        var scalars: [UInt32] = []
        var alignments: [Range<Int>] = []
        scalars.reserveCapacity(output.count)
        alignments.reserveCapacity(output.count)
        var index = 0
        while index < output.count {
            let width = min(output.count - index, UTF8.scalarWidth(leading: output[index]))
            var decoder = UTF8()
            var iterator = output[index..<(index + width)].makeIterator()
            if case .scalarValue(let scalar) = decoder.decode(&iterator) { scalars.append(scalar.value) } else { scalars.append(0xFFFD) }
            alignments.append(origins[index])
            index += width
        }
        text = NormalizedString(scalars: scalars, alignments: alignments)
    }
}

extension UTF8 {
    /// The number of bytes of the scalar whose encoding starts with `leading` (1 for a stray continuation byte).
    static func scalarWidth(leading: UInt8) -> Int {
        switch leading {
        case 0xF0...: return 4
        case 0xE0...: return 3
        case 0xC0...: return 2
        default: return 1
        }
    }
}
