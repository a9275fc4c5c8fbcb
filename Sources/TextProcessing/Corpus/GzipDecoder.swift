import CZlib

/// gzip (and zlib) streams through zlib; concatenated members are read as one stream.
final class GzipDecoder: StreamDecoder {
    static let formatName = "gzip"
    private let inflater: OpaquePointer

    init?() {
        guard let inflater = pt_inflater_open() else { return nil }
        self.inflater = inflater
    }

    deinit { pt_inflater_close(inflater) }

    func decode(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) throws(StreamDecoderError)
        -> (consumed: Int, produced: Int, endOfUnit: Bool) {
        var consumed = 0, produced = 0
        let status = pt_inflate(inflater, input.baseAddress, input.count, &consumed, output.baseAddress, output.count, &produced)
        if status < 0 { throw StreamDecoderError(message: "corrupt gzip data") }
        return (consumed, produced, status == 1)
    }
}
