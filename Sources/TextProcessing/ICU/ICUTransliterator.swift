import CICU

/// An ICU transliterator, used under a lock (ICU transliterators are not thread-safe).
final class ICUTransliterator: @unchecked Sendable {
    private let handle: OpaquePointer
    private let lock = Mutex()

    init(_ id: String) throws {
        let units = Array(id.utf16)
        let (opened, message) = withICUErrorBuffer { buffer, capacity in
            units.withUnsafeBufferPointer { pt_transliterator_open($0.baseAddress, Int32($0.count), buffer, capacity) }
        }
        guard let opened else {
            throw ICUError(description: "unknown ICU transform id \(id.debugDescription): \(message)")
        }
        handle = opened
    }

    deinit { pt_transliterator_close(handle) }

    func transliterate(_ scalars: [UInt32]) -> [UInt32] {
        let source = scalars.utf16Units()
        var capacity = source.count * 4 + 16
        return lock.withLock {
            while true {
                var buffer = source + [UInt16](repeating: 0, count: capacity - source.count)
                let length = buffer.withUnsafeMutableBufferPointer {
                    pt_transliterate(handle, $0.baseAddress, Int32(source.count), Int32(capacity))
                }
                precondition(length >= 0, "ICU transliteration failed")
                if Int(length) <= capacity { return Array(buffer[..<Int(length)]).scalarValues() }
                capacity = Int(length) * 2
            }
        }
    }
}
