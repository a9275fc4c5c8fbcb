import ArgumentParser
import Support
import Transfer

/// What a command that writes a tokenizer, a word-count store or a model reports: lines for the
/// terminal and the same facts as JSON fields for programs (`Polytoken.run(arguments:)`).
struct CommandSummary {
    /// The JSON fields, in order.
    var fields: [JSONMember] = []
    /// The lines the command line prints.
    var lines: [String] = []
    /// The lines the command line prints on standard error instead.
    var notes: [String] = []

    /// The summary as one JSON object.
    var json: JSONValue { .object(fields) }

    /// Adds a field.
    mutating func add(_ key: String, _ value: JSONValue) { fields.append(JSONMember(key, value)) }

    /// Adds an integer field.
    mutating func add(_ key: String, _ value: Int) { add(key, .number(Double(value))) }

    /// The fields every model transform reports: rows, rows made per method, the vocabulary
    /// change's counts, the tensors rebuilt and the rows the row check refused; and the line
    /// naming the refused rows, when there are any.
    init(report: ModelTransform.Report, output: String) {
        func labelled(_ methods: [RowProvenance.Method: Int]) -> JSONValue {
            .object(methods.map { ($0.key.label, $0.value) }.sorted { $0.0 < $1.0 }.map { JSONMember($0.0, .number(Double($0.1))) })
        }
        add("output", .string(output))
        add("source_rows", report.sourceRows)
        add("rows", report.rows)
        add("initialized", report.initialized)
        add("methods", labelled(report.methods))
        add("rejected", labelled(report.rejected))
        add("counts", .object(report.counts.sorted { $0.key < $1.key }.map { JSONMember($0.key, .number(Double($0.value))) }))
        add("tensors", .array(report.tensors.map { .string($0) }))
        if !report.rejected.isEmpty {
            let methods = report.rejected.map { "\($0.key.label) \($0.value)" }.sorted().joined(separator: ", ")
            lines.append("rows refused by the row check (non-finite, weights not summing to 1, longer than any source row, "
                         + "or mostly a copy of a token of the protected text), "
                         + "made again by the next method: \(methods); see the rejections table of provenance.sqlite")
        }
    }

    init() {}
}

/// A command whose result is files it writes and a ``CommandSummary`` of them.
protocol SummarizingCommand: ParsableCommand {
    /// Does the work and returns its summary.
    func summary() throws -> CommandSummary
}

extension SummarizingCommand {
    func run() throws {
        let summary = try summary()
        for line in summary.lines { print(line) }
        for note in summary.notes { warn(note) }
    }
}
