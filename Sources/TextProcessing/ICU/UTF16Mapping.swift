/// UTF-16 code units of scalar values, with the scalar index of every code unit
/// (and one past the end), to map ICU's offsets back.
struct UTF16Mapping {
    var units: [UInt16] = []
    var scalarIndex: [Int32] = []

    init(_ scalars: UnsafeBufferPointer<UInt32>) {
        units.reserveCapacity(scalars.count + 8)
        scalarIndex.reserveCapacity(scalars.count + 9)
        for (index, value) in scalars.enumerated() {
            if value < 0x10000 {
                units.append(UInt16(value))
                scalarIndex.append(Int32(index))
            } else {
                let v = value - 0x10000
                units.append(UInt16(0xD800 + (v >> 10)))
                units.append(UInt16(0xDC00 + (v & 0x3FF)))
                scalarIndex.append(Int32(index))
                scalarIndex.append(Int32(index))
            }
        }
        scalarIndex.append(Int32(scalars.count))
    }
}

extension Array where Element == UInt16 {
    /// Decodes UTF-16 code units (from ICU, always well formed) into scalar values.
    func scalarValues() -> [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(count)
        var i = 0
        while i < count {
            let unit = UInt32(self[i])
            if unit >= 0xD800 && unit < 0xDC00 && i + 1 < count {
                result.append(0x10000 + ((unit - 0xD800) << 10) + (UInt32(self[i + 1]) - 0xDC00))
                i += 2
            } else {
                result.append(unit)
                i += 1
            }
        }
        return result
    }
}

extension Array where Element == UInt32 {
    /// Encodes scalar values as UTF-16 code units.
    func utf16Units() -> [UInt16] {
        withUnsafeBufferPointer { UTF16Mapping($0).units }
    }
}
