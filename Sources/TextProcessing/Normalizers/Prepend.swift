/// Prepends a string to non-empty text.
public struct Prepend: Normalizer {
    /// The prefix.
    public let prefix: String

    public init(_ prefix: String) { self.prefix = prefix }

    public func normalize(_ text: inout NormalizedString) {
        text.prepend(prefix.unicodeScalars.map(\.value))
    }
}
