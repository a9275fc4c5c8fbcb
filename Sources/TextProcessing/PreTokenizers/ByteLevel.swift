/// GPT-2's byte-level pre-tokenizer: optionally splits with the GPT-2 pattern, then maps
/// every UTF-8 byte to a printable character (`Ġ` for the space byte).
public struct ByteLevel: PreTokenizer {
    /// Prepends a space to every piece that does not start with one.
    public let addPrefixSpace: Bool
    /// Only changes offsets in post-processing; kept for round-tripping `tokenizer.json`.
    public let trimOffsets: Bool
    /// Splits with the GPT-2 pattern before mapping bytes.
    public let useRegex: Bool

    public init(addPrefixSpace: Bool = true, trimOffsets: Bool = true, useRegex: Bool = true) {
        self.addPrefixSpace = addPrefixSpace
        self.trimOffsets = trimOffsets
        self.useRegex = useRegex
    }

    public func preTokenize(_ text: inout PreTokenizedString) {
        let scanner = GPT2Scanner()
        text.split { _, piece in
            var piece = piece
            if addPrefixSpace && piece.scalars.first != 0x20 { piece.prepend([0x20]) }
            return useRegex ? piece.split(by: scanner, behavior: .isolated) : [piece]
        }
        for index in text.splits.indices {
            text.splits[index].transformEach { scalar, out in ByteLevelAlphabet.appendMapped(scalar, to: &out) }
        }
    }
}

/// The byte-to-character table of GPT-2's byte-level BPE.
public enum ByteLevelAlphabet {
    /// The character standing for each byte value.
    public static let characters: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte each character stands for, by character.
    private static let bytes: [UInt32: UInt8] = Dictionary(uniqueKeysWithValues: characters.enumerated().map { ($1, UInt8($0)) })

    /// The byte that the byte-level character `character` stands for, or nil when it is not one.
    @inline(__always)
    public static func byte(of character: UInt32) -> UInt8? { bytes[character] }

    /// The byte-level string of `bytes` (`Ġthe` for ` the`).
    public static func encode(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(characters[Int(byte)])!) }
        return String(scalars)
    }

    /// The bytes a byte-level token (as UTF-8) stands for, or nil when a character of it is not a
    /// byte-level character.
    public static func decode(_ token: [UInt8]) -> [UInt8]? {
        var result: [UInt8] = []
        for scalar in String(decoding: token, as: UTF8.self).unicodeScalars {
            guard let byte = bytes[scalar.value] else { return nil }
            result.append(byte)
        }
        return result
    }

    /// Appends the byte-level characters of `scalar`'s UTF-8 bytes to `out`.
    @inline(__always)
    public static func appendMapped(_ scalar: UInt32, to out: inout [UInt32]) {
        if scalar < 0x80 {
            out.append(characters[Int(scalar)])
            return
        }
        for byte in UTF8.encode(Unicode.Scalar(scalar)!)! {
            out.append(characters[Int(byte)])
        }
    }
}
