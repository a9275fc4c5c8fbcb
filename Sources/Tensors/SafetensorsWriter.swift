import CSystem
import Foundation
import Support

/// Writes safetensors files tensor by tensor, streaming: bytes copied from another file
/// (such as a memory-mapped source) go out in chunks, so writing never holds more than
/// the tensors being computed.
public enum SafetensorsWriter {
    /// What a written tensor holds.
    public enum Content {
        /// Bytes to copy as they are (little-endian, already of the tensor's dtype).
        case bytes(UnsafeRawBufferPointer)
        /// Values to store, converted to the tensor's (floating-point) dtype.
        case floats([Float])
        /// A tensor of another safetensors file, copied as it is by the kernel
        /// (`copy_file_range`: no bytes through user space, a reflink where the filesystem
        /// shares extents), or with reads of the file where it cannot; never through its
        /// mapping, so copying gigabytes leaves memory use unchanged.
        case tensor(SafetensorsFile, TensorInfo)
        /// Parts written one after the other.
        case parts([Part])
    }

    /// A part of a tensor's content.
    public enum Part {
        /// Bytes to copy as they are.
        case bytes(UnsafeRawBufferPointer)
        /// A byte range of another safetensors file's data section (offsets as in
        /// ``TensorInfo/dataRange``), copied as a `.tensor` is.
        case file(SafetensorsFile, Range<Int>)

        var count: Int {
            switch self {
            case .bytes(let bytes): return bytes.count
            case .file(_, let range): return range.count
            }
        }
    }

    /// One tensor to write.
    public struct Entry {
        /// The tensor's name.
        public var name: String
        /// Its element type.
        public var dtype: DType
        /// Its shape.
        public var shape: [Int]
        /// Its values.
        public var content: Content

        /// A tensor named `name` of `dtype` and `shape` holding `content`.
        public init(name: String, dtype: DType, shape: [Int], content: Content) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.content = content
        }
    }

    /// Writes `entries` in order, with `metadata`, to a new file at `path`. The file's writing to
    /// disk is started, not waited for: the caller syncs it before relying on it, as
    /// `AtomicOutput.commit()` does, so the disk works while the next file is written.
    public static func write(_ entries: [Entry], metadata: [(key: String, value: String)] = [], to path: String) throws {
        var members: [JSONMember] = []
        if !metadata.isEmpty {
            members.append(JSONMember("__metadata__", .object(metadata.map { JSONMember($0.key, .string($0.value)) })))
        }
        var offset = 0
        for entry in entries {
            guard let size = entry.dtype.byteCount(shape: entry.shape) else {
                throw TensorError("\(path): \(entry.name)", "shape \(entry.shape) has more bytes than a 64-bit size can count")
            }
            switch entry.content {
            case .bytes(let bytes):
                guard bytes.count == size else { throw TensorError("\(path): \(entry.name)", "has \(bytes.count) bytes, its shape needs \(size)") }
            case .floats(let values):
                guard entry.dtype.isFloatingPoint, values.count * entry.dtype.size == size else {
                    throw TensorError("\(path): \(entry.name)", "has \(values.count) values for shape \(entry.shape) of \(entry.dtype.rawValue)")
                }
            case .tensor(_, let info):
                guard info.dataRange.count == size, info.dtype == entry.dtype else {
                    throw TensorError("\(path): \(entry.name)", "copies \(info.name), whose dtype or size differs")
                }
            case .parts(let parts):
                let count = parts.reduce(0) { $0 + $1.count }
                guard count == size else { throw TensorError("\(path): \(entry.name)", "has \(count) bytes, its shape needs \(size)") }
            }
            members.append(JSONMember(entry.name, .object([
                JSONMember("dtype", .string(entry.dtype.rawValue)),
                JSONMember("shape", .array(entry.shape.map { .number(Double($0)) })),
                JSONMember("data_offsets", .array([.number(Double(offset)), .number(Double(offset + size))])),
            ])))
            offset += size
        }
        var header = Array(JSONWriter.compact(.object(members)).utf8)
        while (8 + header.count) % 8 != 0 { header.append(UInt8(ascii: " ")) }
        guard let file = fopen(path, "wb") else { throw TensorError(path, "cannot create: \(String(cString: strerror(errno)))") }
        var closed = false
        defer { if !closed { fclose(file) } }
        func put(_ pointer: UnsafeRawPointer, _ count: Int) throws {
            guard fwrite(pointer, 1, count, file) == count else {
                throw TensorError(path, "cannot write: \(String(cString: strerror(errno)))")
            }
        }
        var length = UInt64(header.count).littleEndian
        try withUnsafeBytes(of: &length) { try put($0.baseAddress!, 8) }
        try header.withUnsafeBytes { try put($0.baseAddress!, $0.count) }
        let chunk = 1 << 22
        var buffer = [UInt8](repeating: 0, count: chunk)
        var kernelCopy = true
        func write(_ bytes: UnsafeRawBufferPointer) throws {
            var start = 0
            while start < bytes.count {
                let count = min(chunk, bytes.count - start)
                try put(bytes.baseAddress! + start, count)
                start += count
            }
        }
        func copy(_ range: Range<Int>, of source: SafetensorsFile, name: String) throws {
            let descriptor = open(source.path, O_RDONLY)
            guard descriptor >= 0 else { throw TensorError(source.path, "cannot open: \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            var position = source.dataOffset + range.lowerBound
            let end = source.dataOffset + range.upperBound
            guard fflush(file) == 0 else { throw TensorError(path, "cannot write: \(String(cString: strerror(errno)))") }
            while kernelCopy, position < end {
                var offset = Int64(position)
                let copied = pt_copy_file_range(descriptor, &offset, fileno(file), Int64(end - position))
                if copied > 0 {
                    position = Int(offset)
                } else if copied < 0, [EXDEV, ENOSYS, EINVAL, EOPNOTSUPP, EBADF].contains(errno) {
                    kernelCopy = false
                } else {
                    throw TensorError(path, "cannot copy \(name) from \(source.path): " + (copied == 0 ? "the file ended early" : String(cString: strerror(errno))))
                }
            }
            while position < end {
                let count = min(chunk, end - position)
                let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(position)) }
                guard read > 0 else { throw TensorError(source.path, "cannot read \(name): \(String(cString: strerror(errno)))") }
                try buffer.withUnsafeBytes { try put($0.baseAddress!, read) }
                position += read
            }
        }
        for entry in entries {
            switch entry.content {
            case .bytes(let bytes):
                try write(bytes)
            case .tensor(let source, let info):
                try copy(info.dataRange, of: source, name: info.name)
            case .parts(let parts):
                for part in parts {
                    switch part {
                    case .bytes(let bytes): try write(bytes)
                    case .file(let source, let range): try copy(range, of: source, name: entry.name)
                    }
                }
            case .floats(let values):
                let perChunk = chunk / entry.dtype.size
                var start = 0
                while start < values.count {
                    let count = min(perChunk, values.count - start)
                    buffer.withUnsafeMutableBytes { raw in
                        for index in 0..<count { ElementConversion.write(values[start + index], raw.baseAddress!, index, entry.dtype) }
                    }
                    try buffer.withUnsafeBytes { try put($0.baseAddress!, count * entry.dtype.size) }
                    start += count
                }
            }
        }
        closed = true
        guard fflush(file) == 0, pt_start_writeback(fileno(file)) == 0 || errno == ENOSYS, fclose(file) == 0 else {
            throw TensorError(path, "cannot write: \(String(cString: strerror(errno)))")
        }
    }
}
