/// A streaming decompressor of one compressed file format.
protocol StreamDecoder {
    /// Decodes from `input` into `output`: the bytes consumed and produced, and whether a
    /// compressed unit (a gzip member, a zstd frame) ended there. Throws a message on corrupt data.
    mutating func decode(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) throws(StreamDecoderError)
        -> (consumed: Int, produced: Int, endOfUnit: Bool)
    /// The format's name in messages ("gzip").
    static var formatName: String { get }
}

/// Corrupt compressed data, as the decoder describes it.
struct StreamDecoderError: Error {
    let message: String
}

/// The decoders by file-name suffix: a new compressed format is one ``StreamDecoder`` and one line here.
let streamDecoders: [(suffix: String, make: @Sendable () -> (any StreamDecoder)?)] = [
    (".gz", { GzipDecoder() }),
    (".zst", { ZstdDecoder() }),
    (".zstd", { ZstdDecoder() }),
]
