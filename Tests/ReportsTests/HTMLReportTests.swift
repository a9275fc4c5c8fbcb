import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Support
import TextProcessing
import Tokenization
import XCTest
@testable import Reports

final class HTMLReportTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func tokenizer(_ name: String) throws -> Tokenizer {
        let path = repositoryRoot.appendingPathComponent("Tests/TokenizationTests/Goldens/tokenizers/\(name).json.gz").path
        var text = ""
        try CorpusReader(paths: [path], mode: .file).forEachDocument { document, _ in text = document }
        return try Tokenizer(json: JSONValue.parse(Data(text.utf8), source: name), source: name)
    }

    /// Two tokenizers on en, de and ar, with parity from en-de and en-ar.
    static func measured() throws -> TokenizerComparison {
        let samples = repositoryRoot.appendingPathComponent("corpora-samples")
        let languages = try LanguageCorpus.languages(in: ["en", "de", "ar"].map { samples.appendingPathComponent("monolingual/\($0).txt").path })
        return try TokenizerComparison.measure([tokenizer("trained-gpt2"), tokenizer("unigram-byte-fallback")],
                                               names: ["trained-gpt2", "unigram-byte-fallback"], languages: languages,
                                               parallel: ["en-de", "en-ar"].map { samples.appendingPathComponent("parallel/\($0).tsv").path }).comparison
    }

    /// The elements of `html` that have `class="name"`, as their attributes.
    func elements(_ html: String, class name: String) throws -> [[String: String]] {
        let element = try NSRegularExpression(pattern: "<[a-z]+ class=\"\(name)\"([^>]*)>")
        let attribute = try NSRegularExpression(pattern: "([a-z-]+)=\"([^\"]*)\"")
        return element.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            let attributes = String(html[Range(match.range(at: 1), in: html)!])
            var values: [String: String] = [:]
            for pair in attribute.matches(in: attributes, range: NSRange(attributes.startIndex..., in: attributes)) {
                values[String(attributes[Range(pair.range(at: 1), in: attributes)!])] = String(attributes[Range(pair.range(at: 2), in: attributes)!])
            }
            return values
        }
    }

    func testChartsDrawEveryCellOfTheComparison() throws {
        let comparison = try Self.measured()
        let html = comparison.html(title: "Test report")
        XCTAssertEqual(comparison.languages, ["en", "de", "ar"])
        XCTAssertEqual(comparison.referenceLanguage, "en")

        let bars = try elements(html, class: "bar")
        XCTAssertEqual(bars.count, 2 * 3)
        XCTAssertEqual(html.components(separatedBy: "class=\"bar\"").count - 1, 2 * 3)
        for (row, subject) in comparison.subjects.enumerated() {
            for (column, language) in comparison.languages.enumerated() {
                let matching = bars.filter { $0["data-tokenizer"] == subject.name && $0["data-language"] == language }
                XCTAssertEqual(matching.count, 1, "\(subject.name) \(language)")
                XCTAssertEqual(matching.first?["data-value"], String(format: "%.4f", comparison.cells[row][column].statistics.tokensPerWord))
            }
        }

        let cells = try elements(html, class: "cell")
        XCTAssertEqual(cells.count, 2 * 3)
        XCTAssertEqual(html.components(separatedBy: "class=\"cell\"").count - 1, 2 * 3)
        XCTAssertEqual(Set(cells.compactMap { $0["data-language"] }), ["en", "de", "ar"])
        for cell in cells {
            let row = try XCTUnwrap(comparison.subjects.firstIndex { $0.name == cell["data-tokenizer"] })
            let column = try XCTUnwrap(comparison.languages.firstIndex(of: cell["data-language"] ?? ""))
            let parity = try XCTUnwrap(comparison.cells[row][column].parity)
            XCTAssertEqual(cell["data-value"], String(format: "%.4f", parity))
            XCTAssertTrue(html.contains(">\(String(format: "%.2f", parity))</text>"))
        }
        XCTAssertTrue(html.contains("tokens per token of en on parallel text"))

        let curves = try elements(html, class: "curve")
        XCTAssertEqual(curves.count, 2 * 3)
        XCTAssertEqual(html.components(separatedBy: "class=\"curve\"").count - 1, 2 * 3)
        XCTAssertEqual(Set(curves.map { "\($0["data-tokenizer"]!)/\($0["data-language"]!)" }).count, 6)
    }

    func testThePageIsSelfContainedAndDeterministic() throws {
        let comparison = try Self.measured()
        let html = comparison.html(title: "Test report")
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n"))
        XCTAssertTrue(html.contains("<meta charset=\"utf-8\"/>"))
        for forbidden in ["<script", "http", "href=", "src=", "url(", "@import", "javascript:"] {
            XCTAssertFalse(html.lowercased().contains(forbidden), forbidden)
        }
        let handler = try NSRegularExpression(pattern: "<[^>]*\\son[a-z]+\\s*=", options: .caseInsensitive)
        XCTAssertEqual(handler.numberOfMatches(in: html, range: NSRange(html.startIndex..., in: html)), 0)
        XCTAssertEqual(html, comparison.html(title: "Test report"))
        XCTAssertEqual(html, try Self.measured().html(title: "Test report"))
    }

    func testDataIsEscaped() throws {
        var comparison = try Self.measured()
        comparison.subjects[0].name = "a<b&\"c'"
        comparison.cells[0][0].longestTokens = [(id: 7, text: "x<y\u{0}]]>\n\t\u{7F}\u{1B}z")]
        let html = comparison.html(title: "<T&>")
        XCTAssertFalse(html.contains("a<b"))
        XCTAssertFalse(html.contains("]]>"))
        XCTAssertTrue(html.contains("a&lt;b&amp;&quot;c&#39;"))
        XCTAssertTrue(html.contains("data-tokenizer=\"a&lt;b&amp;&quot;c&#39;\""))
        XCTAssertTrue(html.contains("\"x&lt;y\\u{0}]]&gt;\\n\\t\\u{7F}\\u{1B}z\"</code>"))
        XCTAssertTrue(html.contains("<title>&lt;T&amp;&gt;</title>"))
        XCTAssertNil(html.unicodeScalars.first { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F })
        XCTAssertEqual(try elements(html, class: "bar").filter { $0["data-tokenizer"] == "a&lt;b&amp;&quot;c&#39;" }.count, 3)
        try assertWellFormedXML(html)
    }

    func testThePageIsWellFormedXML() throws {
        try assertWellFormedXML(try Self.measured().html(title: "Test report"))
    }

    func assertWellFormedXML(_ html: String, file: StaticString = #filePath, line: UInt = #line) throws {
        #if canImport(FoundationXML) || canImport(Darwin)
        let body = html.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        XCTAssertEqual(body.first, "<!DOCTYPE html>", file: file, line: line)
        let document = try XMLDocument(data: Data(String(body[1]).utf8), options: [])
        XCTAssertEqual(document.rootElement()?.name, "html", file: file, line: line)
        #else
        throw XCTSkip("XMLDocument is not available on this platform")
        #endif
    }
}
