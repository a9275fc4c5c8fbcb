import Alignment
import Foundation
import XCTest

/// The aligner's EM on a corpus small enough to compute by hand.
final class WordAlignerTests: XCTestCase {
    /// Pairs "a b" ↔ "x y" and "a" ↔ "x" (source units a = 0, b = 1; target x = 0, y = 1).
    func corpus() -> AlignmentCorpus {
        var corpus = AlignmentCorpus(sourceTokens: 2, targetTokens: 2)
        corpus.append(source: [0, 1], target: [0, 1])
        corpus.append(source: [0], target: [0])
        return corpus
    }

    func count(_ table: TranslationTable, _ source: UInt32, _ target: UInt32) -> (count: Double, probability: Double)? {
        (0..<table.count).first { table.sources[$0] == source && table.targets[$0] == target }.map { (table.counts[$0], table.probabilities[$0]) }
    }

    func testTheFirstIterationSpreadsEachWordUniformly() throws {
        var options = WordAligner.Options()
        options.iterations = 1
        let table = WordAligner.align(corpus(), options: options)
        // x in pair 1: NULL, a, b get 1/3 each; in pair 2: NULL and a get 1/2.
        let ax = try XCTUnwrap(count(table, 0, 0))
        XCTAssertEqual(ax.count, 5.0 / 6, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(count(table, TranslationTable.null, 0)).count, 5.0 / 6, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(count(table, 1, 1)).count, 1.0 / 3, accuracy: 1e-15)
        // t(x | a) = (5/6) / (5/6 + 1/3).
        XCTAssertEqual(ax.probability, 5.0 / 7, accuracy: 1e-15)
        XCTAssertEqual(table.count, 6, "NULL, a and b with x and y, as co-occurring")
    }

    func testEMConcentratesOnTheConsistentTranslation() throws {
        let table = WordAligner.align(corpus())
        let ax = try XCTUnwrap(count(table, 0, 0)).probability, ay = try XCTUnwrap(count(table, 0, 1)).probability
        XCTAssertGreaterThan(ax, 0.9)
        XCTAssertLessThan(ay, 0.1)
        XCTAssertGreaterThan(try XCTUnwrap(count(table, 1, 1)).probability, try XCTUnwrap(count(table, 1, 0)).probability)
    }

    func testTheDiagonalPriorTunesItsTension() {
        var options = WordAligner.Options(model: .diagonal)
        options.iterations = 4
        let table = WordAligner.align(corpus(), options: options)
        XCTAssertNotNil(table.tension)
        XCTAssertNotEqual(table.tension, 4, "the tension moved from its start")
        XCTAssertEqual(table.counts.reduce(0, +), 3, accuracy: 1e-12, "each of the three target words distributes one unit")
    }

    func testASecondTabIsAnErrorNotTargetText() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-\(UUID().uuidString).tsv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("Open the file\tDatei öffnen\nSave\tSpeichern\t0.93\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ParallelCorpusReader(.tsv(path)).forEachPair { _, _, _ in }) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path):2: more than one tab"), "\(error)")
        }
        var targets: [String] = []
        XCTAssertEqual(try ParallelCorpusReader(.tsv(path), skipMalformed: true).forEachPair { _, _, target in targets.append(target) }, 1)
        XCTAssertEqual(targets, ["Datei öffnen"])
    }

    func testAMissingTabNamesTheLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-\(UUID().uuidString).tsv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("a b\tx y\nno tab here\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ParallelCorpusReader(.tsv(path)).forEachPair { _, _, _ in }) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path):2: no tab"), "\(error)")
        }
        var lines = 0
        XCTAssertEqual(try ParallelCorpusReader(.tsv(path), skipMalformed: true).forEachPair { _, _, _ in lines += 1 }, 1)
        XCTAssertEqual(lines, 1)
    }
}
