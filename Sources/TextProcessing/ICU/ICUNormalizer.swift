import CICU

/// An ICU normalizer (`UNormalizer2`), optionally restricted to Unicode 9.0 characters.
final class ICUNormalizer: @unchecked Sendable {
    private let handle: OpaquePointer
    /// For the four Unicode forms in Hugging Face mode: whether the form composes. Such
    /// normalizers align their output character by character as Hugging Face does.
    private let huggingFaceComposing: Bool?

    /// Opens the normalizer for `form`; `unicode9` filters it to `[:age=9.0:]`, which
    /// reproduces the Unicode 9.0 tables of Hugging Face `tokenizers`.
    init(form: pt_normalization_form, unicode9: Bool) throws {
        let (opened, message) = withICUErrorBuffer { buffer, capacity in
            pt_normalizer_open(form, unicode9 ? "[:age=9.0:]" : nil, buffer, capacity)
        }
        guard let opened else { throw ICUError(description: "cannot open ICU normalizer: \(message)") }
        handle = opened
        switch form {
        case PT_NFC, PT_NFKC: huggingFaceComposing = unicode9 ? true : nil
        case PT_NFD, PT_NFKD: huggingFaceComposing = unicode9 ? false : nil
        default: huggingFaceComposing = nil
        }
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
            guard output != segment else { continue }
            let before = range.lowerBound > 0 ? text.alignments[range.lowerBound - 1] : nil
            if let alignments = huggingFaceAlignments(segment, Array(text.alignments[range]), output: output, before: before) {
                text.replaceSegment(range, with: output, alignments: alignments)
            } else {
                text.replaceSegment(range, with: output)
            }
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

    /// The alignment of each output scalar as Hugging Face computes it: its
    /// `unicode-normalization-alignments` crate tags every output character with a change
    /// (0: replaces the next input character, +1: inserted, -n: replaces it and absorbs n
    /// more), and `NormalizedString::transform` aligns a replacing character with the input
    /// character it replaces and an inserted one with the input character before it. Nil
    /// when this normalizer is not one of Hugging Face's forms or the tags do not spell `output`.
    private func huggingFaceAlignments(_ segment: [UInt32], _ alignments: [Range<Int>], output: [UInt32],
                                       before: Range<Int>?) -> [Range<Int>]? {
        guard let composing = huggingFaceComposing else { return nil }
        let tagged = composing ? recompose(decompose(segment)) : decompose(segment)
        guard tagged.map(\.scalar) == output else { return nil }
        return NormalizedString.huggingFaceAlignments(tagged, replacing: alignments, before: before)
    }

    private func combiningClass(_ scalar: UInt32) -> Int32 {
        pt_normalizer_combining_class(handle, Int32(bitPattern: scalar))
    }

    /// The crate's decomposition: each character's full decomposition (first scalar tagged 0,
    /// the rest +1), runs of non-starters stably sorted by combining class.
    private func decompose(_ segment: [UInt32]) -> [(scalar: UInt32, change: Int)] {
        var buffer: [(scalar: UInt32, change: Int, ccc: Int32)] = []
        var readyEnd = 0
        func sortPending() {
            var index = readyEnd + 1
            while index < buffer.count {
                var position = index
                while position > readyEnd && buffer[position - 1].ccc > buffer[position].ccc {
                    buffer.swapAt(position - 1, position)
                    position -= 1
                }
                index += 1
            }
            readyEnd = buffer.count
        }
        var parts = [Int32](repeating: 0, count: 32)
        for scalar in segment {
            let count = parts.withUnsafeMutableBufferPointer {
                pt_normalizer_decomposition(handle, Int32(bitPattern: scalar), $0.baseAddress, 32)
            }
            let pieces = count < 0 ? [scalar] : parts[..<Int(count)].map { UInt32(bitPattern: $0) }
            for (index, piece) in pieces.enumerated() {
                let ccc = combiningClass(piece)
                if ccc == 0 { sortPending() }
                buffer.append((piece, index == 0 ? 0 : 1, ccc))
            }
        }
        sortPending()
        return buffer.map { ($0.scalar, $0.change) }
    }

    /// The crate's recomposition of a tagged decomposition; a composite's tag is
    /// `starter + mark - 1`.
    private func recompose(_ decomposed: [(scalar: UInt32, change: Int)]) -> [(scalar: UInt32, change: Int)] {
        var output: [(scalar: UInt32, change: Int)] = []
        var composee: (scalar: UInt32, change: Int)?
        var lastClass: Int32?
        var blocked: [(scalar: UInt32, change: Int)] = []
        func compose(_ a: UInt32, _ b: UInt32) -> UInt32? {
            let composite = pt_normalizer_compose_pair(handle, Int32(bitPattern: a), Int32(bitPattern: b))
            return composite < 0 ? nil : UInt32(composite)
        }
        for item in decomposed {
            let ccc = combiningClass(item.scalar)
            guard let starter = composee else {
                if ccc != 0 { output.append(item) } else { composee = item }
                continue
            }
            if let last = lastClass, last >= ccc {
                if ccc == 0 {
                    output.append(starter)
                    output += blocked
                    blocked.removeAll()
                    composee = item
                    lastClass = nil
                } else {
                    blocked.append(item)
                    lastClass = ccc
                }
                continue
            }
            if let composite = compose(starter.scalar, item.scalar) {
                composee = (composite, starter.change + item.change - 1)
                continue
            }
            if lastClass == nil && ccc == 0 {
                output.append(starter)
                composee = item
                continue
            }
            blocked.append(item)
            lastClass = ccc
        }
        if let starter = composee { output.append(starter) }
        return output + blocked
    }
}
