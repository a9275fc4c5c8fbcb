import Foundation
import TextProcessing
import XCTest

/// The scanner fast path gives exactly the pieces of the general pipeline.
final class PieceSplitterTests: XCTestCase {
    func testFastPathEqualsGeneralPipelineOnEveryCorpusLine() throws {
        let presets: [TextPipeline.Preset] = [.gpt2, .llama3, .o200k]
        var lines: [String] = []
        try CorpusReader(paths: [corpusPath("")]).forEachDocument { line, _ in lines.append(line) }
        XCTAssertGreaterThan(lines.count, 5000)
        for preset in presets {
            let pipeline = try TextPipeline(preset: preset)
            let splitter = try XCTUnwrap(PieceSplitter(pipeline), "\(preset) has no fast path")
            var scalars: [UInt32] = []
            for line in lines {
                let fast = splitter.pieces(of: line, scalars: &scalars).map { range -> String in
                    var mapped: [UInt32] = []
                    splitter.appendText(of: range, in: scalars, to: &mapped)
                    return "\(String(scalarValues: mapped))@\(range)"
                }
                let general = try pipeline.run(line).pieces.map { "\($0.text)@\($0.offsets)" }
                XCTAssertEqual(fast, general, "\(preset): \(line.debugDescription)")
            }
        }
    }

    /// Every scanner finds the same pieces in UTF-8 bytes as in scalars, on every golden input
    /// (all corpus lines and the adversarial strings), and so does the general fallback.
    func testUTF8ScanningEqualsScalarScanning() throws {
        let inputs = try OracleGoldens.load().inputs
        XCTAssertGreaterThan(inputs.count, 5000)
        let patterns: [(String, any SplitPattern)] = [
            ("gpt2", GPT2Scanner()), ("llama3", CL100kScanner(maxDigits: 3)), ("qwen2", CL100kScanner(maxDigits: 1)),
            ("o200k", O200kScanner()), ("literal", LiteralPattern("é ")), ("regex", try RegexPattern(#"\p{L}+|\s"#)),
        ]
        for (name, pattern) in patterns {
            for input in inputs {
                let scalars = input.unicodeScalars.map(\.value)
                var byteOffsets = [0]
                for scalar in input.unicodeScalars { byteOffsets.append(byteOffsets.last! + UTF8.width(scalar)) }
                let expected = scalars.withUnsafeBufferPointer { pattern.matches(in: $0) }
                    .map { byteOffsets[$0.lowerBound]..<byteOffsets[$0.upperBound] }
                var found: [Range<Int>] = []
                Array(input.utf8).withUnsafeBufferPointer { pattern.matches(inUTF8: $0, into: &found) }
                XCTAssertEqual(found, expected, "\(name): \(input.debugDescription)")
            }
        }
    }

    func testPipelinesThatRewriteTextHaveNoFastPath() throws {
        XCTAssertNil(PieceSplitter(try TextPipeline(preset: .qwen2)))
        XCTAssertNil(PieceSplitter(try TextPipeline(preset: .sentencepiece)))
        XCTAssertNil(PieceSplitter(TextPipeline(normalizer: nil, preTokenizer: ByteLevel(addPrefixSpace: true))))
    }
}
