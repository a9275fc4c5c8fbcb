import ArgumentParser
import Foundation
import Support
import TextProcessing
import Transfer

/// Writes `message` as a line of standard error.
func warn(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
}

/// Opens the output at `path` before any work (see `AtomicOutput`), telling the user what
/// killed runs had left there.
func openOutput(_ path: String, _ kind: AtomicOutput.Kind, replacing: Bool, inputs: [String]) throws -> AtomicOutput {
    guard path != "-" else { throw ValidationError("-o -: this output is written to a file atomically, not to standard output; give a file name") }
    let output = try AtomicOutput(path, kind: kind, replacing: replacing, inputs: inputs)
    if let restored = output.restoredPrevious {
        warn("note: put back the previous \(path), which a killed run had moved to \(restored)")
    }
    for leftover in output.removedLeftovers { warn("note: removed \(leftover), left by a killed run") }
    return output
}

/// Warns about the corpus entries skipped, the documents that were not valid UTF-8 and the records skipped.
func warn(about summary: CorpusReader.Summary) {
    for entry in summary.skipped { warn("warning: \(entry)") }
    for problem in summary.invalid.prefix(shownProblems) { warn("warning: \(problem)") }
    if summary.invalid.count > shownProblems {
        warn("warning: \(summary.invalid.count - shownProblems) more documents with invalid UTF-8 (\(summary.invalid[0].action == .skip ? "skipped" : "replaced"))")
    }
    for record in summary.badRecords { warn("warning: \(record)") }
    if summary.badRecordCount > summary.badRecords.count {
        warn("warning: \(summary.badRecordCount - summary.badRecords.count) more records skipped")
    }
}

/// How many invalid documents ``warn(about:)`` names before counting the rest.
let shownProblems = 10

/// Throws a usage error unless `value` (the value of `option`) lies in `range`.
func require<T: Comparable & CustomStringConvertible>(_ value: T?, in range: ClosedRange<T>, _ option: String) throws {
    guard let value else { return }
    guard range.contains(value) else {
        throw ValidationError("\(option) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
    }
}

/// Throws a usage error unless `value` (the value of `option`) is at least `minimum`.
func require<T: Comparable & CustomStringConvertible>(_ value: T?, atLeast minimum: T, _ option: String) throws {
    guard let value else { return }
    guard value >= minimum else { throw ValidationError("\(option) must be at least \(minimum), not \(value)") }
}

/// The most threads a command starts.
let maximumThreads = 1024
