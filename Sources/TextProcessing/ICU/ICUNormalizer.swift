import CICU

/// An ICU normalizer (`UNormalizer2`), optionally restricted to Unicode 9.0 characters.
final class ICUNormalizer: @unchecked Sendable {
    private let handle: OpaquePointer

    /// Opens the normalizer for `form`; `unicode9` filters it to `[:age=9.0:]`, which
    /// reproduces the Unicode 9.0 tables of Hugging Face `tokenizers`.
    init(form: pt_normalization_form, unicode9: Bool) throws {
        let (opened, message) = withICUErrorBuffer { buffer, capacity in
            pt_normalizer_open(form, unicode9 ? "[:age=9.0:]" : nil, buffer, capacity)
        }
        guard let opened else { throw ICUError(description: "cannot open ICU normalizer: \(message)") }
        handle = opened
    }

    deinit { pt_normalizer_close(handle) }

    private static let cacheLock = Mutex()
    nonisolated(unsafe) private static var cache: [String: ICUNormalizer] = [:]

    /// A shared normalizer per form and mode (ICU normalizers are thread-safe).
    static func shared(form: pt_normalization_form, unicode9: Bool) throws -> ICUNormalizer {
        let key = "\(form.rawValue)-\(unicode9)"
        return try cacheLock.withLock {
            if let existing = cache[key] { return existing }
            let created = try ICUNormalizer(form: form, unicode9: unicode9)
            cache[key] = created
            return created
        }
    }

    /// Normalizes `text`, segment by segment, so that each output segment stays aligned
    /// with the input segment it replaces.
    func normalize(_ text: inout NormalizedString) {
        let units = text.scalars.utf16Units()
        let alreadyNormalized = units.withUnsafeBufferPointer {
            pt_normalizer_is_normalized(handle, $0.baseAddress, Int32($0.count)) != 0
        }
        if alreadyNormalized { return }
        // Segment starts: positions whose scalar has a normalization boundary before it.
        var boundaries: [Int] = [0]
        for index in 1..<max(1, text.scalars.count)
        where pt_normalizer_has_boundary_before(handle, Int32(bitPattern: text.scalars[index])) != 0 {
            boundaries.append(index)
        }
        boundaries.append(text.scalars.count)
        // Rewrite from the end so that earlier indices stay valid.
        for k in stride(from: boundaries.count - 2, through: 0, by: -1) {
            let range = boundaries[k]..<boundaries[k + 1]
            guard !range.isEmpty else { continue }
            let segment = Array(text.scalars[range])
            let output = normalize(segment)
            if output != segment { text.replaceSegment(range, with: output) }
        }
    }

    private func normalize(_ scalars: [UInt32]) -> [UInt32] {
        let source = scalars.utf16Units()
        var capacity = source.count * 3 + 4
        while true {
            var destination = [UInt16](repeating: 0, count: capacity)
            let length = source.withUnsafeBufferPointer { src in
                destination.withUnsafeMutableBufferPointer {
                    pt_normalizer_normalize(handle, src.baseAddress, Int32(src.count), $0.baseAddress, Int32(capacity))
                }
            }
            precondition(length >= 0, "ICU normalization failed")
            if Int(length) <= capacity { return Array(destination[..<Int(length)]).scalarValues() }
            capacity = Int(length)
        }
    }
}
