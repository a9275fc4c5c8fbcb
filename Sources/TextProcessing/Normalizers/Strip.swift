/// Removes whitespace (Rust's `char::is_whitespace`) from the start and/or end.
public struct Strip: Normalizer {
    /// Whether leading whitespace is removed.
    public let left: Bool
    /// Whether trailing whitespace is removed.
    public let right: Bool

    public init(left: Bool = true, right: Bool = true) {
        self.left = left
        self.right = right
    }

    public func normalize(_ text: inout NormalizedString) {
        text.strip(left: left, right: right) { CharacterClass.of($0).contains(.whitespace) }
    }
}
