/// Applies normalizers one after the other.
public struct NormalizerSequence: Normalizer {
    /// The normalizers, in order.
    public let normalizers: [any Normalizer]

    public init(_ normalizers: [any Normalizer]) { self.normalizers = normalizers }

    public func normalize(_ text: inout NormalizedString) throws {
        for normalizer in normalizers { try normalizer.normalize(&text) }
    }
}
