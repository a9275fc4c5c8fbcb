import Foundation

extension TokenizerComparison {
    /// The comparison as a table for a terminal: a line per tokenizer and language, then a line
    /// per tokenizer with the vocabulary it never produced.
    public var table: String {
        let nameWidth = max(9, subjects.map(\.name.count).max() ?? 0)
        let languageWidth = max(8, languages.map(\.count).max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
        var lines = [pad("tokenizer", nameWidth) + " " + pad("language", languageWidth)
                     + "     tokens  tok/byte  tok/word  split3+ %  parity   unk %  bytefb %  vocab used %  longest"]
        for (subject, row) in zip(subjects, cells) {
            for (language, cell) in zip(languages, row) {
                let s = cell.statistics
                let usage = subject.vocabularySize == 0 ? 0 : Double(s.idCounts.count) / Double(subject.vocabularySize)
                let parity = cell.parity.map { String(format: "%6.2f", $0) } ?? "     -"
                let longest = cell.longestTokens.first.map { "\"\(Self.shown($0.text))\"" } ?? ""
                lines.append(pad(subject.name, nameWidth) + " " + pad(language, languageWidth) + String(
                    format: " %10d %9.3f %9.2f %10.2f  %@ %7.3f %9.3f %13.2f  ", s.tokens, s.tokensPerByte, s.tokensPerWord,
                    100 * s.splitWordRate, parity, 100 * s.unknownRate, 100 * s.byteFallbackRate, 100 * usage) + longest)
            }
        }
        for subject in subjects {
            let share = subject.vocabularySize == 0 ? 0 : 100 * Double(subject.neverProduced.count) / Double(subject.vocabularySize)
            lines.append("\(subject.name): \(subject.neverProduced.count) of \(subject.vocabularySize) ids (\(String(format: "%.1f", share)) %) never produced on these texts")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A token's text for a terminal: control characters escaped, at most 24 characters.
    private static func shown(_ text: String) -> String {
        var shown = ""
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index == 24 { return shown + "…" }
            shown += scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return shown
    }
}
