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

    func testPipelinesThatRewriteTextHaveNoFastPath() throws {
        XCTAssertNil(PieceSplitter(try TextPipeline(preset: .qwen2)))
        XCTAssertNil(PieceSplitter(try TextPipeline(preset: .sentencepiece)))
        XCTAssertNil(PieceSplitter(TextPipeline(normalizer: nil, preTokenizer: ByteLevel(addPrefixSpace: true))))
    }
}
