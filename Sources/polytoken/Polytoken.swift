import ArgumentParser

/// The `polytoken` command line.
@main
struct Polytoken: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "polytoken",
        abstract: "Tokenizer building and vocabulary transfer, exactly compatible with Hugging Face tokenizers.",
        subcommands: [PreTokenizeCommand.self, NormalizeCommand.self, EncodeCommand.self, TrainCommand.self, DecodeCommand.self, StatsCommand.self, CountCommand.self, ExpandCommand.self, TransferCommand.self, TransMICommand.self, AlignCommand.self, TransTokenizeCommand.self])
}
