import Foundation
import Transfer
import XCTest

/// `ModelDirectoryInspection` on the broken directories of `Fixtures/broken` (written by
/// `tools/broken_directories.py`): each holds one defect, among them issue 16's three bugs,
/// and `expected.txt`, the words its problem must contain (file and key).
final class ModelDirectoryInspectionTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/broken").path

    func testTheConsistentDirectoryHasNoProblem() throws {
        let inspection = try ModelDirectoryInspection(path: Self.fixtures + "/00-consistent")
        XCTAssertEqual(inspection.problems, [])
        XCTAssertEqual(inspection.specialTokens.tokens, [.bos: "<s>", .eos: "</s>", .unk: "<unk>", .pad: "<pad>"])
        XCTAssertEqual(inspection.embedding?.rows, 24)
        XCTAssertEqual(inspection.configVocabularySize, 24)
    }

    func testEveryBrokenDirectoryIsReportedNamingItsFileAndKey() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures).filter { $0.first!.isNumber && !$0.hasPrefix("00") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 10)
        for name in names {
            let directory = Self.fixtures + "/" + name
            let expected = try String(contentsOfFile: directory + "/expected.txt", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let problems = try ModelDirectoryInspection(path: directory).problems
            XCTAssertTrue(problems.contains { $0.contains(expected) }, "\(name): \(problems) lacks \(expected.debugDescription)")
            XCTAssertTrue(problems.allSatisfy { $0.contains(directory) }, "\(name): a problem does not name its file: \(problems)")
        }
    }
}
