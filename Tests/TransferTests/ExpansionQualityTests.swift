import Foundation
import Support
import TextProcessing
import Tokenization
import Training
import Transfer
import XCTest

/// The defects of issue 15, each reproduced on a minimal case and checked on real text: new
/// tokens a source merge blocks, the source language re-segmented, byte-level vocabularies
/// missing byte characters, rows that wreck a model, and repeated parts.
final class ExpansionQualityTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func toy(_ vocab: String, _ merges: String) throws -> Tokenizer {
        try Tokenizer(json: JSONValue.parse(Data(#"""
            {"pre_tokenizer": {"type": "WhitespaceSplit"}, "model": {"type": "BPE", "vocab": {\#(vocab)}, "merges": [\#(merges)]}}
            """#.utf8)))
    }

    func words(_ text: String, _ tokenizer: Tokenizer) throws -> WordCounts {
        try VocabularyExpansion.wordCounter(for: tokenizer).count([text])
    }

    /// GPT-2's byte-level tokenizer, from the goldens.
    func gpt2() throws -> Tokenizer {
        var json = ""
        try CorpusReader(paths: [Self.root.appendingPathComponent("Tests/TokenizationTests/Goldens/tokenizers/gpt2.json.gz").path], mode: .file)
            .forEachDocument { text, _ in json = text }
        return try Tokenizer(json: JSONValue.parse(Data(json.utf8)))
    }

    func lines(_ language: String) throws -> [String] {
        try String(contentsOfFile: Self.root.appendingPathComponent("corpora-samples/monolingual/\(language).txt").path, encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    /// Before: new merges were learned by a separate BPE on the raw characters and appended, so
    /// `xy` (learned first) lost to the source merge `y z` inside `xyz` and the token `xyz`
    /// built on it could never be produced. Now training continues from the source's
    /// segmentation [x, yz], and the new token is `xyz` = x + yz, produced on every `xyz`.
    func testASourceMergeAcrossANewTokenCannotBlockIt() throws {
        let source = try toy(#""x": 0, "y": 1, "z": 2, "yz": 3"#, #"["y", "z"]"#)
        let expansion = try VocabularyExpansion(source: source, words: words("xyz xyz xyz", source), count: 1)
        XCTAssertEqual(expansion.newTokens, [.init(id: 4, token: Array("xyz".utf8), merge: (0, 3), occurrences: 3)])
        XCTAssertEqual(try expansion.tokenizer.encode("xyz").ids, [4])
        XCTAssertEqual(try expansion.unreachableTokens(), [])
    }

    /// On real text with a real byte-level vocabulary (whose merges cross character
    /// boundaries): no new token is unreachable, and the trainer's count of each new token is
    /// exactly what the expanded tokenizer produces on the corpus.
    func testEveryNewTokenIsProducedAsCounted() throws {
        let source = try gpt2()
        let corpus = try lines("ru")
        let expansion = try VocabularyExpansion(source: source, words: VocabularyExpansion.wordCounter(for: source).count(corpus), count: 800,
                                                protectedWords: nil)
        XCTAssertEqual(try expansion.unreachableTokens().map { String(decoding: $0.token, as: UTF8.self) }, [])
        var produced: [TokenID: UInt64] = [:]
        var state = Tokenizer.State()
        for line in corpus {
            for id in try expansion.tokenizer.encodeIDs(line, state: &state) where id >= 50_257 { produced[id, default: 0] += 1 }
        }
        for token in expansion.newTokens { XCTAssertEqual(produced[token.id] ?? 0, token.occurrences, "\(token.id)") }
        XCTAssertGreaterThan(expansion.deadTokens, 0)
        XCTAssertLessThan(expansion.deadTokens, 400)
        let model = try XCTUnwrap(expansion.tokenizer.bpe), sourceModel = try XCTUnwrap(source.bpe)
        XCTAssertTrue(zip(model.merges, sourceModel.merges).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 })
        XCTAssertEqual(model.merges.count - sourceModel.merges.count, expansion.newTokens.count { $0.merge != nil })
    }

    /// German text shares pairs with English: unprotected, its new merges re-segment English
    /// lines; protected by the built-in sample, none of them changes, and the refused merges are counted.
    func testProtectedTextKeepsItsSegmentation() throws {
        let source = try gpt2()
        let counter = VocabularyExpansion.wordCounter(for: source)
        let german = try counter.count(lines("de"))
        let english = try lines("en").prefix(400).map { $0 }
        func changed(_ expanded: Tokenizer) throws -> Int {
            var before = Tokenizer.State(), after = Tokenizer.State()
            return try english.count { try source.encodeIDs($0, state: &before) != expanded.encodeIDs($0, state: &after) }
        }
        let open = try VocabularyExpansion(source: source, words: german, count: 500)
        XCTAssertGreaterThan(try changed(open.tokenizer), 10)
        let protected = try VocabularyExpansion(source: source, words: german, count: 500, protectedWords: counter.count(english))
        XCTAssertEqual(try changed(protected.tokenizer), 0)
        XCTAssertGreaterThan(protected.refused.protected, 0)
    }

    /// `--scripts Cyrl`: no new token of a Russian expansion holds a Latin letter or a digit.
    func testScriptsRestrictNewTokens() throws {
        let source = try gpt2()
        let scripts = try ScriptSet(names: ["Cyrl"])
        let convention = VocabularyConvention(of: source)
        let expansion = try VocabularyExpansion(source: source, words: VocabularyExpansion.wordCounter(for: source).count(lines("ru")), count: 300,
                                                accepts: { token in convention.decoded(token).map { scripts.admits($0.bytes) } ?? false })
        XCTAssertGreaterThan(expansion.refused.filtered, 0)
        for token in expansion.newTokens {
            let text = String(decoding: try XCTUnwrap(convention.decoded(token.token)).bytes, as: UTF8.self)
            XCTAssertFalse(text.unicodeScalars.contains { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }, text)
        }
        XCTAssertThrowsError(try ScriptSet(names: ["Klingonish"]))
    }

    /// The default for a target in a script English does not use: every new token holds a
    /// character that never occurs in English (outside ASCII and Latin), so numbers, punctuation
    /// and English names quoted in Russian text are not learned, and English keeps its segmentation.
    func testScriptsAreChosenAutomatically() throws {
        let source = try gpt2()
        let expansion = try TokenExpansion(corpus: CorpusReader(paths: [Self.root.appendingPathComponent("corpora-samples/monolingual/ru.txt").path]), count: 300)
        let changed = try expansion.apply(to: source, rows: 50_257, directory: "", progress: { _ in })
        XCTAssertEqual(changed.counts["protected_lines_changed"], 0)
        let convention = VocabularyConvention(of: source)
        let latin = try ScriptSet(names: ["Latn"])
        for id in changed.initialized {
            let bytes = try XCTUnwrap(convention.decoded(Array(try XCTUnwrap(changed.tokenizer?.model.vocabulary.token(for: id))))).bytes
            let scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { $0.value != 0xFFFD }
            XCTAssertTrue(scalars.isEmpty || scalars.contains { !$0.isASCII && !latin.contains($0) }, String(decoding: bytes, as: UTF8.self))
        }
        let english = try lines("en")
        var before = Tokenizer.State(), after = Tokenizer.State()
        let tokenizer = try XCTUnwrap(changed.tokenizer)
        XCTAssertEqual(try english.count { try source.encodeIDs($0, state: &before) != tokenizer.encodeIDs($0, state: &after) }, 0)
    }

    /// Before: a vocabulary was byte-level only with all 256 byte characters; SmolLM2's lacks
    /// 21, so `▁the` never met `Ġthe`. Majority evidence decides now.
    func testByteLevelVocabulariesMissingByteCharactersAreRecognized() throws {
        let missing = Set(ByteLevelAlphabet.characters.suffix(21))
        var tokens = Set(ByteLevelAlphabet.characters.filter { !missing.contains($0) }.map { String(Unicode.Scalar($0)!) })
        tokens.formUnion(["\u{120}the", "\u{120}and", "\u{120}of"])
        XCTAssertEqual(VocabularyConvention(tokens: tokens, wordPiecePrefix: nil), .byteLevel)
        XCTAssertEqual(VocabularyConvention(tokens: tokens, wordPiecePrefix: nil).decodedKey(Array("\u{120}the".utf8)),
                       VocabularyConvention.metaspace.decodedKey(Array("\u{2581}the".utf8)))
        tokens.formUnion(["\u{2581}the", "\u{2581}and", "\u{2581}of", "\u{2581}in"])
        XCTAssertEqual(VocabularyConvention(tokens: tokens, wordPiecePrefix: nil), .metaspace)
    }

    /// Before: a row whose weights summed to 29 was written as it was. Now it is refused, the
    /// next initializer of the chain makes the row, and the refusal is kept.
    func testRowsThatCouldWreckAModelFallBack() throws {
        struct Blowup: RowInitializer {
            func plan(_ ids: [TokenID], in context: TransferContext, into plans: inout RowPlans) throws {
                for id in ids { plans[id] = .weights([(0, 15), (1, 14)], by: .named("blowup")) }
            }
        }
        let (source, expansion) = try ToyExpansion.make()
        let context = try TransferContext(source: source, sourceRows: 3, target: expansion.tokenizer, expansion: expansion, corpus: .lines(["abc"]))
        var plans = RowPlans()
        try context.plan([3, 4], with: [Blowup(), MeanInitializer()], into: &plans)
        XCTAssertEqual(plans[3]?.provenance.method, .mean)
        XCTAssertEqual(plans.rejections[3]?.map(\.method.label), ["blowup"])
        XCTAssertTrue(plans.rejections[3]?.first?.problem.contains("sum to 29") ?? false)
    }

    /// A new row that is mostly a copy of a token of the protected text (trans-tokenization maps
    /// the Arabic comma to `,`) would take that token's probability in the protected language:
    /// refused, the next initializer makes it. Rows composing the token's own pieces are not
    /// refused for it (`OO` = `O` twice would otherwise fall through to a random row).
    func testRowsCopyingAProtectedTokenFallBack() throws {
        struct Copy: RowInitializer {
            func plan(_ ids: [TokenID], in context: TransferContext, into plans: inout RowPlans) throws {
                for id in ids { plans[id] = RowPlan(.copy(0), RowProvenance(.named("copy-a"), sources: [(0, 1)])) }
            }
        }
        let (source, expansion) = try ToyExpansion.make()
        for (protected, method) in [(Set<TokenID>([0]), RowProvenance.Method.merge), ([1], .named("copy-a"))] {
            let context = try TransferContext(source: source, sourceRows: 3, target: expansion.tokenizer, expansion: expansion,
                                          corpus: .lines(["abc"]), protectedIDs: protected)
            var plans = RowPlans()
            try context.plan([3], with: [Copy(), MergeInitializer()], into: &plans)
            XCTAssertEqual(plans[3]?.provenance.method, method)
            // The Merge row of ab = a + b puts half its weight on a: a composition of the token's own pieces is kept.
            if method == .merge { XCTAssertTrue(plans.rejections[3]?.count == 1) }
        }
    }

    /// Before: `aaa` = a + a + a gave the piece `aa` the sources [a, a], and the provenance
    /// database refused the second (token, source) pair. Repeated parts now add their weights.
    func testRepeatedPartsAddTheirWeights() {
        let plan = RowPlan.weights([(7, 0.5), (7, 0.25), (2, 0.25)], by: .mean)
        XCTAssertEqual(plan.provenance.sources.map(\.id), [7, 2])
        XCTAssertEqual(plan.provenance.sources.map(\.weight), [0.75, 0.25])
        guard case .weights(let weights) = plan.values else { return XCTFail() }
        XCTAssertEqual(weights.map(\.weight), [0.75, 0.25])
    }
}
