import Foundation
import Support
import TextProcessing
import Tokenization

/// The tokenizer families Polytoken trains like: their normalizer, pre-tokenizer,
/// post-processor, decoder and model options, as their published `tokenizer.json` files set them.
public enum TrainingPreset: String, Sendable, CaseIterable {
    /// GPT-2: byte-level BPE with the GPT-2 pattern; `<|endoftext|>`.
    case gpt2
    /// Llama-3: the Llama-3 pattern, byte-level, `ignore_merges`, `<|begin_of_text|>` before every text.
    case llama3
    /// Qwen2: NFC, the Qwen2 pattern (single digits), byte-level; `<|endoftext|>`.
    case qwen2
    /// SentencePiece-style (Llama-2, Mistral): `▁` for spaces, character-level with byte
    /// fallback through `<0x00>`…`<0xFF>`, `<unk>` fused, `<s>` before every text.
    case sentencepiece

    /// Whether the alphabet is the 256 byte characters (byte-level BPE).
    public var isByteLevel: Bool { self != .sentencepiece }

    /// The special tokens a tokenizer of this family starts with.
    public var defaultSpecialTokens: [String] {
        switch self {
        case .gpt2, .qwen2: return ["<|endoftext|>"]
        case .llama3: return ["<|begin_of_text|>", "<|end_of_text|>"]
        case .sentencepiece: return ["<unk>", "<s>", "</s>"]
        }
    }

    /// The token placed before every text by the post-processor, if any.
    public var beginningOfText: String? {
        switch self {
        case .llama3: return "<|begin_of_text|>"
        case .sentencepiece: return "<s>"
        case .gpt2, .qwen2: return nil
        }
    }

    /// The special token of each role, as the family's published `tokenizer_config.json` names them.
    public var specialTokenRoles: [SpecialTokens.Role: String] {
        switch self {
        case .gpt2: return [.bos: "<|endoftext|>", .eos: "<|endoftext|>", .unk: "<|endoftext|>"]
        case .llama3: return [.bos: "<|begin_of_text|>", .eos: "<|end_of_text|>"]
        case .qwen2: return [.eos: "<|endoftext|>", .pad: "<|endoftext|>"]
        case .sentencepiece: return [.bos: "<s>", .eos: "</s>", .unk: "<unk>"]
        }
    }

    /// The family's other `tokenizer_config.json` settings (`model_max_length`, `clean_up_tokenization_spaces`).
    public var tokenizerSettings: [JSONMember] {
        switch self {
        case .gpt2: return [JSONMember("model_max_length", .number(1024)), JSONMember("clean_up_tokenization_spaces", .bool(false))]
        case .llama3: return [JSONMember("model_max_length", .number(131_072)), JSONMember("clean_up_tokenization_spaces", .bool(true)),
                              JSONMember("model_input_names", .array([.string("input_ids"), .string("attention_mask")]))]
        case .qwen2: return [JSONMember("model_max_length", .number(131_072)), JSONMember("clean_up_tokenization_spaces", .bool(false))]
        case .sentencepiece: return [JSONMember("clean_up_tokenization_spaces", .bool(false))]
        }
    }

    /// The text pipeline (normalizer and pre-tokenizer) of this family.
    public func pipeline() throws -> TextPipeline {
        try TextPipeline(tokenizerJSON: JSONNode(try document(), path: "preset \(rawValue):"))
    }

    /// The components of this family as `tokenizer.json` JSON text.
    var componentJSON: (normalizer: String, preTokenizer: String, postProcessor: String, decoder: String) {
        switch self {
        case .gpt2:
            return (normalizer: "null", preTokenizer: "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": true}",
                    postProcessor: "{\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": false, \"use_regex\": true}", decoder: "{\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": true, \"use_regex\": true}")
        case .llama3:
            return (normalizer: "null", preTokenizer: "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Split\", \"pattern\": {\"Regex\": \"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+|\\\\p{N}{1,3}| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+|\\\\s+(?!\\\\S)|\\\\s+\"}, \"behavior\": \"Isolated\", \"invert\": false}, {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": false}]}",
                    postProcessor: "null", decoder: "{\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": true, \"use_regex\": true}")
        case .qwen2:
            return (normalizer: "{\"type\": \"NFC\"}", preTokenizer: "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Split\", \"pattern\": {\"Regex\": \"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+|\\\\p{N}| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+|\\\\s+(?!\\\\S)|\\\\s+\"}, \"behavior\": \"Isolated\", \"invert\": false}, {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": false, \"use_regex\": false}]}",
                    postProcessor: "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": false, \"use_regex\": false}", decoder: "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": false, \"use_regex\": false}")
        case .sentencepiece:
            return (normalizer: "null", preTokenizer: "{\"type\": \"Metaspace\", \"replacement\": \"▁\", \"prepend_scheme\": \"first\", \"split\": true}",
                    postProcessor: "null", decoder: "{\"type\": \"Sequence\", \"decoders\": [{\"type\": \"Replace\", \"pattern\": {\"String\": \"▁\"}, \"content\": \" \"}, {\"type\": \"ByteFallback\"}, {\"type\": \"Fuse\"}, {\"type\": \"Strip\", \"content\": \" \", \"start\": 1, \"stop\": 0}]}")
        }
    }

    /// A `tokenizer.json` document with this family's components and no model.
    func document() throws -> JSONValue {
        let parts = componentJSON
        func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8), source: "preset \(rawValue)") }
        return .object([
            JSONMember("version", .string("1.0")),
            JSONMember("truncation", .null),
            JSONMember("padding", .null),
            JSONMember("normalizer", try parse(parts.normalizer)),
            JSONMember("pre_tokenizer", try parse(parts.preTokenizer)),
            JSONMember("post_processor", try parse(parts.postProcessor)),
            JSONMember("decoder", try parse(parts.decoder)),
        ])
    }
}
