/// The integer type token ids are stored as in a dataset file.
public enum TokenDType: String, Sendable, CaseIterable {
    case uint16
    case int32
    case uint32

    /// Bytes per id.
    public var size: Int { self == .uint16 ? 2 : 4 }

    /// The largest id it holds.
    public var maximum: UInt32 {
        switch self {
        case .uint16: UInt32(UInt16.max)
        case .int32: UInt32(Int32.max)
        case .uint32: UInt32.max
        }
    }

    /// NumPy's type string for it, little-endian (`<u2`).
    public var numpyDescription: String {
        switch self {
        case .uint16: "<u2"
        case .int32: "<i4"
        case .uint32: "<u4"
        }
    }

    /// Its code in a Megatron `.idx` header (megatron-core's `DType`), when Megatron has one.
    public var megatronCode: UInt8? {
        switch self {
        case .uint16: 8
        case .int32: 4
        case .uint32: nil
        }
    }

    /// The type of a Megatron `.idx` code.
    public init?(megatronCode: UInt8) {
        guard let type = Self.allCases.first(where: { $0.megatronCode == megatronCode }) else { return nil }
        self = type
    }

    /// The type of a NumPy type string.
    public init?(numpyDescription: String) {
        guard let type = Self.allCases.first(where: { $0.numpyDescription == numpyDescription }) else { return nil }
        self = type
    }

    /// The type megatron-core's `DType.optimal_dtype` picks for a vocabulary: `uint16` below
    /// 65,500 tokens, else `int32`.
    public static func megatron(vocabularySize: Int) -> TokenDType { vocabularySize < 65_500 ? .uint16 : .int32 }

    /// The smallest unsigned type that holds every id of a vocabulary.
    public static func npy(vocabularySize: Int) -> TokenDType { vocabularySize <= 65_536 ? .uint16 : .uint32 }

    /// Appends `ids` to `bytes` as this type, little-endian; an id the type cannot hold is an
    /// error naming `file` and the document, never a silently truncated id.
    func append(_ ids: UnsafeBufferPointer<UInt32>, to bytes: inout [UInt8], file: String, document: Int) throws {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: ids.count * size))
        var union: UInt32 = 0
        bytes.withUnsafeMutableBytes { raw in
            if self == .uint16 {
                for index in ids.indices {
                    union |= ids[index]
                    raw.storeBytes(of: UInt16(truncatingIfNeeded: ids[index]).littleEndian, toByteOffset: start + 2 * index, as: UInt16.self)
                }
            } else {
                for index in ids.indices {
                    union |= ids[index]
                    raw.storeBytes(of: ids[index].littleEndian, toByteOffset: start + 4 * index, as: UInt32.self)
                }
            }
        }
        if union > maximum, let id = ids.first(where: { $0 > maximum }) {
            bytes.removeSubrange(start...)
            throw DatasetError(file, "document \(document) has id \(id), more than \(rawValue) holds (the vocabulary size given was too small)")
        }
    }
}
