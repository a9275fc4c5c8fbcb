import Datasets
import Foundation
import FuzzSupport

/// A Megatron or npy dataset given to merge-shards: any bytes must merge or give an error, never
/// a trap or an out-of-bounds read. The input's first byte picks the format (even: Megatron, odd:
/// npy), the next four (little-endian) the length of the index part; the rest is the data file.
/// A Megatron dataset that merges alone must come out byte-identical and pass the check again;
/// an npy one must hold the same arrays.
func fuzzDatasets(_ input: UnsafeRawBufferPointer) -> CInt {
    guard input.count >= 5 else { return 0 }
    let format: TokenDatasetFormat = input[0] % 2 == 0 ? .megatron : .npy
    let split = min(input.count - 5, Int(input.loadUnaligned(fromByteOffset: 1, as: UInt32.self).littleEndian))
    let body = UnsafeRawBufferPointer(rebasing: input[5...])
    let prefix = "\(ScratchFile.directory)/input", output = "\(ScratchFile.directory)/merged"
    let paths = format.paths(prefix: "input")
    _ = ScratchFile.write(UnsafeRawBufferPointer(rebasing: body[..<split]), name: paths[1])
    _ = ScratchFile.write(UnsafeRawBufferPointer(rebasing: body[split...]), name: paths[0])
    guard let summary = try? TokenDatasetMerger.merge(format, inputs: [prefix], output: output, replacing: true) else { return 0 }
    if format == .megatron {
        for (original, merged) in zip(format.paths(prefix: prefix), summary.paths) where !FileManager.default.contentsEqual(atPath: original, andPath: merged) {
            fuzzFailure("\(merged) differs from the dataset merged alone")
        }
        do {
            guard try MegatronIndex(prefix: output).validate() == summary.tokens else { fuzzFailure("the merged index counts other tokens") }
        } catch {
            fuzzFailure("the merged dataset fails the check: \(error)")
        }
    } else {
        // Headers may be written otherwise (numpy's own, another version); the arrays may not.
        for (original, merged) in zip(format.paths(prefix: prefix), summary.paths) {
            guard let before = try? NpyArrayHeader(path: original), let after = try? NpyArrayHeader(path: merged),
                  before.description == after.description, before.count == after.count,
                  let old = FileManager.default.contents(atPath: original), let new = FileManager.default.contents(atPath: merged),
                  old.dropFirst(before.dataOffset).prefix(new.count - after.dataOffset) == new.dropFirst(after.dataOffset) else {
                fuzzFailure("\(merged) holds other values than the dataset merged alone")
            }
        }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzDatasets(UnsafeRawBufferPointer(start: data, count: count))
}

runFuzzer()
