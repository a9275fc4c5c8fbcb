/// Shared steps of the hand-written scanners: each reproduces one alternative of the
/// well-known pre-tokenization regular expressions with Oniguruma's backtracking result.
struct ScalarCursor {
    let text: UnsafeBufferPointer<UInt32>

    @inline(__always) var count: Int { text.count }

    /// The matches of a scanner whose matches cover the whole text, one after the other:
    /// `matchEnd` gives the end of the match starting at an offset.
    @inline(__always)
    func tile(_ matchEnd: (ScalarCursor, Int) -> Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        result.reserveCapacity(count / 4 + 1)
        var i = 0
        while i < count {
            let end = matchEnd(self, i)
            result.append(i..<end)
            i = end
        }
        return result
    }

    @inline(__always) func classes(at index: Int) -> CharacterClass {
        CharacterClass.of(text[index])
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
        let c = text[index]
        return c != 0x0A && c != 0x0D && classes(at: index).isDisjoint(with: [.letter, .number])
    }

    @inline(__always) func isNewline(_ index: Int) -> Bool {
        index < count && (text[index] == 0x0A || text[index] == 0x0D)
    }

    /// The end of the run of scalars starting at `index` that satisfy `predicate`.
    @inline(__always) func run(from index: Int, while predicate: (Int) -> Bool) -> Int {
        var end = index
        while predicate(end) { end += 1 }
        return end
    }

    /// The end of an English contraction (`'s|'t|'re|'ve|'m|'ll|'d`) at `index`, if any;
    /// with `caseInsensitive`, letters match as Oniguruma's case folding does.
    func contraction(at index: Int, caseInsensitive: Bool) -> Int? {
        guard index + 1 < count, text[index] == 0x27 else { return nil }
        func letter(_ offset: Int, _ lower: UInt32) -> Bool {
            let i = index + offset
            guard i < count else { return false }
            let c = text[i]
            if c == lower { return true }
            guard caseInsensitive else { return false }
            if c == lower - 0x20 { return true }
            return lower == 0x73 && c == 0x17F  // LATIN SMALL LETTER LONG S folds to s
        }
        if letter(1, 0x73) || letter(1, 0x74) || letter(1, 0x6D) || letter(1, 0x64) { return index + 2 }
        if (letter(1, 0x72) && letter(2, 0x65)) || (letter(1, 0x76) && letter(2, 0x65))
            || (letter(1, 0x6C) && letter(2, 0x6C)) {
            return index + 3
        }
        return nil
    }

    /// The end of a whitespace match at `index` (a `\s` scalar) for the alternatives
    /// `\s+(?!\S)|\s+`: all of the run when it ends the text, else all but its last
    /// scalar, or the single scalar when the run has length one.
    @inline(__always) func whitespace(at index: Int) -> Int {
        let end = run(from: index, while: isSpace)
        if end == count || end - index == 1 { return end }
        return end - 1
    }

    /// The end of `\s*[\r\n]+` at `index`, if it matches: one past the last newline in
    /// the whitespace run starting there.
    @inline(__always) func whitespaceThroughNewline(at index: Int) -> Int? {
        let end = run(from: index, while: isSpace)
        var last = end - 1
        while last >= index {
            if text[last] == 0x0A || text[last] == 0x0D { return last + 1 }
            last -= 1
        }
        return nil
    }
}
