/// Lowercases every scalar on its own, with full (possibly multi-scalar) mappings and no
/// context, as Rust's `char::to_lowercase` does in Hugging Face's `Lowercase`.
public struct Lowercase: Normalizer {
    public init() {}

    public func normalize(_ text: inout NormalizedString) {
        let table = LowercaseTable.shared
        guard text.scalars.contains(where: { table.changes($0) }) else { return }
        text.transformEach { scalar, out in table.append(lowercaseOf: scalar, to: &out) }
    }
}

/// The lowercase mappings of ``OracleUnicodeTables/lowercaseMapping``.
final class LowercaseTable: Sendable {
    static let shared = LowercaseTable()
    private let single: [UInt32: UInt32]
    private let multiple: [UInt32: [UInt32]]

    private init() {
        var single: [UInt32: UInt32] = [:]
        var multiple: [UInt32: [UInt32]] = [:]
        for entry in OracleUnicodeTables.lowercaseMapping.split(separator: ",") {
            let parts = entry.split(separator: ":")
            let from = UInt32(parts[0], radix: 16)!
            let to = parts[1].split(separator: " ").map { UInt32($0, radix: 16)! }
            if to.count == 1 { single[from] = to[0] } else { multiple[from] = to }
        }
        self.single = single
        self.multiple = multiple
    }

    @inline(__always) func changes(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return scalar >= 0x41 && scalar <= 0x5A }
        return single[scalar] != nil || multiple[scalar] != nil
    }

    @inline(__always) func append(lowercaseOf scalar: UInt32, to out: inout [UInt32]) {
        if scalar < 0x80 {
            out.append(scalar >= 0x41 && scalar <= 0x5A ? scalar + 0x20 : scalar)
        } else if let mapped = single[scalar] {
            out.append(mapped)
        } else if let mapped = multiple[scalar] {
            out.append(contentsOf: mapped)
        } else {
            out.append(scalar)
        }
    }
}
