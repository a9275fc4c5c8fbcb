import CICU

/// The Unicode normalization forms NFC, NFD, NFKC, NFKD, and NFKC_Casefold.
public struct UnicodeNormalizer: Normalizer {
    /// A normalization form.
    public enum Form: String, Sendable, CaseIterable {
        case nfc = "NFC", nfd = "NFD", nfkc = "NFKC", nfkd = "NFKD"
        /// NFKC with case folding and removal of default-ignorable characters (ICU's `nfkc_cf`).
        case nfkcCasefold = "NFKC_Casefold"
    }

    /// The form applied.
    public let form: Form
    /// The Unicode data followed.
    public let mode: UnicodeVersionMode
    private let icu: ICUNormalizer

    /// A normalizer to `form`, with Hugging Face's Unicode 9.0 tables by default.
    public init(_ form: Form, mode: UnicodeVersionMode = .huggingFace) throws {
        self.form = form
        self.mode = mode
        let icuForm: pt_normalization_form
        switch form {
        case .nfc: icuForm = PT_NFC
        case .nfd: icuForm = PT_NFD
        case .nfkc: icuForm = PT_NFKC
        case .nfkd: icuForm = PT_NFKD
        case .nfkcCasefold: icuForm = PT_NFKC_CASEFOLD
        }
        icu = try ICUNormalizer.shared(form: icuForm, unicode9: mode == .huggingFace)
    }

    public func normalize(_ text: inout NormalizedString) {
        icu.normalize(&text)
    }
}
