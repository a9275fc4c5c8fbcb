import Foundation
import Support
import Tensors
import TextProcessing
import Tokenization

/// Writes a model directory derived from a source one: the source's weights with some
/// vocabulary tensors replaced (the others copied from the files in chunks), `config.json` and
/// `generation_config.json` with updated sizes and special-token ids (remapped by token string),
/// the new tokenizer's files, the provenance database, and every other file of the source
/// copied. Everything goes to the temporary directory of an `AtomicOutput`, checked by
/// ``ModelDirectoryInspection``, and moved into place only when complete and consistent; on
/// failure nothing is left behind.
struct ModelDirectoryWriter {
    /// The tokenizer files' content.
    struct TokenizerFiles {
        /// The source's vocabulary and the output's.
        let source: VocabularyListing, target: VocabularyListing
        /// The output's special tokens.
        let specialTokens: SpecialTokens
        /// The merges format to write, nil to keep what `tokenizer.json` has.
        let mergesFormat: MergesFormat?
        /// Whether the user asked for ``mergesFormat``: otherwise (the source's format kept)
        /// merges that `"a b"` strings cannot hold stay pairs.
        let mergesFormatAsked: Bool
    }

    let source: String
    let checkpoint: Checkpoint
    let config: JSONValue
    let tokenizer: TokenizerFiles

    /// Writes the output into `output` and commits it. `configSizes` are set in `config.json`
    /// (replaced where present, appended otherwise); `writeExtras` writes the new `tokenizer.json`
    /// and the initializers' files into the temporary directory it is given; the other tokenizer
    /// files are written here.
    func write(to output: AtomicOutput, replacements: [String: RebuiltTensor], configSizes: [(key: String, value: Int)],
               provenance: [ProvenanceStore.Record], settings: [(key: String, value: String)],
               progress: (String) -> Void, writeExtras: (String) throws -> Void) throws {
        let fileManager = FileManager.default
        let temporary = output.temporaryPath
        func path(_ name: String) -> String { (temporary as NSString).appendingPathComponent(name) }
        do {
            for name in try fileManager.contentsOfDirectory(atPath: source).sorted() {
                let from = (source as NSString).appendingPathComponent(name)
                guard FileStatus(path: from)?.kind == .regular, !AtomicOutput.isBookkeeping(name), !name.hasSuffix(".safetensors"),
                      !ModelFiles.tokenizerFiles.contains(name),
                      ![ModelFiles.config, ModelFiles.generationConfig, ModelFiles.weightsIndex, ModelFiles.provenance].contains(name) else { continue }
                try fileManager.copyItem(atPath: from, toPath: path(name))
            }
            var totalSize = 0
            for file in checkpoint.files {
                let name = (file.path as NSString).lastPathComponent
                progress("writing \(name)")
                let entries = file.tensors.map { tensor -> SafetensorsWriter.Entry in
                    if let replacement = replacements[tensor.name] {
                        return SafetensorsWriter.Entry(name: tensor.name, dtype: tensor.dtype, shape: replacement.shape,
                                                       content: .parts(replacement.writerParts))
                    }
                    return SafetensorsWriter.Entry(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, content: .tensor(file, tensor))
                }
                try withExtendedLifetime(replacements) { try SafetensorsWriter.write(entries, metadata: file.metadata, to: path(name)) }
                totalSize += entries.reduce(0) { $0 + ($1.dtype.byteCount(shape: $1.shape) ?? 0) }
            }
            if checkpoint.isSharded {
                try writeIndex(from: (source as NSString).appendingPathComponent(ModelFiles.weightsIndex),
                               to: path(ModelFiles.weightsIndex), totalSize: totalSize)
            }
            try writeConfig(sizes: configSizes, to: path(ModelFiles.config))
            try writeExtras(temporary)
            try writeTokenizerFiles(into: temporary, progress: progress)
            try ProvenanceStore.write(provenance, settings: settings, to: path(ModelFiles.provenance))
            progress("checking the output")
            let problems = try ModelDirectoryInspection(path: temporary).problems
            if !problems.isEmpty { throw TransferError.inconsistentOutput(problems) }
        } catch {
            output.abandon()
            throw error
        }
        try output.commit()
    }

    /// `generation_config.json` with remapped ids, `tokenizer_config.json` and
    /// `special_tokens_map.json` for the new tokenizer, and its merges in the format asked.
    private func writeTokenizerFiles(into directory: String, progress: (String) -> Void) throws {
        let generation = PathName.join(source, ModelFiles.generationConfig)
        if FileManager.default.fileExists(atPath: generation) {
            let remapped = try tokenizer.specialTokens.remapped(try JSONValue.parse(contentsOf: generation), path: generation,
                                                                from: tokenizer.source, to: tokenizer.target)
            try JSONWriter.writePretty(remapped, toFile: PathName.join(directory, ModelFiles.generationConfig))
        }
        let baseConfig = PathName.join(source, ModelFiles.tokenizerConfig)
        let base = FileManager.default.fileExists(atPath: baseConfig) ? try JSONValue.parse(contentsOf: baseConfig) : nil
        try JSONWriter.writePretty(tokenizer.specialTokens.tokenizerConfig(for: tokenizer.target, base: base),
                                   toFile: PathName.join(directory, ModelFiles.tokenizerConfig))
        try JSONWriter.writePretty(tokenizer.specialTokens.specialTokensMap(for: tokenizer.target), toFile: PathName.join(directory, ModelFiles.specialTokensMap))
        let tokenizerPath = PathName.join(directory, ModelFiles.tokenizer)
        if let format = tokenizer.mergesFormat {
            let document = try JSONValue.parse(contentsOf: tokenizerPath)
            if let current = MergesFormat(of: document), current != format {
                do {
                    try JSONWriter.writePretty(try format.apply(to: document, path: tokenizerPath), toFile: tokenizerPath)
                } catch let error as ConfigurationError where !tokenizer.mergesFormatAsked {
                    progress("keeping the merges as pairs: \(error.message)")
                }
            }
        }
    }

    private func writeConfig(sizes: [(key: String, value: Int)], to path: String) throws {
        let configPath = PathName.join(source, ModelFiles.config)
        guard case .object(var members) = try tokenizer.specialTokens.remapped(config, path: configPath, from: tokenizer.source, to: tokenizer.target) else {
            throw TransferError.notAnObject(path: configPath)
        }
        for (key, value) in sizes { members.set(key, .number(Double(value))) }
        try JSONWriter.writePretty(.object(members), toFile: path)
    }

    private func writeIndex(from source: String, to path: String, totalSize: Int) throws {
        guard case .object(var members) = try JSONValue.parse(contentsOf: source) else {
            throw TransferError.notAnObject(path: source)
        }
        if let index = members.firstIndex(where: { $0.key == "metadata" }), case .object(var metadata) = members[index].value {
            if let total = metadata.firstIndex(where: { $0.key == "total_size" }) { metadata[total].value = .number(Double(totalSize)) }
            members[index].value = .object(metadata)
        }
        try JSONWriter.writePretty(.object(members), toFile: path)
    }
}
