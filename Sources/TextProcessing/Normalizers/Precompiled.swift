import Foundation
import Support

/// SentencePiece's compiled normalization rules (`precompiled_charsmap`, such as nmt_nfkc),
/// applied as Hugging Face's `Precompiled` normalizer does: grapheme by grapheme, a grapheme
/// shorter than 6 bytes is replaced whole when the rules' trie has a key that is a prefix of
/// it (the shortest such key wins); otherwise each of its scalars is looked up alone.
public struct Precompiled: Normalizer {
    private let units: [UInt32]
    private let normalized: [UInt8]

    /// The rules of a base64 `precompiled_charsmap`: a little-endian 32-bit trie size in bytes,
    /// the double-array trie (Darts-clone units), then the NUL-separated replacement strings.
    public init(base64 charsmap: String) throws {
        guard let data = Data(base64Encoded: charsmap) else {
            throw ConfigurationError(path: "precompiled_charsmap", message: "not valid base64")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 4 else { throw ConfigurationError(path: "precompiled_charsmap", message: "too short") }
        let trieSize = Int(UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
        guard trieSize % 4 == 0, 4 + trieSize <= bytes.count, trieSize > 0 else {
            throw ConfigurationError(path: "precompiled_charsmap", message: "trie size \(trieSize) does not fit in \(bytes.count) bytes")
        }
        units = stride(from: 4, to: 4 + trieSize, by: 4).map {
            UInt32(bytes[$0]) | UInt32(bytes[$0 + 1]) << 8 | UInt32(bytes[$0 + 2]) << 16 | UInt32(bytes[$0 + 3]) << 24
        }
        normalized = Array(bytes[(4 + trieSize)...])
        guard String(validating: normalized, as: UTF8.self) != nil else {
            throw ConfigurationError(path: "precompiled_charsmap", message: "replacement strings are not valid UTF-8")
        }
    }

    /// The replacement of `chunk`, or nil when no key of the trie is a prefix of it.
    func transform(_ chunk: [UInt8]) -> [UInt8]? {
        func offset(_ unit: UInt32) -> Int { Int((unit >> 10) << ((unit & (1 << 9)) >> 6)) }
        var position = offset(units[0])
        for byte in chunk {
            if byte == 0 { return nil }
            position ^= Int(byte)
            guard position < units.count else { return nil }
            let unit = units[position]
            guard unit & ((1 << 31) | 0xFF) == UInt32(byte) else { return nil }
            position ^= offset(unit)
            guard position < units.count else { return nil }
            if (unit >> 8) & 1 == 1 {
                let start = Int(units[position] & ((1 << 31) - 1))
                guard start <= normalized.count else { return nil }
                let end = normalized[start...].firstIndex(of: 0) ?? normalized.count
                return Array(normalized[start..<end])
            }
        }
        return nil
    }

    public func normalize(_ text: inout NormalizedString) {
        var changes: [(scalar: UInt32, change: Int)] = []
        changes.reserveCapacity(text.scalars.count)
        var modified = false
        func replace(_ old: Int, with new: [UInt8]) {
            let scalars = String(decoding: new, as: UTF8.self).unicodeScalars.map(\.value)
            changes.append(contentsOf: scalars.map { ($0, 0) })
            let difference = scalars.count - old
            if difference > 0 {
                for index in (changes.count - difference)..<changes.count { changes[index].change = 1 }
            } else if difference < 0, !changes.isEmpty {
                changes[changes.count - 1].change += difference
            }
        }
        for grapheme in text.string {
            let bytes = Array(grapheme.utf8)
            let scalars = grapheme.unicodeScalars.map(\.value)
            if bytes.count < 6, let replacement = transform(bytes) {
                modified = true
                replace(scalars.count, with: replacement)
                continue
            }
            for scalar in scalars {
                if let replacement = transform(Array(UTF8.encode(Unicode.Scalar(scalar)!)!)) {
                    modified = true
                    replace(1, with: replacement)
                } else {
                    changes.append((scalar, 0))
                }
            }
        }
        guard modified, let alignments = NormalizedString.huggingFaceAlignments(changes, replacing: text.alignments, before: nil) else { return }
        text = NormalizedString(scalars: changes.map(\.scalar), alignments: alignments)
    }
}
