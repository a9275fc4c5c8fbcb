import CZstd

/// Zstandard streams through libzstd; concatenated frames are read as one stream.
final class ZstdDecoder: StreamDecoder {
    static let formatName = "zstd"
    private let decoder: OpaquePointer

    init?() {
        guard let decoder = pt_zstd_open() else { return nil }
        self.decoder = decoder
    }

    deinit { pt_zstd_close(decoder) }

    func decode(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) throws(StreamDecoderError)
        -> (consumed: Int, produced: Int, endOfUnit: Bool) {
        var consumed = 0, produced = 0
        var message: UnsafePointer<CChar>?
        let status = pt_zstd_decompress(decoder, input.baseAddress, input.count, &consumed, output.baseAddress, output.count,
                                        &produced, &message)
        if status < 0 { throw StreamDecoderError(message: "corrupt zstd data (\(message.map { String(cString: $0) } ?? "unknown error"))") }
        return (consumed, produced, status == 1)
    }
}
