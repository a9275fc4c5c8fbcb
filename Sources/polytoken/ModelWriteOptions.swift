import ArgumentParser
import Support
import Transfer

/// The options shared by the commands that write a model directory: which source tensors to
/// resize when the architecture is not recognized, and whether to replace the output.
struct ModelWriteOptions: ParsableArguments {
    @Option(help: "The source's input embedding tensor, for architectures Polytoken does not recognize.")
    var embeddingTensor: String?

    @Option(help: "The source's output head tensor, for architectures Polytoken does not recognize.")
    var headTensor: String?

    @Flag(help: "Replace the output directory if it exists (atomically: it holds the previous model until the new one is complete).")
    var force = false

    /// `transform` reading the source tensors these options name.
    func configured(_ transform: ModelTransform) -> ModelTransform {
        var transform = transform
        transform.source.inputTensor = embeddingTensor
        transform.source.headTensor = headTensor
        return transform
    }

    /// Opens the output model directory `path`, which must not be, or hold, any of `inputs`.
    func open(_ path: String, inputs: [String]) throws -> AtomicOutput {
        try openOutput(path, .directory, replacing: force, inputs: inputs)
    }
}
