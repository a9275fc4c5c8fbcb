import ArgumentParser

/// The options shared by the commands that write a model directory: which source tensors to
/// resize when the architecture is not recognized, and whether to replace the output.
struct ModelWriteOptions: ParsableArguments {
    @Option(help: "The source's input embedding tensor, for architectures Polytoken does not recognize.")
    var embeddingTensor: String?

    @Option(help: "The source's output head tensor, for architectures Polytoken does not recognize.")
    var headTensor: String?

    @Flag(help: "Replace the output directory if it exists.")
    var force = false
}
