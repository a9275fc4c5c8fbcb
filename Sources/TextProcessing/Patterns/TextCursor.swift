/// A position-by-position view of text for the hand-written scanners, over Unicode scalar
/// values (``ScalarCursor``) or UTF-8 bytes (``UTF8Cursor``): each scanner is written once,
/// against this protocol, and reproduces one alternative of the well-known pre-tokenization
/// regular expressions with Oniguruma's backtracking result. Offsets are code units.
protocol TextCursor {
    /// The number of code units.
    var count: Int { get }
    /// The code unit at `index`: equal to the scalar value when that scalar is ASCII.
    func unit(at index: Int) -> UInt32
    /// The value of the scalar starting at `index`.
    func scalar(at index: Int) -> UInt32
    /// The classes of the scalar starting at `index`.
    func classes(at index: Int) -> CharacterClass
    /// The offset of the scalar after the one starting at `index`.
    func after(_ index: Int) -> Int
    /// The offset of the scalar before the one starting at `index`.
    func before(_ index: Int) -> Int
    /// The end of the run of scalars from `index` that have any of `wanted`.
    func run(from index: Int, having wanted: CharacterClass) -> Int
    /// The end of the run of scalars from `index` that have none of `unwanted`.
    func run(from index: Int, lacking unwanted: CharacterClass) -> Int
}

/// A cursor over Unicode scalar values.
struct ScalarCursor: TextCursor {
    let text: UnsafeBufferPointer<UInt32>

    init(text: UnsafeBufferPointer<UInt32>) { self.text = text }

    @inline(__always) var count: Int { text.count }
    @inline(__always) func unit(at index: Int) -> UInt32 { text[index] }
    @inline(__always) func scalar(at index: Int) -> UInt32 { text[index] }
    @inline(__always) func classes(at index: Int) -> CharacterClass { CharacterClass.of(text[index]) }
    @inline(__always) func after(_ index: Int) -> Int { index + 1 }
    @inline(__always) func before(_ index: Int) -> Int { index - 1 }

    @inline(__always) func run(from index: Int, having wanted: CharacterClass) -> Int {
        run(from: index) { $0 < count && !classes(at: $0).isDisjoint(with: wanted) }
    }

    @inline(__always) func run(from index: Int, lacking unwanted: CharacterClass) -> Int {
        run(from: index) { $0 < count && classes(at: $0).isDisjoint(with: unwanted) }
    }
}

/// A cursor over valid UTF-8, classifying scalars through the two-level table (whose first
/// block is indexed by the ASCII byte itself).
struct UTF8Cursor: TextCursor {
    let text: UnsafeBufferPointer<UInt8>
    private let blockIndex: UnsafeMutablePointer<UInt16>
    private let blocks: UnsafeMutablePointer<UInt32>

    init(text: UnsafeBufferPointer<UInt8>) {
        self.text = text
        let table = CharacterClassTable.shared
        blockIndex = table.blockIndex
        blocks = table.blocks
    }

    @inline(__always) var count: Int { text.count }
    @inline(__always) func unit(at index: Int) -> UInt32 { UInt32(text[index]) }

    @inline(__always) func classes(at index: Int) -> CharacterClass {
        let lead = text[index]
        if lead < 0x80 { return CharacterClass(rawValue: blocks[Int(lead)]) }
        return CharacterClassTable.classes(of: scalar(at: index), blockIndex: blockIndex, blocks: blocks)
    }

    @inline(__always) func scalar(at index: Int) -> UInt32 {
        let lead = UInt32(text[index])
        if lead < 0x80 { return lead }
        if lead < 0xE0 { return (lead & 0x1F) << 6 | UInt32(text[index + 1] & 0x3F) }
        if lead < 0xF0 {
            return (lead & 0x0F) << 12 | UInt32(text[index + 1] & 0x3F) << 6 | UInt32(text[index + 2] & 0x3F)
        }
        return (lead & 0x07) << 18 | UInt32(text[index + 1] & 0x3F) << 12 | UInt32(text[index + 2] & 0x3F) << 6
            | UInt32(text[index + 3] & 0x3F)
    }

    @inline(__always) func after(_ index: Int) -> Int {
        let lead = text[index]
        if lead < 0x80 { return index + 1 }
        if lead < 0xE0 { return index + 2 }
        return lead < 0xF0 ? index + 3 : index + 4
    }

    @inline(__always) func before(_ index: Int) -> Int {
        var previous = index - 1
        while previous > 0 && text[previous] & 0xC0 == 0x80 { previous -= 1 }
        return previous
    }

    // The runs step through ASCII bytes with one table load each, the scanners' hot loop.
    @inline(__always) func run(from index: Int, having wanted: CharacterClass) -> Int {
        run(from: index, stoppingAt: { $0 & wanted.rawValue == 0 })
    }

    @inline(__always) func run(from index: Int, lacking unwanted: CharacterClass) -> Int {
        run(from: index, stoppingAt: { $0 & unwanted.rawValue != 0 })
    }

    /// The end of the run of scalars from `index` before the first whose class bits `stop` accepts.
    @inline(__always) private func run(from index: Int, stoppingAt stop: (UInt32) -> Bool) -> Int {
        var i = index
        while i < count {
            let lead = text[i]
            if lead < 0x80 {
                if stop(blocks[Int(lead)]) { return i }
                i += 1
            } else {
                if stop(classes(at: i).rawValue) { return i }
                i = after(i)
            }
        }
        return i
    }
}

extension TextCursor {
    /// The matches of a scanner whose matches cover the whole text, one after the other:
    /// `matchEnd` gives the end of the match starting at an offset. Appended to `result`.
    @inline(__always)
    func tile(into result: inout [Range<Int>], _ matchEnd: (Self, Int) -> Int) {
        var i = 0
        while i < count {
            let end = matchEnd(self, i)
            result.append(i..<end)
            i = end
        }
    }

    @inline(__always) func isLetter(_ index: Int) -> Bool {
        index < count && classes(at: index).contains(.letter)
    }

    @inline(__always) func isNumber(_ index: Int) -> Bool {
        index < count && classes(at: index).contains(.number)
    }

    @inline(__always) func isSpace(_ index: Int) -> Bool {
        index < count && classes(at: index).contains(.space)
    }

    /// `[^\s\p{L}\p{N}]`
    @inline(__always) func isOther(_ index: Int) -> Bool {
        index < count && classes(at: index).isDisjoint(with: [.space, .letter, .number])
    }

    /// `[^\r\n\p{L}\p{N}]`
    @inline(__always) func isLetterPrefix(_ index: Int) -> Bool {
        guard index < count else { return false }
        let c = unit(at: index)
        return c != 0x0A && c != 0x0D && classes(at: index).isDisjoint(with: [.letter, .number])
    }

    @inline(__always) func isNewline(_ index: Int) -> Bool {
        index < count && (unit(at: index) == 0x0A || unit(at: index) == 0x0D)
    }

    /// The end of the run of scalars starting at `index` that satisfy `predicate`.
    @inline(__always) func run(from index: Int, while predicate: (Int) -> Bool) -> Int {
        var end = index
        while predicate(end) { end = after(end) }
        return end
    }

    /// The end of at most `limit` scalars of `\p{N}` starting at `index` (a number).
    @inline(__always) func digits(from index: Int, limit: Int) -> Int {
        var end = after(index), taken = 1
        while taken < limit && isNumber(end) {
            end = after(end)
            taken += 1
        }
        return end
    }

    /// The end of an English contraction (`'s|'t|'re|'ve|'m|'ll|'d`) at `index`, if any;
    /// with `caseInsensitive`, letters match as Oniguruma's case folding does.
    @inline(__always)
    func contraction(at index: Int, caseInsensitive: Bool) -> Int? {
        guard index + 1 < count, unit(at: index) == 0x27 else { return nil }
        return contractionAfterApostrophe(at: index, caseInsensitive: caseInsensitive)
    }

    private func contractionAfterApostrophe(at index: Int, caseInsensitive: Bool) -> Int? {
        // The end of a scalar at `i` matching `lower` (ASCII), or nil.
        func letter(_ i: Int, _ lower: UInt32) -> Int? {
            guard i < count else { return nil }
            let c = scalar(at: i)
            if c == lower { return i + 1 }
            guard caseInsensitive else { return nil }
            if c == lower - 0x20 { return i + 1 }
            // LATIN SMALL LETTER LONG S folds to s.
            return lower == 0x73 && c == 0x17F ? after(i) : nil
        }
        let first = index + 1
        for single: UInt32 in [0x73, 0x74, 0x6D, 0x64] {
            if let end = letter(first, single) { return end }
        }
        for (a, b): (UInt32, UInt32) in [(0x72, 0x65), (0x76, 0x65), (0x6C, 0x6C)] {
            if let middle = letter(first, a), let end = letter(middle, b) { return end }
        }
        return nil
    }

    /// The end of a whitespace match at `index` (a `\s` scalar) for the alternatives
    /// `\s+(?!\S)|\s+`: all of the run when it ends the text, else all but its last
    /// scalar, or the single scalar when the run has length one.
    @inline(__always) func whitespace(at index: Int) -> Int {
        let end = run(from: index, having: .space)
        if end == count || after(index) == end { return end }
        return before(end)
    }

    /// The end of `\s*[\r\n]+` at `index`, if it matches: one past the last newline in
    /// the whitespace run starting there.
    @inline(__always) func whitespaceThroughNewline(at index: Int) -> Int? {
        let end = run(from: index, having: .space)
        var last = end - 1
        while last >= index {
            let c = unit(at: last)
            if c == 0x0A || c == 0x0D { return last + 1 }
            last -= 1
        }
        return nil
    }
}
