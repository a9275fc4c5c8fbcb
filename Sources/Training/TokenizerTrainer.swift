import Support
import TextProcessing
import Tokenization

/// Trains a complete tokenizer of a preset family: counts words with the family's
/// pipeline, trains BPE on them, and assembles the `tokenizer.json` with the family's
/// post-processor, decoder and model options.
public struct TokenizerTrainer: Sendable {
    /// The family.
    public let preset: TrainingPreset
    /// The BPE training options. Byte-level families get the 256 byte characters as
    /// initial alphabet; the SentencePiece family gets `<0x00>`…`<0xFF>` right after the special tokens.
    public let configuration: BPETrainer.Configuration
    /// The special tokens (the family's defaults unless given).
    public let specialTokens: [String]

    public init(preset: TrainingPreset, configuration: BPETrainer.Configuration) {
        self.preset = preset
        specialTokens = configuration.specialTokens.isEmpty ? preset.defaultSpecialTokens : configuration.specialTokens
        var configuration = configuration
        configuration.specialTokens = specialTokens
        if preset.isByteLevel {
            configuration.initialAlphabet += ByteLevelAlphabet.characters.map { Unicode.Scalar($0)! }
        } else {
            configuration.specialTokens += (0...255).map { BPEModel.byteTokenName(UInt8($0)) }
        }
        self.configuration = configuration
    }

    /// A word counter with the family's pipeline.
    public func wordCounter(threads: Int? = nil) throws -> WordCounter {
        WordCounter(pipeline: try preset.pipeline(), threads: threads)
    }

    /// Checks, before any work, that the vocabulary can hold what it must.
    public func validate() throws {
        let minimum = Set(configuration.specialTokens).count + (preset.isByteLevel ? 256 : 0)
        if configuration.vocabularySize < minimum {
            throw TrainingError.vocabularyTooSmall(requested: configuration.vocabularySize, minimum: minimum)
        }
    }

    /// Trains on word counts made by ``wordCounter(threads:)`` (or loaded from a store).
    /// `progress` is called with the number of merges done so far; an error it throws stops training.
    public func train(_ words: WordCounts, progress: ((Int) throws -> Void)? = nil) throws -> Tokenizer {
        try validate()
        let result = try BPETrainer(configuration).train(words, progress: progress)
        let byteFallback = !preset.isByteLevel
        let model = try BPEModel(
            vocabulary: result.vocabulary, merges: result.merges,
            unknownToken: byteFallback ? "<unk>" : nil,
            continuingSubwordPrefix: configuration.continuingSubwordPrefix,
            endOfWordSuffix: configuration.endOfWordSuffix,
            fuseUnknown: byteFallback, byteFallback: byteFallback, ignoreMerges: preset == .llama3)
        var document = try preset.document()
        if let begin = preset.beginningOfText, let id = model.vocabulary.id(for: begin), case .object(var members) = document {
            let template = TemplateProcessing.surrounding(begin: (begin, id), end: nil).json
            let index = members.firstIndex { $0.key == "post_processor" }!
            if preset == .llama3 {
                let byteLevel = JSONValue.object([JSONMember("type", .string("ByteLevel")), JSONMember("add_prefix_space", .bool(true)),
                                                  JSONMember("trim_offsets", .bool(false)), JSONMember("use_regex", .bool(true))])
                members[index].value = .object([JSONMember("type", .string("Sequence")), JSONMember("processors", .array([byteLevel, template]))])
            } else {
                members[index].value = template
            }
            document = .object(members)
        }
        let root = JSONNode(document, path: "preset \(preset.rawValue):")
        return try Tokenizer(
            model: model,
            addedTokens: specialTokens.map { AddedToken($0, special: true) },
            pipeline: try TextPipeline(tokenizerJSON: root),
            postProcessor: try root.optionalMember("post_processor").map(ComponentDecoding.postProcessor),
            decoder: try root.optionalMember("decoder").map(ComponentDecoding.decoder),
            document: document)
    }
}
