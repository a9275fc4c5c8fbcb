import Foundation
import Support
import TextProcessing
import XCTest

/// The catalogue of hostile and careless inputs: each runs the built `polytoken` and must end
/// with the expected exit status and one line on standard error that names the file (or
/// option) and the place, and must leave the working directory exactly as it was: no output,
/// no temporary, no input changed. The cases marked "issue 13" crashed, hung or succeeded
/// wrongly before the reliability work.
final class HostileInputTests: XCTestCase {
    /// One hostile input.
    struct Case {
        /// What it is.
        var name: String
        /// Builds the inputs in the case's directory.
        var setup: (Scratch) throws -> Void
        /// The command line (run in the case's directory).
        var arguments: [String]
        /// 1 for bad data, 64 for a bad command line.
        var status: Int32 = 1
        /// Fragments the message must contain: the file or option, and the place.
        var mentions: [String]
    }

    static let en = Fixtures.sample("monolingual/en.txt")
    static let expandM = ["expand", "--model", "M", "--target-corpus", en, "--new-tokens", "5", "-o", "OUT"]

    /// `expand` on a copy of the fixture model whose `model.safetensors` is replaced by a crafted one.
    static func checkpoint(_ name: String, header: String, dataBytes: Int = 0, length: UInt64? = nil, mentions: [String]) -> Case {
        Case(name: "safetensors: \(name)", setup: { scratch in
            try scratch.model()
            try scratch.safetensors("M/model.safetensors", header: header, dataBytes: dataBytes, length: length)
        }, arguments: expandM, mentions: ["M/model.safetensors"] + mentions)
    }

    /// `encode` with a copy of the fixture tokenizer changed by `change`.
    static func tokenizer(_ name: String, fixture: String? = nil, mentions: [String], _ change: @escaping (inout JSONValue) throws -> Void) -> Case {
        Case(name: "tokenizer.json: \(name)", setup: { scratch in
            try scratch.copy(fixture ?? Fixtures.shared.tokenizer, "tokenizer.json")
            try scratch.editJSON("tokenizer.json", change)
        }, arguments: ["encode", "--tokenizer", "tokenizer.json", en], mentions: ["tokenizer.json"] + mentions)
    }

    /// `encode` with a tokenizer.json whose text is `text`.
    static func tokenizerText(_ name: String, _ text: Data, mentions: [String]) -> Case {
        Case(name: "tokenizer.json: \(name)", setup: { try $0.write("tokenizer.json", text) },
             arguments: ["encode", "--tokenizer", "tokenizer.json", en], mentions: ["tokenizer.json"] + mentions)
    }

    /// `train --counts` on a copy of the fixture store changed by `statements`.
    static func counts(_ name: String, _ statements: String, mentions: [String]) -> Case {
        Case(name: "count store: \(name)", setup: { scratch in
            try scratch.copy(Fixtures.shared.counts, "counts.sqlite")
            try scratch.sql("counts.sqlite", statements)
        }, arguments: ["train", "--preset", "llama3", "--vocab-size", "400", "--counts", "counts.sqlite", "-o", "t.json"],
             mentions: ["counts.sqlite"] + mentions)
    }

    /// `align` on a parallel corpus whose bytes are `bytes`.
    static func parallel(_ name: String, _ bytes: Data, mentions: [String]) -> Case {
        Case(name: "parallel TSV: \(name)", setup: { try $0.write("pairs.tsv", bytes) },
             arguments: ["align", "--source-tokenizer", Fixtures.shared.tokenizer, "--target-tokenizer", Fixtures.shared.tokenizer,
                         "--parallel", "pairs.tsv", "-o", "table.sqlite"], mentions: ["pairs.tsv"] + mentions)
    }

    /// `transtokenize --alignment-table` with a copy of the fixture table changed by `statements`.
    static func alignmentTable(_ name: String, _ statements: String, mentions: [String]) -> Case {
        Case(name: "alignment table: \(name)", setup: { scratch in
            try scratch.model()
            try scratch.copy(Fixtures.shared.alignment, "table.sqlite")
            if !statements.isEmpty { try scratch.sql("table.sqlite", statements) }
        }, arguments: ["transtokenize", "--model", "M", "--target-tokenizer", Fixtures.shared.tokenizer, "--alignment-table", "table.sqlite",
                       "--special-token-map", "bos=none", "--special-token-map", "eos=none", "--special-token-map", "unk=none",
                       "-o", "OUT"], mentions: ["table.sqlite"] + mentions)
    }

    static var cases: [Case] { [
        // Safetensors headers and tensors.
        checkpoint("header length of 2^63 (issue 13: trapped)", header: "{}", length: 1 << 63, mentions: ["header length 9223372036854775808"]),
        checkpoint("header length of 2^64 - 1", header: "{}", length: .max, mentions: ["header length"]),
        checkpoint("header length beyond the file", header: "{}", length: 4096, mentions: ["header length 4096"]),
        checkpoint("header length of zero", header: "", length: 0, mentions: ["header length 0"]),
        checkpoint("header that is not JSON", header: "{\"a\": ", mentions: ["header", "not valid JSON"]),
        checkpoint("header that is an array", header: "[1, 2]", mentions: ["not a JSON object"]),
        checkpoint("shape whose size overflows (issue 13: trapped)",
                   header: #"{"w": {"dtype": "F32", "shape": [2305843009213693952, 1], "data_offsets": [0, 0]}}"#,
                   mentions: ["w", "more bytes than a 64-bit size can count"]),
        checkpoint("shape that disagrees with data_offsets",
                   header: #"{"w": {"dtype": "F32", "shape": [4, 4], "data_offsets": [0, 60]}}"#, dataBytes: 60,
                   mentions: ["w", "needs 64 bytes, data_offsets give 60"]),
        checkpoint("negative dimension", header: #"{"w": {"dtype": "F32", "shape": [-4, 4], "data_offsets": [0, 0]}}"#,
                   mentions: ["w", "invalid data_offsets or shape"]),
        checkpoint("overlapping tensors", header: #"{"a": {"dtype": "U8", "shape": [8], "data_offsets": [0, 8]}, "b": {"dtype": "U8", "shape": [8], "data_offsets": [4, 12]}}"#,
                   dataBytes: 12, mentions: ["overlap"]),
        checkpoint("unsupported dtype", header: #"{"w": {"dtype": "F8_E4M3", "shape": [4], "data_offsets": [0, 4]}}"#, dataBytes: 4,
                   mentions: ["w", "unsupported dtype"]),
        checkpoint("truncated data section", header: #"{"w": {"dtype": "F32", "shape": [8], "data_offsets": [0, 32]}}"#, dataBytes: 16,
                   mentions: ["cover 32 bytes but the data section has 16"]),
        checkpoint("__metadata__ that is not an object", header: #"{"__metadata__": [1]}"#, mentions: ["__metadata__"]),
        checkpoint("embedding of width zero (issue 13: wrote zero-width rows)",
                   header: #"{"model.embed_tokens.weight": {"dtype": "F16", "shape": [32000, 0], "data_offsets": [0, 0]}}"#,
                   mentions: ["model.embed_tokens.weight", "[32000, 0]"]),
        checkpoint("integer embedding", header: #"{"model.embed_tokens.weight": {"dtype": "I8", "shape": [32000, 2], "data_offsets": [0, 64000]}}"#,
                   dataBytes: 64000, mentions: ["model.embed_tokens.weight", "I8"]),
        checkpoint("embedding with one dimension", header: #"{"model.embed_tokens.weight": {"dtype": "F16", "shape": [32000], "data_offsets": [0, 64000]}}"#,
                   dataBytes: 64000, mentions: ["model.embed_tokens.weight", "[32000]"]),
        Case(name: "safetensors: file shorter than its header length", setup: { scratch in
            try scratch.model()
            try scratch.write("M/model.safetensors", Data([1, 2, 3]))
        }, arguments: expandM, mentions: ["M/model.safetensors", "shorter than its 8-byte header length"]),
        Case(name: "safetensors: a directory named model.safetensors", setup: { scratch in
            try scratch.model()
            try FileManager.default.removeItem(atPath: scratch.path("M/model.safetensors"))
            try FileManager.default.createDirectory(atPath: scratch.path("M/model.safetensors"), withIntermediateDirectories: false)
        }, arguments: expandM, mentions: ["M/model.safetensors"]),

        // Sharded checkpoints.
        Case(name: "index: shards in subdirectories (issue 13: wrote an index naming missing files)", setup: { scratch in
            try scratch.model()
            try FileManager.default.createDirectory(atPath: scratch.path("M/a"), withIntermediateDirectories: false)
            try FileManager.default.moveItem(atPath: scratch.path("M/model.safetensors"), toPath: scratch.path("M/a/model-00001-of-00001.safetensors"))
            try scratch.write("M/model.safetensors.index.json", #"{"metadata": {}, "weight_map": {"model.embed_tokens.weight": "a/model-00001-of-00001.safetensors", "model.norm.weight": "a/model-00001-of-00001.safetensors"}}"#)
        }, arguments: expandM, mentions: ["M/model.safetensors.index.json", "weight_map.model.embed_tokens.weight", "subdirectories"]),
        Case(name: "index: a shard that does not exist", setup: { scratch in
            try scratch.model()
            try scratch.write("M/model.safetensors.index.json", #"{"weight_map": {"model.embed_tokens.weight": "model-00002.safetensors"}}"#)
        }, arguments: expandM, mentions: ["M/model-00002.safetensors", "cannot open"]),
        Case(name: "index: not JSON", setup: { scratch in
            try scratch.model()
            try scratch.write("M/model.safetensors.index.json", "{\"weight_map\": {\n\"x\": }")
        }, arguments: expandM, mentions: ["M/model.safetensors.index.json:2:", "not valid JSON"]),
        Case(name: "index: a tensor placed in the wrong shard", setup: { scratch in
            try scratch.model()
            try scratch.safetensors("M/other.safetensors", header: #"{"x": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}"#, dataBytes: 1)
            try scratch.write("M/model.safetensors.index.json", #"{"weight_map": {"model.embed_tokens.weight": "other.safetensors", "model.norm.weight": "model.safetensors", "x": "model.safetensors"}}"#)
        }, arguments: expandM, mentions: ["M/model.safetensors.index.json", "weight_map puts"]),
        Case(name: "model directory without weights", setup: { scratch in
            try scratch.model()
            try FileManager.default.removeItem(atPath: scratch.path("M/model.safetensors"))
        }, arguments: expandM, mentions: ["M", "no model.safetensors"]),
        Case(name: "model directory that does not exist", setup: { _ in }, arguments: expandM, mentions: ["M", "no such model directory"]),
        Case(name: "model directory that is a file", setup: { try $0.write("M", "x") }, arguments: expandM, mentions: ["M", "not a model directory"]),

        // config.json.
        Case(name: "config.json missing", setup: { scratch in
            try scratch.model()
            try FileManager.default.removeItem(atPath: scratch.path("M/config.json"))
        }, arguments: expandM, mentions: ["M/config.json", "no such file"]),
        Case(name: "config.json not JSON", setup: { scratch in
            try scratch.model()
            try scratch.write("M/config.json", "{\n  \"vocab_size\": 32000,\n}")
        }, arguments: expandM, mentions: ["M/config.json:3:1", "not valid JSON"]),
        Case(name: "config.json vocab_size disagrees with the embedding", setup: { scratch in
            try scratch.model()
            try scratch.write("M/config.json", #"{"vocab_size": 32001}"#)
        }, arguments: expandM, mentions: ["M/config.json", "vocab_size is 32001 but model.embed_tokens.weight has 32000 rows"]),
        // Special-token files (issue 16).
        Case(name: "tokenizer_config.json not JSON", setup: { scratch in
            try scratch.model()
            try scratch.write("M/tokenizer_config.json", "{\"eos_token\": ")
        }, arguments: expandM, mentions: ["M/tokenizer_config.json", "not valid JSON"]),
        Case(name: "generation_config.json eos id not a number", setup: { scratch in
            try scratch.model()
            try scratch.write("M/generation_config.json", #"{"eos_token_id": ["</s>"]}"#)
        }, arguments: expandM, mentions: ["M/generation_config.json", "eos_token_id"]),
        Case(name: "config.json eos id beyond the vocabulary", setup: { scratch in
            try scratch.model()
            try scratch.write("M/config.json", #"{"vocab_size": 32000, "eos_token_id": 99999}"#)
        }, arguments: expandM, mentions: ["M/config.json", "eos eos_token_id 99999 is outside the vocabulary"]),
        Case(name: "tokenizer_config.json added_tokens_decoder entry without content", setup: { scratch in
            try scratch.model()
            try scratch.write("M/tokenizer_config.json", #"{"added_tokens_decoder": {"2": {"special": true}}}"#)
        }, arguments: expandM, mentions: ["M/tokenizer_config.json", "added_tokens_decoder", "content"]),
        Case(name: "config.json a directory", setup: { scratch in
            try scratch.model()
            try FileManager.default.removeItem(atPath: scratch.path("M/config.json"))
            try FileManager.default.createDirectory(atPath: scratch.path("M/config.json"), withIntermediateDirectories: false)
        }, arguments: expandM, mentions: ["M/config.json", "is a directory"]),
        Case(name: "config.json tie_word_embeddings not a Boolean", setup: { scratch in
            try scratch.model()
            try scratch.write("M/config.json", #"{"tie_word_embeddings": "yes"}"#)
        }, arguments: expandM, mentions: ["M/config.json.tie_word_embeddings", "expected true or false"]),

        // tokenizer.json.
        Case(name: "tokenizer.json: a directory (issue 13: NSCocoaErrorDomain error 256)", setup: { try FileManager.default.createDirectory(atPath: $0.path("tok"), withIntermediateDirectories: false) },
             arguments: ["encode", "--tokenizer", "tok", en], mentions: ["tok", "is a directory"]),
        Case(name: "tokenizer.json: missing", setup: { _ in }, arguments: ["encode", "--tokenizer", "tok.json", en], mentions: ["tok.json", "no such file"]),
        Case(name: "tokenizer.json: a dangling symbolic link", setup: { try FileManager.default.createSymbolicLink(atPath: $0.path("tok.json"), withDestinationPath: "gone.json") },
             arguments: ["encode", "--tokenizer", "tok.json", en], mentions: ["tok.json", "symbolic link to a missing file"]),
        tokenizerText("truncated", Data("{\n  \"version\": \"1.0\",\n  \"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0".utf8), mentions: [":3:", "unexpected end of input"]),
        tokenizer("an id of a billion (issue 13: allocated 7.9 GB)", mentions: ["model.vocab.", "id 1000000000 is far beyond"]) { json in
            guard case .object(let members)? = json["model"]?["vocab"], let first = members.first else { return }
            json.set("model.vocab.\(first.key)", .number(1e9))
        },
        tokenizer("a negative id", mentions: ["model.vocab.", "non-negative integer id"]) { json in
            guard case .object(let members)? = json["model"]?["vocab"], let first = members.first else { return }
            json.set("model.vocab.\(first.key)", .number(-3))
        },
        tokenizer("a duplicate id", mentions: ["model.vocab.", "duplicate id 0"]) { json in
            guard case .object(let members)? = json["model"]?["vocab"], members.count > 1 else { return }
            json.set("model.vocab.\(members[1].key)", members[0].value)
        },
        tokenizer("a merge of a token not in the vocabulary", mentions: ["model.merges[0]", "not in the vocabulary"]) { json in
            json.set("model.merges.0", .array([.string("nosuchtoken"), .string("a")]))
        },
        tokenizer("a merge of three parts", mentions: ["model.merges[0]", "exactly two parts"]) { json in
            json.set("model.merges.0", .string("a b c"))
        },
        tokenizer("an unknown model type", mentions: ["model.type", "unsupported model type"]) { json in json.set("model.type", .string("Unknown")) },
        tokenizer("an unknown normalizer", mentions: ["normalizer.type", "NoSuchNormalizer"]) { json in
            json.set("normalizer", .object([JSONMember("type", .string("NoSuchNormalizer"))]))
        },
        tokenizer("an unsupported version", mentions: ["version", "unsupported version"]) { json in json.set("version", .string("2.0")) },
        tokenizer("a dropout of 2", mentions: ["dropout", "between 0 and 1"]) { json in json.set("model.dropout", .number(2)) },
        tokenizer("a Split pattern that is not a valid regex", mentions: ["pre_tokenizer"]) { json in
            json.set("pre_tokenizer", .object([JSONMember("type", .string("Split")), JSONMember("pattern", .object([JSONMember("Regex", .string("(unclosed"))])),
                                               JSONMember("behavior", .string("Isolated")), JSONMember("invert", .bool(false))]))
        },
        tokenizer("a negative special-token id in the template (found by the fuzzer: trapped)",
                  mentions: ["post_processor.special_tokens.<s>.ids[0]", "between 0 and 4294967295, not -1"]) { json in
            json.set("post_processor", .object([
                JSONMember("type", .string("TemplateProcessing")),
                JSONMember("single", .array([.object([JSONMember("SpecialToken", .object([JSONMember("id", .string("<s>")), JSONMember("type_id", .number(0))]))])])),
                JSONMember("pair", .array([])),
                JSONMember("special_tokens", .object([JSONMember("<s>", .object([JSONMember("id", .string("<s>")), JSONMember("ids", .array([.number(-1)])),
                                                                                  JSONMember("tokens", .array([.string("<s>")]))]))])),
            ]))
        },
        tokenizer("a RoBERTa separator id beyond 32 bits", mentions: ["post_processor.sep[1]", "not 4294967296"]) { json in
            json.set("post_processor", .object([JSONMember("type", .string("RobertaProcessing")), JSONMember("sep", .array([.string("</s>"), .number(4294967296)])),
                                                JSONMember("cls", .array([.string("<s>"), .number(0)]))]))
        },
        tokenizer("padding to a trillion tokens", mentions: ["padding.strategy.Fixed", "not 1000000000000"]) { json in
            json.set("padding", .object([JSONMember("strategy", .object([JSONMember("Fixed", .number(1e12))])), JSONMember("direction", .string("Right"))]))
        },
        tokenizer("a negative truncation length", mentions: ["truncation.max_length", "not -5"]) { json in
            json.set("truncation", .object([JSONMember("max_length", .number(-5))]))
        },
        tokenizer("a Unigram piece that is not a pair", fixture: Fixtures.shared.unigram, mentions: ["model.vocab[3]", "expected [piece, score]"]) { json in
            json.set("model.vocab.3", .array([.string("x")]))
        },
        tokenizerText("nested ten thousand deep", Data((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8),
                      mentions: [":1:", "nested too deeply"]),
        tokenizerText("invalid UTF-8", Data([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]), mentions: [":1:", "invalid UTF-8"]),
        tokenizerText("a lone surrogate escape", Data(#"{"model": {"vocab": {"\udc00": 0}}}"#.utf8), mentions: [":1:", "lone surrogate"]),
        tokenizerText("a number beyond double range", Data(#"{"model": {"type": "BPE", "vocab": {"a": 1e400}}}"#.utf8), mentions: [":1:", "number out of range"]),

        // Parallel corpora.
        parallel("three columns (issue 13: the score became target text)", Data("Open the file\tDatei öffnen\t0.93\n".utf8),
                 mentions: ["pairs.tsv:1", "more than one tab"]),
        parallel("a line without a tab", Data("Open the file\tDatei öffnen\nno tab here\n".utf8), mentions: ["pairs.tsv:2", "no tab"]),
        parallel("invalid UTF-8", Data("Open\tÖffnen\n".utf8) + Data([0x61, 0x09, 0xC3, 0x28, 0x0A]), mentions: ["pairs.tsv:2", "not valid UTF-8"]),
        Case(name: "parallel files: one side shorter", setup: { scratch in
            try scratch.write("en.txt", "one\ntwo\nthree\n")
            try scratch.write("de.txt", "eins\nzwei\n")
        }, arguments: ["align", "--source-tokenizer", Fixtures.shared.tokenizer, "--target-tokenizer", Fixtures.shared.tokenizer,
                       "--parallel", "en.txt", "--parallel-target", "de.txt", "-o", "table.sqlite"], mentions: ["en.txt:3", "de.txt has only 2 lines"]),
        Case(name: "parallel TSV: a directory", setup: { try FileManager.default.createDirectory(atPath: $0.path("pairs.tsv"), withIntermediateDirectories: false) },
             arguments: ["align", "--source-tokenizer", Fixtures.shared.tokenizer, "--target-tokenizer", Fixtures.shared.tokenizer,
                         "--parallel", "pairs.tsv", "-o", "table.sqlite"], mentions: ["pairs.tsv", "is a directory"]),
        Case(name: "parallel TSV: missing", setup: { _ in },
             arguments: ["align", "--source-tokenizer", Fixtures.shared.tokenizer, "--target-tokenizer", Fixtures.shared.tokenizer,
                         "--parallel", "pairs.tsv", "-o", "table.sqlite"], mentions: ["pairs.tsv", "cannot open"]),

        // Word-count stores.
        counts("a NULL word (issue 13: trapped)", "CREATE TABLE w2 (word BLOB, count INTEGER); INSERT INTO w2 SELECT word, count FROM words; DROP TABLE words; ALTER TABLE w2 RENAME TO words; INSERT INTO words VALUES (NULL, 3)",
               mentions: ["words row", "word is NULL"]),
        counts("a count of 2.5 (issue 13: read as 2)", "UPDATE words SET count = 2.5 WHERE word = (SELECT MIN(word) FROM words)", mentions: ["words row", "count is the real 2.5"]),
        counts("a count of 'abc' (issue 13: read as 0)", "UPDATE words SET count = 'abc' WHERE word = (SELECT MIN(word) FROM words)", mentions: ["words row", "count is the text \"abc\""]),
        counts("a word of invalid UTF-8 (issue 13: became U+FFFD)", "INSERT INTO words VALUES (X'C328', 4)", mentions: ["words row", "not valid UTF-8"]),
        counts("a negative count", "UPDATE words SET count = -1 WHERE word = (SELECT MIN(word) FROM words)", mentions: ["words row", "count is the integer -1"]),
        counts("counts whose pairs would overflow", "UPDATE words SET count = 4611686018427387904", mentions: ["words row", "too large"]),
        counts("no words table", "DROP TABLE words", mentions: ["no words table"]),
        counts("another format", "UPDATE metadata SET value = 'something-else' WHERE key = 'format'", mentions: ["not a Polytoken word-count file"]),
        counts("a documents count that is not a number", "UPDATE metadata SET value = 'many' WHERE key = 'documents'", mentions: ["metadata.documents"]),
        Case(name: "count store: not SQLite", setup: { try $0.write("counts.sqlite", "word\tcount\nthe\t3\n") },
             arguments: ["train", "--vocab-size", "400", "--counts", "counts.sqlite", "-o", "t.json"], mentions: ["counts.sqlite", "cannot read the word-count file"]),
        Case(name: "count store: a directory (issue 13: disk I/O error)", setup: { try FileManager.default.createDirectory(atPath: $0.path("counts.sqlite"), withIntermediateDirectories: false) },
             arguments: ["train", "--vocab-size", "400", "--counts", "counts.sqlite", "-o", "t.json"], mentions: ["counts.sqlite", "is a directory"]),
        Case(name: "count store: counted with another preset", setup: { try $0.copy(Fixtures.shared.counts, "counts.sqlite") },
             arguments: ["train", "--preset", "gpt2", "--vocab-size", "400", "--counts", "counts.sqlite", "-o", "t.json"], status: 64,
             mentions: ["counts.sqlite", "preset:llama3"]),

        // Alignment tables.
        alignmentTable("a pair naming a unit that does not exist", "UPDATE pairs SET target = 99999999 WHERE rowid = 1", mentions: ["pairs row 1", "target unit id below"]),
        alignmentTable("a unit whose tokens are NULL text", "UPDATE units SET tokens = 'x y' WHERE side = 'source' AND id = 0", mentions: ["units row", "not a list of token ids"]),
        alignmentTable("a count that is not a number", "UPDATE pairs SET count = 'many' WHERE rowid = 1", mentions: ["pairs row 1", "count"]),
        alignmentTable("a count beyond any corpus", "UPDATE pairs SET count = 1e300 WHERE rowid = 1", mentions: ["pairs row 1", "count is 1e+300"]),
        alignmentTable("made with another tokenizer", "UPDATE units SET tokens = '4000000' WHERE side = 'source' AND id = 0",
                       mentions: ["source unit 0", "names token ids beyond the source tokenizer's 32000"]),
        alignmentTable("units numbered with a gap", "DELETE FROM units WHERE side = 'target' AND id = 1", mentions: ["units row", "ids run from 0 without gaps"]),
        Case(name: "alignment table: not SQLite (issue 13: the file was not named)", setup: { scratch in
            try scratch.model()
            try scratch.write("table.sqlite", "not a database")
        }, arguments: ["transtokenize", "--model", "M", "--target-tokenizer", Fixtures.shared.tokenizer, "--alignment-table", "table.sqlite", "-o", "OUT"],
             mentions: ["table.sqlite", "cannot read the alignment table file"]),

        // Options.
        Case(name: "option: --pad-to-multiple of 2^62 (issue 13: trapped)", setup: { try $0.model() },
             arguments: ["expand", "--model", "M", "--target-corpus", en, "--new-tokens", "5", "--pad-to-multiple", "4611686018427387904", "-o", "OUT"],
             status: 64, mentions: ["--pad-to-multiple", "4611686018427387904"]),
        Case(name: "option: a negative --new-tokens (issue 13: 'Missing value')", setup: { try $0.model() },
             arguments: ["expand", "--model", "M", "--target-corpus", en, "--new-tokens", "-5", "-o", "OUT"], status: 64, mentions: ["--new-tokens", "-5"]),
        Case(name: "option: a negative --vocab-size (issue 13: 'Missing value')", setup: { _ in },
             arguments: ["train", "--vocab-size", "-1", "-o", "t.json", en], status: 64, mentions: ["--vocab-size", "-1"]),
        Case(name: "option: --threads 0", setup: { _ in }, arguments: ["count", "--threads", "0", "-o", "c.sqlite", en], status: 64, mentions: ["--threads", "0"]),
        Case(name: "option: a negative --seed", setup: { try $0.model() },
             arguments: ["expand", "--model", "M", "--target-corpus", en, "--new-tokens", "5", "--seed", "-1", "-o", "OUT"], status: 64, mentions: ["--seed", "-1"]),
        Case(name: "option: --max-length-ratio nan", setup: { _ in },
             arguments: ["align", "--source-tokenizer", Fixtures.shared.tokenizer, "--target-tokenizer", Fixtures.shared.tokenizer,
                         "--parallel", Fixtures.sample("parallel/en-de.tsv"), "--max-length-ratio", "nan", "-o", "table.sqlite"],
             status: 64, mentions: ["--max-length-ratio", "nan"]),
        Case(name: "option: --iterations 0", setup: { _ in },
             arguments: ["align", "--source-tokenizer", Fixtures.shared.tokenizer, "--target-tokenizer", Fixtures.shared.tokenizer,
                         "--parallel", Fixtures.sample("parallel/en-de.tsv"), "--iterations", "0", "-o", "table.sqlite"], status: 64, mentions: ["--iterations", "0"]),

        // Outputs.
        Case(name: "output: train -o the corpus itself (issue 13: replaced the corpus)", setup: { try $0.copy(en, "in.txt") },
             arguments: ["train", "--vocab-size", "400", "-o", "in.txt", "in.txt"], mentions: ["in.txt", "would replace the input"]),
        Case(name: "output: train -o a symbolic link to the corpus", setup: { scratch in
            try scratch.copy(en, "in.txt")
            try FileManager.default.createSymbolicLink(atPath: scratch.path("out.json"), withDestinationPath: "in.txt")
        }, arguments: ["train", "--vocab-size", "400", "-o", "out.json", "in.txt"], mentions: ["out.json", "would replace the input in.txt"]),
        Case(name: "output: expand --force -o the source model (issue 13: overwrote it)", setup: { try $0.model() },
             arguments: ["expand", "--model", "M", "--target-corpus", en, "--new-tokens", "5", "--force", "-o", "M"], mentions: ["M", "would replace the input"]),
        Case(name: "output: expand --force -o the directory holding the source", setup: { try $0.model("models/M") },
             arguments: ["expand", "--model", "models/M", "--target-corpus", en, "--new-tokens", "5", "--force", "-o", "models"],
             mentions: ["models", "would replace the input models/M"]),
        Case(name: "output: -o sub/. of a missing directory (issue 13: raw NSError)", setup: { try $0.model() },
             arguments: ["expand", "--model", "M", "--target-corpus", en, "--new-tokens", "5", "-o", "sub/."], mentions: ["sub/.", "names no directory entry"]),
        Case(name: "output: an existing directory without --force", setup: { scratch in
            try scratch.model()
            try scratch.write("OUT/keep.txt", "previous")
        }, arguments: expandM, mentions: ["OUT", "exists", "--force"]),
        Case(name: "output: a file where a model directory goes", setup: { scratch in
            try scratch.model()
            try scratch.write("OUT", "previous")
        }, arguments: expandM + ["--force"], mentions: ["OUT", "not a directory"]),
        Case(name: "output: train -o a directory holding other files (issue 16: a directory output gets the tokenizer files)", setup: { scratch in
            try scratch.write("t.json/notes.txt", "mine")
        }, arguments: ["train", "--vocab-size", "400", "-o", "t.json", en], status: 64, mentions: ["t.json", "holds notes.txt"]),
        Case(name: "output: train -o in a missing directory", setup: { _ in },
             arguments: ["train", "--vocab-size", "400", "-o", "missing/t.json", en], mentions: ["missing/t.json", "does not exist"]),
        Case(name: "output: --save-alignment inside the replaced output", setup: { try $0.model() },
             arguments: ["transtokenize", "--model", "M", "--target-tokenizer", Fixtures.shared.tokenizer, "--parallel", Fixtures.sample("parallel/en-de.tsv"),
                         "--save-alignment", "OUT/table.sqlite", "-o", "OUT"], status: 64, mentions: ["--save-alignment", "OUT/table.sqlite", "inside the output"]),
        Case(name: "output: held by another run (issue 13: both runs exited 0, one's counts lost)", setup: { scratch in
            try scratch.write(".c.sqlite.polytoken.lock", "")
        }, arguments: ["count", "-o", "c.sqlite", en], mentions: ["c.sqlite", "another run is writing it"]),

        // Corpora.
        Case(name: "corpus: missing", setup: { _ in }, arguments: ["count", "-o", "c.sqlite", "missing.txt"], mentions: ["missing.txt", "no such file"]),
        Case(name: "corpus: a corrupt .gz", setup: { try $0.write("corpus.gz", Data([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xFF, 0xFF, 0x00])) },
             arguments: ["count", "-o", "c.sqlite", "corpus.gz"], mentions: ["corpus.gz", "gzip"]),
        Case(name: "corpus: a target corpus that is a dangling link", setup: { scratch in
            try scratch.model()
            try FileManager.default.createSymbolicLink(atPath: scratch.path("target.txt"), withDestinationPath: "gone.txt")
        }, arguments: ["expand", "--model", "M", "--target-corpus", "target.txt", "--new-tokens", "5", "-o", "OUT"],
             mentions: ["target.txt", "symbolic link to nothing"]),
    ] }

    func testEveryHostileInputGetsAClearErrorAndLeavesNothing() throws {
        let cases = Self.cases
        XCTAssertGreaterThanOrEqual(cases.count, 60)
        // POLYTOKEN_CATALOGUE_REPORT=FILE writes a Markdown table of every case's outcome (with
        // POLYTOKEN_BINARY, of another build: how the catalogue fares on code before a fix).
        var report = ["| case | exit | first line of standard error | meets the expectations |", "|---|---|---|---|"]
        let fixturesBefore = snapshot(Fixtures.shared.directory)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("polytoken-hostile-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        for (index, hostile) in cases.enumerated() {
            let scratch = Scratch(directory: "\(base)/\(index)")
            try FileManager.default.createDirectory(atPath: scratch.directory, withIntermediateDirectories: true)
            try hostile.setup(scratch)
            let before = snapshot(scratch.directory)
            var lock: Int32 = -1
            if hostile.name.hasPrefix("output: held by another run") {
                lock = open(scratch.path(".c.sqlite.polytoken.lock"), O_RDWR)
                XCTAssertEqual(flock(lock, LOCK_EX | LOCK_NB), 0)
            }
            let result = try CommandLineRunner.run(hostile.arguments, in: scratch.directory, timeout: 120)
            if lock >= 0 { close(lock) }
            let lines = result.standardError.split(separator: "\n", omittingEmptySubsequences: true)
            let context = "\(hostile.name): status \(result.status), stderr: \(result.standardError)"
            let met = !result.timedOut && result.status == hostile.status && lines.count == 1 && (lines.first?.hasPrefix("Error: ") ?? false)
                && hostile.mentions.allSatisfy(result.standardError.contains) && snapshot(scratch.directory) == before
            let shown = String((lines.first.map(String.init) ?? "").prefix(140)).replacingOccurrences(of: "|", with: "\\|")
            report.append("| \(hostile.name) | \(result.timedOut ? "hung" : String(result.status)) | \(shown) | \(met ? "yes" : "**no**") |")
            XCTAssertFalse(result.timedOut, "hung: \(context)")
            XCTAssertEqual(result.status, hostile.status, context)
            XCTAssertEqual(lines.count, 1, "one line: \(context)")
            XCTAssertTrue(lines.first?.hasPrefix("Error: ") ?? false, context)
            for fragment in hostile.mentions {
                XCTAssertTrue(result.standardError.contains(fragment), "mentions \(fragment.debugDescription): \(context)")
            }
            XCTAssertEqual(snapshot(scratch.directory), before, "left the directory unchanged: \(context)")
        }
        XCTAssertEqual(snapshot(Fixtures.shared.directory), fixturesBefore, "the fixtures are unchanged")
        if let path = ProcessInfo.processInfo.environment["POLYTOKEN_CATALOGUE_REPORT"] {
            try Data((report.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        }
    }
}
