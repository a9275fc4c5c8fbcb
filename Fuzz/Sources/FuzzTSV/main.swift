import Foundation
import FuzzSupport
import Alignment

/// The parallel-corpus reader: any bytes, as a TSV file (strict and skipping malformed lines) and
/// as two line-aligned files (split at the first NUL byte), must give pairs or an error naming a
/// line, never a trap. A pair's sides hold no tab and no line ending.
func fuzzTSV(_ input: UnsafeRawBufferPointer) -> CInt {
    let bytes = input
    let tsv = ScratchFile.write(bytes, name: "pairs.tsv")
    for skip in [false, true] {
        _ = try? ParallelCorpusReader(.tsv(tsv), skipMalformed: skip).forEachPair { line, source, target in
            guard line > 0, !source.utf8.contains(9), !target.utf8.contains(9), !target.utf8.contains(10) else {
                fuzzFailure("line \(line): a side holds a tab or a line ending")
            }
        }
    }
    let split = bytes.firstIndex(of: 0) ?? bytes.count
    let sourcePath = ScratchFile.write(UnsafeRawBufferPointer(rebasing: bytes[..<split]), name: "source.txt")
    let targetPath = ScratchFile.write(UnsafeRawBufferPointer(rebasing: bytes[min(split + 1, bytes.count)...]), name: "target.txt")
    _ = try? ParallelCorpusReader(.lines(source: sourcePath, target: targetPath)).forEachPair { line, source, target in
        guard line > 0, !source.utf8.contains(10), !target.utf8.contains(10) else { fuzzFailure("line \(line): a side holds a line ending") }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzTSV(UnsafeRawBufferPointer(start: data, count: count))
}

runFuzzer()
