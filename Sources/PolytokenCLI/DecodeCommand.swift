import ArgumentParser
import Foundation
import Support
import TextProcessing
import Tokenization

/// `polytoken decode`: one line of text per input line of space-separated ids.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode ids with a tokenizer.json: each input line of space-separated ids becomes one line of text.",
        discussion: """
            Examples:
              polytoken encode --tokenizer tokenizer.json de.txt | polytoken decode --tokenizer tokenizer.json
            """)

    @Option(help: "The tokenizer.json to decode with.")
    var tokenizer: String

    @Flag(help: "Leave out special tokens (such as <s>), as Python's decode does by default.")
    var skipSpecialTokens = false

    @Flag(help: "Write each text as a JSON string (exact, whatever it contains) instead of raw text with newlines written as \\n.")
    var json = false

    @Argument(help: "Files of ids, one sequence per line; '-' (default) for standard input.")
    var paths: [String] = ["-"]

    func run() throws {
        let tokenizer = try Tokenizer(contentsOf: self.tokenizer)
        var out: [UInt8] = []
        try CorpusReader(paths: paths, mode: .line).forEachDocument { line, location in
            var ids: [TokenID] = []
            for field in line.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }) {
                guard let id = TokenID(field), tokenizer.token(for: id) != nil else {
                    throw ValidationError("\(location): \(field.debugDescription) is not an id of \(self.tokenizer)")
                }
                ids.append(id)
            }
            let text = tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens)
            if json {
                JSONWriter.appendString(text, to: &out)
            } else {
                out.append(contentsOf: text.replacingOccurrences(of: "\n", with: "\\n").utf8)
            }
            out.append(0x0A)
            if out.count > 1 << 20 {
                FileHandle.standardOutput.write(Data(out))
                out.removeAll(keepingCapacity: true)
            }
        }
        FileHandle.standardOutput.write(Data(out))
    }
}
