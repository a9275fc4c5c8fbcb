import Tensors

/// A replaced vocabulary tensor's new content, held without what it copies: long runs of
/// source rows stay in the source file (the kernel copies them when the tensor is written),
/// and only the other rows are held in memory.
final class RebuiltTensor {
    /// Where the tensor's bytes come from, in order.
    enum Part {
        /// A byte range of a safetensors file's data section.
        case source(SafetensorsFile, Range<Int>)
        /// A byte range of ``computed``.
        case computed(Range<Int>)
    }

    /// The tensor's shape.
    let shape: [Int]
    /// Its content, in order.
    let parts: [Part]
    /// The bytes that the computed parts refer to.
    let computed: OwnedBytes

    /// A tensor of `shape` made of `parts`.
    init(shape: [Int], parts: [Part], computed: OwnedBytes) {
        self.shape = shape
        self.parts = parts
        self.computed = computed
    }

    /// A tensor of `shape` held whole in `bytes`.
    convenience init(shape: [Int], bytes: OwnedBytes) {
        self.init(shape: shape, parts: [.computed(0..<bytes.buffer.count)], computed: bytes)
    }

    /// The parts for ``SafetensorsWriter``, valid while this tensor lives.
    var writerParts: [SafetensorsWriter.Part] {
        parts.map { part in
            switch part {
            case .source(let file, let range): return .file(file, range)
            case .computed(let range): return .bytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(computed.buffer)[range]))
            }
        }
    }
}
