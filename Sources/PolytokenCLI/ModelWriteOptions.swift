import ArgumentParser
import Support
import Tokenization
import Transfer

extension MergesFormat: ExpressibleByArgument {}

/// The options shared by the commands that write a model directory: which source tensors to
/// resize when the architecture is not recognized, the output's special tokens and merges
/// format, and whether to replace the output.
struct ModelWriteOptions: ParsableArguments {
    /// `ROLE=TOKEN` or `ROLE=none`.
    struct SpecialTokenAssignment: ExpressibleByArgument {
        let role: SpecialTokens.Role
        let token: String?

        init?(argument: String) {
            guard let equals = argument.firstIndex(of: "="), let role = SpecialTokens.Role(rawValue: String(argument[..<equals])) else { return nil }
            self.role = role
            let token = String(argument[argument.index(after: equals)...])
            guard !token.isEmpty else { return nil }
            self.token = token == "none" ? nil : token
        }
    }

    @Option(help: "The source's input embedding tensor, for architectures Polytoken does not recognize.")
    var embeddingTensor: String?

    @Option(help: "The source's output head tensor, for architectures Polytoken does not recognize.")
    var headTensor: String?

    @Option(name: .customLong("special-token-map"),
            help: "ROLE=TOKEN: the output's token for a role (bos, eos, unk, pad, cls, sep, mask) instead of the source's, or ROLE=none; repeat for several. Needed when the new vocabulary lacks a source special token, or the source's files disagree.")
    var specialTokenMap: [SpecialTokenAssignment] = []

    @Flag(help: "Add the source's special tokens that a replacing vocabulary lacks, after its last id, their rows copied from the source (instead of refusing); a missing unk becomes the new model's unknown token.")
    var addMissingSpecialTokens = false

    @Option(help: "How tokenizer.json writes merges: pairs (read by tokenizers 0.20 and later) or strings (read by every version). Default: the source's when the tokenizer is extended, the new tokenizer's when it is replaced.")
    var mergesFormat: MergesFormat?

    @Flag(help: "Replace the output directory if it exists (atomically: it holds the previous model until the new one is complete).")
    var force = false

    /// `transform` reading the source tensors these options name.
    func configured(_ transform: ModelTransform) -> ModelTransform {
        var transform = transform
        transform.source.inputTensor = embeddingTensor
        transform.source.headTensor = headTensor
        transform.specialTokenMap = Dictionary(specialTokenMap.map { ($0.role, $0.token) }, uniquingKeysWith: { $1 })
        transform.mergesFormat = mergesFormat
        transform.addsMissingSpecialTokens = addMissingSpecialTokens
        return transform
    }

    /// Opens the output model directory `path`, which must not be, or hold, any of `inputs`.
    func open(_ path: String, inputs: [String]) throws -> AtomicOutput {
        try openOutput(path, .directory, replacing: force, inputs: inputs)
    }
}
