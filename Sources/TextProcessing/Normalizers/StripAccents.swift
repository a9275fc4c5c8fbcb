/// Removes combining marks (Unicode 9.0 `General_Category=Mark`, as Hugging Face does).
/// It is meant to follow a decomposing normalizer such as NFD or NFKD.
public struct StripAccents: Normalizer {
    public init() {}

    public func normalize(_ text: inout NormalizedString) {
        text.filter { !CharacterClass.of($0).contains(.combiningMark) }
    }
}
