import XCTest
@testable import Reports

final class LanguageCorpusTests: XCTestCase {
    func testFilesAreLanguagesByTheirNameUpToTheFirstDot() {
        XCTAssertEqual(LanguageCorpus.name(of: "corpora-samples/monolingual/de.txt"), "de")
        XCTAssertEqual(LanguageCorpus.name(of: "x/pt-BR.txt.gz"), "pt-BR")
        XCTAssertEqual(LanguageCorpus.name(of: "en"), "en")
    }
}
