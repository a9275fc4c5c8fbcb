import Foundation

extension TokenizerComparison {
    /// The comparison as one self-contained HTML page headed `title`: a summary of the
    /// tokenizers, tokens per word as bars, parity as a heat map (when parallel text was
    /// measured), vocabulary-use curves and a table of every number. Inline CSS and SVG only,
    /// no script and nothing fetched; the same comparison always gives the same bytes.
    public func html(title: String) -> String {
        var page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(Markup.escape(title))</title>
        <style>\(Self.style)</style>
        </head>
        <body>
        <h1>\(Markup.escape(title))</h1>

        """
        page += summarySection()
        page += fertilitySection()
        if cells.contains(where: { $0.contains { $0.parity != nil } }) { page += paritySection() }
        page += vocabularySection()
        page += numbersSection()
        return page + "</body>\n</html>\n"
    }

    private static let style = """

        body { font: 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
               color: #222; background: #fafafa; max-width: 1000px; margin: 0 auto; padding: 24px 20px 48px; }
        h1 { font-size: 26px; font-weight: 600; margin: 0 0 6px; }
        h2 { font-size: 19px; font-weight: 600; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #e2e2e2; }
        p { margin: 6px 0; }
        .note { color: #666; font-size: 13px; }
        table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
        th, td { padding: 4px 6px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
        thead th { background: #eef1f5; font-weight: 600; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        td.num { white-space: nowrap; }
        tr.group th { background: #f6f6f8; font-size: 14px; padding-top: 10px; }
        td.name { white-space: nowrap; }
        td.tokens { min-width: 270px; }
        code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; background: #f2f2f2;
               border-radius: 3px; padding: 0 3px; margin-right: 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
        .legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; margin: 6px 0; }
        .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
        .stroke { display: inline-block; width: 22px; height: 0; border-top-width: 3px; margin-right: 6px; vertical-align: 3px; }
        figure { margin: 8px 0; }
        figcaption { font-weight: 600; font-size: 13px; margin: 2px 0; }
        figcaption.caption { font-weight: 400; color: #666; }
        .multiples { display: flex; flex-wrap: wrap; gap: 12px; }
        svg { display: block; max-width: 100%; height: auto; background: #fff; border: 1px solid #eaeaea; border-radius: 4px; }
        svg text { font-size: 11px; fill: #444; }
        svg .axis-title { font-size: 12px; fill: #555; }
        svg .grid { stroke: #ececec; }
        svg .axis { stroke: #999; }
        svg .empty { fill: #f4f4f4; }

        """

    /// The colours of the tokenizers, and of the languages in the vocabulary-use curves, cycled.
    private static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f"]

    private static func colour(_ index: Int) -> String { palette[index % palette.count] }

    /// A line style per index: solid for the first round of the palette, then dashed, then dotted.
    private static func lineStyle(_ index: Int) -> String { ["solid", "dashed", "dotted"][index / palette.count % 3] }

    /// The SVG dash pattern of ``lineStyle(_:)``.
    private static func dashes(_ index: Int) -> String { ["none", "6 3", "2 3"][index / palette.count % 3] }

    /// A legend of `entries`: a label and the markup of the key before it.
    private static func legend(_ entries: [(key: String, label: String)]) -> String {
        "<p class=\"legend\">" + entries.map { "<span>\($0.key)\(Markup.escape($0.label))</span>" }.joined() + "</p>\n"
    }

    private static func tokenizerKey(_ index: Int) -> String {
        "<span class=\"swatch\" style=\"background: \(colour(index))\"></span>"
    }

    /// `value` with a comma between groups of three digits.
    private static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return (value < 0 ? "-" : "") + result
    }

    /// `text` as quoted code, its backslashes doubled so that escaped control characters stand out.
    private static func quoted(_ text: String, title: String) -> String {
        let visible = text.replacingOccurrences(of: "\\", with: "\\\\")
        return "<code title=\"\(Markup.escape(title))\">\"\(Markup.escape(visible))\"</code>"
    }

    private func summarySection() -> String {
        var section = "<p class=\"note\">\(languages.count) language\(languages.count == 1 ? "" : "s"): "
            + Markup.escape(languages.joined(separator: ", "))
            + (referenceLanguage.map { "; parity against " + Markup.escape($0) } ?? "") + ".</p>\n"
        section += """
            <h2>Tokenizers</h2>
            <table>
            <thead><tr><th>Tokenizer</th><th class="num">Vocabulary</th><th class="num">Never produced</th><th>Some of them</th></tr></thead>
            <tbody>

            """
        for (index, subject) in subjects.enumerated() {
            let share = subject.vocabularySize == 0 ? 0 : 100 * Double(subject.neverProduced.count) / Double(subject.vocabularySize)
            let examples = subject.neverProducedExamples.prefix(8).map { Self.quoted($0, title: "never produced") }.joined()
            section += "<tr><td class=\"name\">\(Self.tokenizerKey(index))\(Markup.escape(subject.name))</td>"
                + "<td class=\"num\">\(Self.grouped(subject.vocabularySize))</td>"
                + "<td class=\"num\">\(Self.grouped(subject.neverProduced.count)) (\(Markup.number(share, 1)) %)</td>"
                + "<td>\(examples)</td></tr>\n"
        }
        return section + "</tbody>\n</table>\n"
    }

    private func fertilitySection() -> String {
        let (left, right, top, bottom) = (60.0, 944.0, 16.0, 284.0)
        var chart = SVGImage(width: 960, height: 320)
        let maximum = cells.flatMap { $0.map(\.statistics.tokensPerWord) }.max() ?? 0
        let ticks = LinearScale.ticks(upTo: maximum)
        let y = LinearScale(domain: (0, ticks.values.last ?? 1), pixels: (bottom, top))
        chart.verticalAxis(ticks: ticks.values, scale: y, left: left, right: right,
                           label: { Markup.number($0, ticks.decimals) }, title: "tokens per word")
        let group = (right - left) / Double(max(1, languages.count))
        let bar = group * 0.8 / Double(max(1, subjects.count))
        for (column, language) in languages.enumerated() {
            let start = left + Double(column) * group + group * 0.1
            for (row, subject) in subjects.enumerated() {
                let value = cells[row][column].statistics.tokensPerWord
                chart.add("rect", ["class": "bar", "data-tokenizer": subject.name, "data-language": language,
                                   "data-value": Markup.number(value, 4), "fill": Self.colour(row),
                                   "x": SVGImage.pixels(start + Double(row) * bar), "y": SVGImage.pixels(y(value)),
                                   "width": SVGImage.pixels(max(1, bar - 1)), "height": SVGImage.pixels(bottom - y(value))],
                          title: "\(subject.name), \(language): \(Markup.number(value, 2)) tokens per word")
            }
            chart.add("text", ["x": SVGImage.pixels(start + group * 0.4), "y": SVGImage.pixels(bottom + 18), "text-anchor": "middle"],
                      text: Markup.clipped(language, to: max(3, Int(group / 7))))
        }
        chart.add("line", ["class": "axis", "x1": SVGImage.pixels(left), "x2": SVGImage.pixels(right),
                           "y1": SVGImage.pixels(bottom), "y2": SVGImage.pixels(bottom)])
        return "<h2>Fertility: tokens per word</h2>\n"
            + Self.legend(subjects.indices.map { (Self.tokenizerKey($0), subjects[$0].name) })
            + "<figure>\n" + chart.markup(label: "tokens per word by language and tokenizer") + "</figure>\n"
            + "<p class=\"note\">Words are runs of characters between whitespace, so fertility is not meaningful for "
            + "languages written without spaces between words, such as Chinese (zh), Japanese (ja) and Thai (th).</p>\n"
    }

    /// The fill of a parity cell, neutral at 1, greener below (fully at 0.5) and redder above
    /// (fully at 3), and the ink that reads on it.
    private static func parityColours(_ parity: Double) -> (fill: String, ink: String) {
        let strength = parity < 1 ? min(1, log(max(parity, 1e-9)) / log(0.5)) : min(1, log(parity) / log(3))
        let target: (Double, Double, Double) = parity < 1 ? (26, 152, 80) : (215, 48, 39)
        func mix(_ to: Double) -> Int { Int((247 + (to - 247) * strength).rounded()) }
        return (String(format: "#%02x%02x%02x", mix(target.0), mix(target.1), mix(target.2)), strength > 0.55 ? "#ffffff" : "#222222")
    }

    private func paritySection() -> String {
        let rows = languages.indices.filter { column in cells.contains { $0[column].parity != nil } }
        let (left, top, height) = (110.0, 30.0, 30.0)
        let width = min(120, max(56, (956 - left) / Double(max(1, subjects.count))))
        var chart = SVGImage(width: left + width * Double(subjects.count) + 4, height: top + height * Double(rows.count) + 4)
        for (index, subject) in subjects.enumerated() {
            chart.add("text", ["x": SVGImage.pixels(left + (Double(index) + 0.5) * width), "y": "20", "text-anchor": "middle"],
                      text: Markup.clipped(subject.name, to: Int(width / 7)), title: subject.name)
        }
        for (line, column) in rows.enumerated() {
            let y = top + Double(line) * height
            chart.add("text", ["x": SVGImage.pixels(left - 8), "y": SVGImage.pixels(y + height / 2), "dy": "0.32em", "text-anchor": "end"],
                      text: Markup.clipped(languages[column], to: 14), title: languages[column])
            for (index, subject) in subjects.enumerated() {
                let (x, middle) = (left + Double(index) * width, left + (Double(index) + 0.5) * width)
                guard let parity = cells[index][column].parity else {
                    chart.add("rect", ["class": "empty", "x": SVGImage.pixels(x + 1), "y": SVGImage.pixels(y + 1),
                                       "width": SVGImage.pixels(width - 2), "height": SVGImage.pixels(height - 2)],
                              title: "\(subject.name), \(languages[column]): no parallel text")
                    continue
                }
                let colours = Self.parityColours(parity)
                chart.add("rect", ["class": "cell", "data-tokenizer": subject.name, "data-language": languages[column],
                                   "data-value": Markup.number(parity, 4), "fill": colours.fill,
                                   "x": SVGImage.pixels(x + 1), "y": SVGImage.pixels(y + 1),
                                   "width": SVGImage.pixels(width - 2), "height": SVGImage.pixels(height - 2)],
                          title: "\(subject.name), \(languages[column]): parity \(Markup.number(parity, 2))")
                chart.add("text", ["x": SVGImage.pixels(middle), "y": SVGImage.pixels(y + height / 2), "dy": "0.32em",
                                   "text-anchor": "middle", "style": "fill: \(colours.ink)"], text: Markup.number(parity, 2))
            }
        }
        let reference = referenceLanguage ?? "the reference language"
        let scale = [0.5, 0.75, 1, 1.5, 2, 3].map { value in
            ("<span class=\"swatch\" style=\"background: \(Self.parityColours(value).fill); border: 1px solid #ddd\"></span>",
             (value == 0.5 ? "≤ " : value == 3 ? "≥ " : "") + Markup.number(value, 2))
        }
        return "<h2>Parity</h2>\n" + Self.legend(scale)
            + "<figure>\n" + chart.markup(label: "parity by language and tokenizer")
            + "<figcaption class=\"caption\">tokens per token of \(Markup.escape(reference)) on parallel text</figcaption>\n</figure>\n"
    }

    private func vocabularySection() -> String {
        let (left, right, top, bottom) = (48.0, 300.0, 12.0, 188.0)
        let percent = LinearScale(domain: (0, 1), pixels: (bottom, top))
        var section = "<h2>Vocabulary use</h2>\n<p class=\"note\">The share of all tokens that the most frequent ids make up.</p>\n"
            + Self.legend(languages.indices.map {
                ("<span class=\"stroke\" style=\"border-top-style: \(Self.lineStyle($0)); border-top-color: \(Self.colour($0))\"></span>", languages[$0])
            })
            + "<div class=\"multiples\">\n"
        for (row, subject) in subjects.enumerated() {
            let largest = log2(Double(max(2, subject.vocabularySize)))
            let x = LinearScale(domain: (0, largest), pixels: (left, right))
            var chart = SVGImage(width: 310, height: 226)
            chart.verticalAxis(ticks: [0, 0.25, 0.5, 0.75, 1], scale: percent, left: left, right: right,
                               label: { Markup.number(100 * $0, 0) + "%" }, title: "share of tokens")
            for power in stride(from: 0, through: Int(largest), by: max(1, Int((largest / 6).rounded(.up)))) {
                let position = SVGImage.pixels(x(Double(power)))
                let label = power < 10 ? "\(1 << power)" : power < 20 ? "\(1 << (power - 10))K" : "\(1 << (power - 20))M"
                chart.add("line", ["class": "grid", "x1": position, "x2": position, "y1": SVGImage.pixels(top), "y2": SVGImage.pixels(bottom)])
                chart.add("text", ["x": position, "y": SVGImage.pixels(bottom + 14), "text-anchor": "middle"], text: label)
            }
            chart.add("line", ["class": "axis", "x1": SVGImage.pixels(left), "x2": SVGImage.pixels(right),
                               "y1": SVGImage.pixels(bottom), "y2": SVGImage.pixels(bottom)])
            chart.add("text", ["class": "axis-title", "x": SVGImage.pixels((left + right) / 2), "y": SVGImage.pixels(bottom + 32),
                               "text-anchor": "middle"], text: "most frequent ids (log scale)")
            for (column, language) in languages.enumerated() {
                let coverage = cells[row][column].coverage
                guard let last = coverage.last else { continue }
                var points = coverage.map { SVGImage.pixels(x(log2(Double($0.ids)))) + "," + SVGImage.pixels(percent($0.share)) }
                if points.count == 1 { points += points }
                chart.add("polyline", ["class": "curve", "data-tokenizer": subject.name, "data-language": language,
                                       "points": points.joined(separator: " "), "fill": "none", "stroke": Self.colour(column),
                                       "stroke-width": "2", "stroke-dasharray": Self.dashes(column), "stroke-linecap": "round",
                                       "stroke-linejoin": "round"],
                          title: "\(language): \(Self.grouped(last.ids)) distinct ids")
            }
            section += "<figure>\n<figcaption>\(Self.tokenizerKey(row))\(Markup.escape(subject.name))</figcaption>\n"
                + chart.markup(label: "vocabulary use of \(subject.name)") + "</figure>\n"
        }
        return section + "</div>\n"
    }

    private func numbersSection() -> String {
        var section = """
            <h2>All numbers</h2>
            <table>
            <thead><tr><th>Tokenizer</th><th class="num">Tokens</th><th class="num">Tokens / byte</th><th class="num">Tokens / word</th>\
            <th class="num">Words in ≥ 3 tokens</th><th class="num">Parity</th><th class="num">Unknown</th><th class="num">Byte fallback</th>\
            <th class="num">Vocabulary used</th><th>Longest tokens</th></tr></thead>

            """
        for (column, language) in languages.enumerated() {
            section += "<tbody>\n<tr class=\"group\"><th colspan=\"10\">\(Markup.escape(language))</th></tr>\n"
            for (row, subject) in subjects.enumerated() {
                let cell = cells[row][column]
                let s = cell.statistics
                let numbers = [Self.grouped(s.tokens), Markup.number(s.tokensPerByte, 3), Markup.number(s.tokensPerWord, 2),
                               Markup.number(100 * s.splitWordRate, 1) + " %", cell.parity.map { Markup.number($0, 2) } ?? "–",
                               Markup.number(100 * s.unknownRate, 2) + " %", Markup.number(100 * s.byteFallbackRate, 2) + " %",
                               Markup.number(100 * s.vocabularyUsage(vocabularySize: subject.vocabularySize), 1) + " %"]
                section += "<tr><td class=\"name\">\(Self.tokenizerKey(row))\(Markup.escape(subject.name))</td>"
                    + numbers.map { "<td class=\"num\">\($0)</td>" }.joined()
                    + "<td class=\"tokens\">" + cell.longestTokens.map { Self.quoted($0.text, title: "id \($0.id)") }.joined() + "</td></tr>\n"
            }
            section += "</tbody>\n"
        }
        return section + "</table>\n"
    }
}
