import ArgumentParser
import Foundation
import Support
import Transfer

/// `polytoken transfer`: gives a model the tokenizer of a helper model (CLP-Transfer, replacement mode).
struct TransferCommand: SummarizingCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Give a model a helper model's tokenizer, initializing the embeddings by CLP-Transfer or OMP.",
        discussion: """
            Helper tokens the source also has copy its row; the others get a combination of the shared tokens' \
            source rows: CLP's, weighted by similarity in the helper's embedding space, or OMP's, the sparse \
            least-squares approximation of the token's helper row by shared tokens' helper rows (tokensurgeon). \
            A row that fails (similarities summing to nearly zero) or is refused by the row check (non-finite, or \
            longer than any source row) is a seeded normal draw instead. The output holds the helper's tokenizer \
            files, the source's other files and weights, and provenance.sqlite.

            Examples:
              polytoken transfer --model llama2/ --helper-model de-helper/ --method clp -o llama2-de/
            """)

    @Option(help: "The method: clp or omp.")
    var method: String = "clp"

    @Option(help: "The source model directory.")
    var model: String?

    @OptionGroup var clp: CLPOptions

    @Option(parsing: .unconditional, help: "Seed of the rows drawn at random.")
    var seed: UInt64 = 0

    @OptionGroup var modelWrite: ModelWriteOptions

    @Option(help: "Instead of transferring, time the similarity product (double precision, as CLP computes it) on random T×D and A×D matrices, given as T,A,D; print GFLOP/s.")
    var benchmarkSimilarity: String?

    @Option(name: .shortAndLong, help: "The output model directory.")
    var output: String?

    func run() throws {
        if let benchmarkSimilarity { return try measure(benchmarkSimilarity) }
        let summary = try summary()
        for line in summary.lines { print(line) }
    }

    func summary() throws -> CommandSummary {
        if benchmarkSimilarity != nil { throw ValidationError("--benchmark-similarity prints a measurement, not a summary") }
        let combination = try clp.combination(method, defaultWeights: "ratio")
        guard let model, let output, let helper = clp.helperModel else {
            throw ValidationError("--model, --helper-model and --output are required")
        }
        let destination = try modelWrite.open(output, inputs: [model, helper])
        var transform = modelWrite.configured(.helperTransfer(directory: model, helper: try clp.helper()!, combination: combination))
        transform.seed = seed
        let progress = Progress()
        let report = try transform.run(into: destination) { progress.stage($0) }
        progress.finish()
        var summary = CommandSummary(report: report, output: output)
        summary.lines.insert("\(report.rows) rows: \(report.methods[.copy] ?? 0) copied, \(report.methods[combination.method] ?? 0) by \(combination.method.label.uppercased()), \(report.methods[.random] ?? 0) random -> \(output)", at: 0)
        return summary
    }

    private func measure(_ shape: String) throws {
        let sizes = shape.split(separator: ",").compactMap { Int($0) }
        guard sizes.count == 3 else { throw ValidationError("--benchmark-similarity takes T,A,D") }
        let result = try CLPTransfer.measureSimilarity(targets: sizes[0], anchors: sizes[1], width: sizes[2])
        print(String(format: "similarity %d x %d over %d: %.3f s, %.1f GFLOP/s (%d threads)", sizes[0], sizes[1], sizes[2], result.seconds,
                     result.gigaflops, result.threads))
    }
}
