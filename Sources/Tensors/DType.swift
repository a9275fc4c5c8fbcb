/// A safetensors element type.
public enum DType: String, Sendable, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8"
    case u64 = "U64", u32 = "U32", u16 = "U16", u8 = "U8"
    case bool = "BOOL"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f64, .i64, .u64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .i8, .u8, .bool: return 1
        }
    }

    /// The bytes of a tensor of this type and `shape`, or nil when a dimension is negative or the
    /// count overflows `Int`.
    public func byteCount(shape: [Int]) -> Int? {
        var total = size
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            total = product
        }
        return total
    }

    /// Whether values of this type can be read and written as floating point.
    public var isFloatingPoint: Bool { self == .f64 || self == .f32 || self == .f16 || self == .bf16 }
}

/// Conversions between stored elements (little-endian, of a floating-point dtype) and `Float`.
public enum ElementConversion {
    /// Reads element `index` of `bytes` (little-endian, of type `dtype`) as a Float.
    @inline(__always)
    public static func read(_ bytes: UnsafeRawPointer, _ index: Int, _ dtype: DType) -> Float {
        switch dtype {
        case .f32: return Float(bitPattern: bytes.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self).littleEndian)
        case .f16: return Float(Float16(bitPattern: bytes.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self).littleEndian))
        case .bf16: return Float(bitPattern: UInt32(bytes.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self).littleEndian) << 16)
        case .f64: return Float(Double(bitPattern: bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self).littleEndian))
        default: preconditionFailure("not a floating-point type")
        }
    }

    /// Reads `count` elements of `bytes` (little-endian, of type `dtype`) from element `start` into
    /// `values`, as ``read(_:_:_:)`` would one by one, with the type decided once.
    @inlinable
    public static func read(_ bytes: UnsafeRawPointer, from start: Int, count: Int, _ dtype: DType,
                            into values: UnsafeMutablePointer<Double>) {
        switch dtype {
        case .bf16:
            let elements = bytes + start * 2
            for index in 0..<count {
                values[index] = Double(Float(bitPattern: UInt32(elements.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self).littleEndian) << 16))
            }
        case .f32:
            let elements = bytes + start * 4
            for index in 0..<count {
                values[index] = Double(Float(bitPattern: elements.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self).littleEndian))
            }
        default:
            for index in 0..<count { values[index] = Double(read(bytes, start + index, dtype)) }
        }
    }

    /// Writes `value` as element `index` of `bytes`, rounding to nearest even.
    @inline(__always)
    public static func write(_ value: Float, _ bytes: UnsafeMutableRawPointer, _ index: Int, _ dtype: DType) {
        switch dtype {
        case .f32: bytes.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
        case .f16: bytes.storeBytes(of: Float16(value).bitPattern.littleEndian, toByteOffset: index * 2, as: UInt16.self)
        case .bf16:
            let bits = value.bitPattern
            let rounded: UInt32
            if value.isNaN {
                rounded = (bits | 0x0040_0000) >> 16
            } else {
                rounded = (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16
            }
            bytes.storeBytes(of: UInt16(truncatingIfNeeded: rounded).littleEndian, toByteOffset: index * 2, as: UInt16.self)
        case .f64: bytes.storeBytes(of: Double(value).bitPattern.littleEndian, toByteOffset: index * 8, as: UInt64.self)
        default: preconditionFailure("not a floating-point type")
        }
    }
}
