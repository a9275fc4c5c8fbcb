import Foundation
import FuzzSupport
import Tensors

/// A safetensors file: any bytes must open or give an error, never a trap or an out-of-bounds
/// read. An opened file's tensors are read whole, copied to a new file with the writer, and the
/// copy must reopen with the same tensors and bytes.
func fuzzSafetensors(_ input: UnsafeRawBufferPointer) -> CInt {
    let path = ScratchFile.write(input, name: "input.safetensors")
    guard let file = try? SafetensorsFile(path: path) else { return 0 }
    var checksum = 0
    for tensor in file.tensors {
        let bytes = file.bytes(of: tensor)
        if let first = bytes.first, let last = bytes.last { checksum &+= Int(first) &+ Int(last) }
        if tensor.dtype.isFloatingPoint, let values = try? file.floats(of: tensor) {
            guard values.count == tensor.elementCount else { fuzzFailure("\(tensor.name): \(values.count) values for \(tensor.shape)") }
        }
    }
    let copy = "\(ScratchFile.directory)/copy.safetensors"
    let entries = file.tensors.map { SafetensorsWriter.Entry(name: $0.name, dtype: $0.dtype, shape: $0.shape, content: .tensor(file, $0)) }
    do {
        try SafetensorsWriter.write(entries, metadata: file.metadata, to: copy)
        let reopened = try SafetensorsFile(path: copy)
        guard reopened.tensors.map(\.name) == file.tensors.map(\.name), reopened.tensors.map(\.shape) == file.tensors.map(\.shape) else {
            fuzzFailure("the copy has other tensors")
        }
        for (original, copied) in zip(file.tensors, reopened.tensors) where !file.bytes(of: original).elementsEqual(reopened.bytes(of: copied)) {
            fuzzFailure("\(original.name) differs in the copy")
        }
    } catch {
        fuzzFailure("a file that opens cannot be copied: \(error)")
    }
    return CInt(checksum & 0)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzSafetensors(UnsafeRawBufferPointer(start: data, count: count))
}

runFuzzer()
