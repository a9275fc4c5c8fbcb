import Foundation
import Support

/// A tensor's entry in a safetensors header.
public struct TensorInfo: Sendable, Equatable {
    /// The tensor's name.
    public let name: String
    /// Its element type.
    public let dtype: DType
    /// Its shape.
    public let shape: [Int]
    /// Its bytes, as offsets into the data section after the header.
    public let dataRange: Range<Int>

    /// The number of elements.
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A safetensors file, memory-mapped: the header is parsed and validated on opening, and
/// tensor bytes are read straight from the mapping, so only what is touched is loaded.
public final class SafetensorsFile: @unchecked Sendable {
    /// The file's path.
    public let path: String
    /// The tensors, in header order.
    public let tensors: [TensorInfo]
    /// The free-form `__metadata__` of the header.
    public let metadata: [(key: String, value: String)]
    private let base: UnsafeRawPointer
    private let length: Int
    /// Where the data section starts in the file.
    public let dataOffset: Int

    /// Opens and validates `path`. Errors name the file and the offending tensor.
    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw TensorError(path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw TensorError(path, "cannot read: \(String(cString: strerror(errno)))") }
        length = Int(status.st_size)
        guard length >= 8 else { throw TensorError(path, "not a safetensors file (shorter than its 8-byte header length)") }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw TensorError(path, "cannot map: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(mapped)
        do {
            // The length is checked as read, unsigned: converting a value of 2^63 or more to Int would trap.
            let storedLength = base.loadUnaligned(as: UInt64.self).littleEndian
            guard storedLength > 0, storedLength <= UInt64(length - 8), storedLength <= Self.maximumHeaderLength else {
                throw TensorError(path, "invalid header length \(storedLength) for a file of \(length) bytes (at most \(min(length - 8, Int(Self.maximumHeaderLength))))")
            }
            let headerLength = Int(storedLength)
            dataOffset = 8 + headerLength
            let header = try JSONValue.parse(Data(bytes: base + 8, count: headerLength), source: "\(path) header")
            guard case .object(let members) = header else { throw TensorError(path, "the header is not a JSON object") }
            var tensors: [TensorInfo] = []
            var metadata: [(key: String, value: String)] = []
            for member in members {
                if member.key == "__metadata__" {
                    guard case .object(let entries) = member.value else { throw TensorError(path, "__metadata__ is not an object") }
                    for entry in entries {
                        guard case .string(let value) = entry.value else { throw TensorError(path, "__metadata__.\(entry.key) is not a string") }
                        metadata.append((entry.key, value))
                    }
                    continue
                }
                tensors.append(try Self.tensorInfo(member, path: path))
            }
            let dataLength = length - dataOffset
            var covered = 0
            for tensor in tensors.sorted(by: { $0.dataRange.lowerBound < $1.dataRange.lowerBound }) {
                guard tensor.dataRange.lowerBound == covered else {
                    throw TensorError("\(path): \(tensor.name)", "data offsets overlap or leave a gap (starts at \(tensor.dataRange.lowerBound), expected \(covered))")
                }
                covered = tensor.dataRange.upperBound
            }
            guard covered == dataLength else {
                throw TensorError(path, "the tensors cover \(covered) bytes but the data section has \(dataLength)")
            }
            self.tensors = tensors
            self.metadata = metadata
        } catch {
            munmap(mapped, length)
            if let error = error as? TensorError { throw error }
            throw TensorError(path, "\(error)")
        }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    /// The largest header read, as the safetensors reference implementation allows.
    static let maximumHeaderLength: UInt64 = 100_000_000

    private static func tensorInfo(_ member: JSONMember, path: String) throws -> TensorInfo {
        let location = "\(path): \(member.key)"
        let node = JSONNode(member.value, path: location)
        let typeName = try node.member("dtype").string()
        guard let dtype = DType(rawValue: typeName) else {
            throw TensorError(location, "unsupported dtype \(typeName.debugDescription) (quantized and 8-bit float tensors are not supported)")
        }
        let shape = try node.member("shape").elements().map { try $0.int() }
        let offsets = try node.member("data_offsets").elements().map { try $0.int() }
        guard offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1], shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError(location, "invalid data_offsets or shape")
        }
        guard let size = dtype.byteCount(shape: shape) else {
            throw TensorError(location, "shape \(shape) of \(typeName) has more bytes than a 64-bit size can count")
        }
        guard size == offsets[1] - offsets[0] else {
            throw TensorError(location, "shape \(shape) of \(typeName) needs \(size) bytes, data_offsets give \(offsets[1] - offsets[0])")
        }
        return TensorInfo(name: member.key, dtype: dtype, shape: shape, dataRange: offsets[0]..<offsets[1])
    }

    /// The tensor named `name`, if present.
    public func tensor(_ name: String) -> TensorInfo? { tensors.first { $0.name == name } }

    /// The raw bytes of `tensor`, valid while this file is open.
    public func bytes(of tensor: TensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + dataOffset + tensor.dataRange.lowerBound, count: tensor.dataRange.count)
    }

    /// The values of a floating-point tensor as `Float`s, row-major.
    public func floats(of tensor: TensorInfo) throws -> [Float] {
        guard tensor.dtype.isFloatingPoint else { throw TensorError("\(path): \(tensor.name)", "dtype \(tensor.dtype.rawValue) is not floating point") }
        let source = bytes(of: tensor).baseAddress!
        return [Float](unsafeUninitializedCapacity: tensor.elementCount) { buffer, count in
            for index in 0..<tensor.elementCount { buffer[index] = ElementConversion.read(source, index, tensor.dtype) }
            count = tensor.elementCount
        }
    }
}
