import Foundation
import Support

/// SentencePiece's compiled normalization rules (`precompiled_charsmap`, such as nmt_nfkc),
/// applied as Hugging Face's `Precompiled` normalizer does: grapheme by grapheme, a grapheme
/// shorter than 6 bytes is replaced whole when the rules' trie has a key that is a prefix of
/// it (the shortest such key wins); otherwise each of its scalars is looked up alone.
public struct Precompiled: Normalizer {
    /// The rules.
    public let charsMap: PrecompiledCharsMap

    /// The rules of a base64 `precompiled_charsmap` (see ``PrecompiledCharsMap``).
    public init(base64 charsmap: String) throws {
        charsMap = try PrecompiledCharsMap(base64: charsmap)
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
            if bytes.count < 6, let replacement = charsMap.shortestMatch(bytes) {
                modified = true
                replace(scalars.count, with: replacement)
                continue
            }
            for scalar in scalars {
                if let replacement = charsMap.shortestMatch(Array(UTF8.encode(Unicode.Scalar(scalar)!)!)) {
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
