import Foundation
import Support

/// SentencePiece's compiled normalization rules (`precompiled_charsmap`, such as nmt_nfkc): a
/// double-array trie (Darts-clone) from UTF-8 keys to NUL-terminated replacement strings.
public struct PrecompiledCharsMap: Sendable {
    private let units: [UInt32]
    private let normalized: [UInt8]

    /// The rules of a serialized charsmap: a little-endian 32-bit trie size in bytes, the trie's
    /// units, then the NUL-separated replacement strings. Errors name `path`.
    public init(_ bytes: [UInt8], path: String = "precompiled_charsmap") throws {
        guard bytes.count >= 4 else { throw ConfigurationError(path: path, message: "too short") }
        let trieSize = Int(UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
        guard trieSize % 4 == 0, 4 + trieSize <= bytes.count, trieSize > 0 else {
            throw ConfigurationError(path: path, message: "trie size \(trieSize) does not fit in \(bytes.count) bytes")
        }
        units = stride(from: 4, to: 4 + trieSize, by: 4).map {
            UInt32(bytes[$0]) | UInt32(bytes[$0 + 1]) << 8 | UInt32(bytes[$0 + 2]) << 16 | UInt32(bytes[$0 + 3]) << 24
        }
        normalized = Array(bytes[(4 + trieSize)...])
        guard String(validating: normalized, as: UTF8.self) != nil else {
            throw ConfigurationError(path: path, message: "replacement strings are not valid UTF-8")
        }
    }

    /// The rules of a base64 charsmap, as `tokenizer.json` stores it.
    public init(base64 charsmap: String) throws {
        guard let data = Data(base64Encoded: charsmap) else {
            throw ConfigurationError(path: "precompiled_charsmap", message: "not valid base64")
        }
        try self.init([UInt8](data))
    }

    /// Visits the keys that are prefixes of `key`, shortest first, with their length and
    /// replacement, until `body` returns false. Out-of-range units end the walk.
    private func forEachPrefix(of key: UnsafeBufferPointer<UInt8>, _ body: (Int, ArraySlice<UInt8>) -> Bool) {
        func offset(_ unit: UInt32) -> Int { Int((unit >> 10) << ((unit & (1 << 9)) >> 6)) }
        guard let root = units.first else { return }
        var position = offset(root)
        for (index, byte) in key.enumerated() {
            if byte == 0 { return }
            position ^= Int(byte)
            guard position < units.count else { return }
            let unit = units[position]
            guard unit & ((1 << 31) | 0xFF) == UInt32(byte) else { return }
            position ^= offset(unit)
            guard position < units.count else { return }
            if (unit >> 8) & 1 == 1 {
                let start = Int(units[position] & ((1 << 31) - 1))
                guard start <= normalized.count else { return }
                let end = normalized[start...].firstIndex(of: 0) ?? normalized.count
                if !body(index + 1, normalized[start..<end]) { return }
            }
        }
    }

    /// The replacement of the shortest key that is a prefix of `chunk`, or nil: Hugging Face's lookup.
    public func shortestMatch(_ chunk: [UInt8]) -> [UInt8]? {
        var found: [UInt8]?
        chunk.withUnsafeBufferPointer { key in
            forEachPrefix(of: key) { _, replacement in
                found = Array(replacement)
                return false
            }
        }
        return found
    }

    /// The length and replacement of the longest key that is a prefix of `key`, or nil:
    /// SentencePiece's lookup.
    public func longestMatch(_ key: UnsafeBufferPointer<UInt8>) -> (length: Int, replacement: ArraySlice<UInt8>)? {
        var found: (length: Int, replacement: ArraySlice<UInt8>)?
        forEachPrefix(of: key) { length, replacement in
            found = (length, replacement)
            return true
        }
        return found
    }
}
