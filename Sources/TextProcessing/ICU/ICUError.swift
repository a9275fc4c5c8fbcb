/// A failure reported by ICU, with what was being attempted.
public struct ICUError: Error, CustomStringConvertible, Sendable {
    /// What failed and why.
    public let description: String
}

/// Reads the message a CICU call wrote into its error buffer.
func withICUErrorBuffer<T>(_ body: (UnsafeMutablePointer<CChar>, Int32) -> T?) -> (T?, String) {
    var buffer = [CChar](repeating: 0, count: 256)
    let result = buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, Int32($0.count)) }
    let message = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    return (result, message)
}
