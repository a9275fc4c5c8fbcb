/// A set of character classes, one bit each, as Hugging Face `tokenizers` defines them.
///
/// The sets come from `OracleUnicodeTables`, which is extracted from the oracle, so
/// every class matches the Unicode version of the library that uses it there.
public struct CharacterClass: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `\p{L}` in the regular expressions (Oniguruma).
    public static let letter = CharacterClass(rawValue: 1 << 0)
    /// `\p{N}` in the regular expressions.
    public static let number = CharacterClass(rawValue: 1 << 1)
    /// `\s` in the regular expressions.
    public static let space = CharacterClass(rawValue: 1 << 2)
    /// `\p{Lu}`.
    public static let uppercaseLetter = CharacterClass(rawValue: 1 << 3)
    /// `\p{Ll}`.
    public static let lowercaseLetter = CharacterClass(rawValue: 1 << 4)
    /// `\p{Lt}`.
    public static let titlecaseLetter = CharacterClass(rawValue: 1 << 5)
    /// `\p{Lm}`.
    public static let modifierLetter = CharacterClass(rawValue: 1 << 6)
    /// `\p{Lo}`.
    public static let otherLetter = CharacterClass(rawValue: 1 << 7)
    /// `\p{M}`.
    public static let mark = CharacterClass(rawValue: 1 << 8)
    /// Rust's `char::is_whitespace`.
    public static let whitespace = CharacterClass(rawValue: 1 << 9)
    /// `\w` of the Rust `regex` crate (the Whitespace pre-tokenizer).
    public static let word = CharacterClass(rawValue: 1 << 10)
    /// The Punctuation pre-tokenizer's punctuation.
    public static let punctuation = CharacterClass(rawValue: 1 << 11)
    /// Rust's `char::is_numeric` (the Digits pre-tokenizer).
    public static let numeric = CharacterClass(rawValue: 1 << 12)
    /// Characters BertNormalizer's `clean_text` removes.
    public static let bertControl = CharacterClass(rawValue: 1 << 13)
    /// Characters BertNormalizer's `clean_text` turns into a space.
    public static let bertWhitespace = CharacterClass(rawValue: 1 << 14)
    /// Characters BertNormalizer's `handle_chinese_chars` surrounds with spaces.
    public static let bertChinese = CharacterClass(rawValue: 1 << 15)
    /// Characters BertNormalizer's `strip_accents` removes after NFD.
    public static let bertNonspacingMark = CharacterClass(rawValue: 1 << 16)
    /// Characters the StripAccents normalizer removes.
    public static let combiningMark = CharacterClass(rawValue: 1 << 17)

    /// The classes of one scalar value.
    @inline(__always)
    public static func of(_ scalar: UInt32) -> CharacterClass {
        CharacterClassTable.shared.classes(of: scalar)
    }
}

/// A two-stage lookup table from scalar value to ``CharacterClass``, built once.
final class CharacterClassTable: Sendable {
    static let shared = CharacterClassTable()

    // Allocated once for the process's lifetime: raw pointers keep the lookup free of
    // bounds checks and reference counting in the scanners' inner loops.
    nonisolated(unsafe) let blockIndex: UnsafeMutablePointer<UInt16>
    nonisolated(unsafe) let blocks: UnsafeMutablePointer<UInt32>

    private init() {
        var flat = [UInt32](repeating: 0, count: 0x110000)
        let sources: [(String, CharacterClass)] = [
            (OracleUnicodeTables.onigLetter, .letter),
            (OracleUnicodeTables.onigNumber, .number),
            (OracleUnicodeTables.onigSpace, .space),
            (OracleUnicodeTables.onigUppercase, .uppercaseLetter),
            (OracleUnicodeTables.onigLowercase, .lowercaseLetter),
            (OracleUnicodeTables.onigTitlecase, .titlecaseLetter),
            (OracleUnicodeTables.onigModifier, .modifierLetter),
            (OracleUnicodeTables.onigOtherLetter, .otherLetter),
            (OracleUnicodeTables.onigMark, .mark),
            (OracleUnicodeTables.rustWhitespace, .whitespace),
            (OracleUnicodeTables.rustWord, .word),
            (OracleUnicodeTables.punctuation, .punctuation),
            (OracleUnicodeTables.rustNumeric, .numeric),
            (OracleUnicodeTables.bertControl, .bertControl),
            (OracleUnicodeTables.bertWhitespace, .bertWhitespace),
            (OracleUnicodeTables.bertChinese, .bertChinese),
            (OracleUnicodeTables.bertNonspacingMark, .bertNonspacingMark),
            (OracleUnicodeTables.combiningMark, .combiningMark),
        ]
        flat.withUnsafeMutableBufferPointer { flat in
            for (ranges, bit) in sources {
                for range in HexRanges(ranges) {
                    for c in range { flat[Int(c)] |= bit.rawValue }
                }
            }
        }
        // Blocks are shared: most of the code space is unassigned, so a block whose 256 values
        // are all equal is looked up by that value, and only the others are hashed whole.
        var index = [UInt16](repeating: 0, count: 0x110000 >> 8)
        var blocks: [UInt32] = []
        var seen: [[UInt32]: UInt16] = [:]
        var uniform: [UInt32: UInt16] = [:]
        flat.withUnsafeBufferPointer { flat in
            for block in 0..<(0x110000 >> 8) {
                let slice = UnsafeBufferPointer(rebasing: flat[(block << 8)..<((block + 1) << 8)])
                let isUniform = slice.allSatisfy { $0 == slice[0] }
                if isUniform, let existing = uniform[slice[0]] {
                    index[block] = existing
                } else if !isUniform, let existing = seen[Array(slice)] {
                    index[block] = existing
                } else {
                    let id = UInt16(blocks.count >> 8)
                    if isUniform { uniform[slice[0]] = id } else { seen[Array(slice)] = id }
                    blocks.append(contentsOf: slice)
                    index[block] = id
                }
            }
        }
        self.blockIndex = .allocate(capacity: index.count)
        self.blockIndex.initialize(from: index, count: index.count)
        self.blocks = .allocate(capacity: blocks.count)
        self.blocks.initialize(from: blocks, count: blocks.count)
    }

    @inline(__always)
    func classes(of scalar: UInt32) -> CharacterClass {
        guard scalar < 0x110000 else { return [] }
        return Self.classes(of: scalar, blockIndex: blockIndex, blocks: blocks)
    }

    /// The lookup itself, for callers that keep the table's pointers at hand; `scalar` must
    /// be a scalar value. Block 0 holds ASCII, so its classes are `blocks[scalar]`.
    @inline(__always)
    static func classes(of scalar: UInt32, blockIndex: UnsafeMutablePointer<UInt16>, blocks: UnsafeMutablePointer<UInt32>) -> CharacterClass {
        let block = Int(blockIndex[Int(scalar >> 8)]) << 8
        return CharacterClass(rawValue: blocks[block | Int(scalar & 0xFF)])
    }
}

/// Parses "41-5A,61" style hexadecimal range lists.
struct HexRanges: Sequence {
    let text: String
    init(_ text: String) { self.text = text }

    func makeIterator() -> IndexingIterator<[ClosedRange<UInt32>]> {
        var result: [ClosedRange<UInt32>] = []
        for item in text.utf8.split(separator: UInt8(ascii: ",")) {
            let parts = item.split(separator: UInt8(ascii: "-"))
            let low = UInt32(Substring(parts[0]), radix: 16)!
            let high = parts.count > 1 ? UInt32(Substring(parts[1]), radix: 16)! : low
            result.append(low...high)
        }
        return result.makeIterator()
    }
}
