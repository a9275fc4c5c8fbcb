import CICU

/// An ICU word break iterator, used under a lock (an iterator holds its text).
final class ICUWordBreaker: @unchecked Sendable {
    private let handle: OpaquePointer
    private let lock = Mutex()

    init(locale: String) throws {
        let (opened, message) = withICUErrorBuffer { buffer, capacity in
            pt_word_breaker_open(locale, buffer, capacity)
        }
        guard let opened else { throw ICUError(description: "cannot open ICU word breaker for \(locale.debugDescription): \(message)") }
        handle = opened
    }

    deinit { pt_word_breaker_close(handle) }

    /// The word segments of `scalars`, as consecutive scalar-offset ranges covering all of it.
    func segments(of scalars: [UInt32]) -> [Range<Int>] {
        guard !scalars.isEmpty else { return [] }
        let mapping = scalars.withUnsafeBufferPointer { UTF16Mapping($0) }
        var boundaries = [Int32](repeating: 0, count: mapping.units.count + 2)
        let count = lock.withLock {
            mapping.units.withUnsafeBufferPointer { text in
                boundaries.withUnsafeMutableBufferPointer {
                    pt_word_boundaries(handle, text.baseAddress, Int32(text.count), $0.baseAddress, Int32($0.count))
                }
            }
        }
        precondition(count >= 2, "ICU word segmentation failed")
        return (0..<Int(count) - 1).map {
            Int(mapping.scalarIndex[Int(boundaries[$0])])..<Int(mapping.scalarIndex[Int(boundaries[$0 + 1])])
        }
    }
}
