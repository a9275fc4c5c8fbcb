import Foundation

/// Text of the HTML report that comes from data, made safe to write.
enum Markup {
    /// `text` escaped for HTML and XML, in text and in attribute values alike: `&`, `<`, `>`, `"`
    /// and `'` as entities; the characters neither may hold raw (control characters, U+007F–U+009F
    /// and noncharacters) shown visibly as `\n`, `\t`, `\r` or `\u{XX}`.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\r": escaped += "\\r"
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) || (0xFDD0...0xFDEF).contains(value) || value & 0xFFFE == 0xFFFE {
                    escaped += "\\u{" + String(value, radix: 16, uppercase: true) + "}"
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }

    /// `value` with `decimals` fixed decimals.
    static func number(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    /// `text` cut to `length` characters, the last of them an ellipsis when it is longer.
    static func clipped(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(max(0, length - 1))) + "…"
    }
}

/// A tiny builder of an inline SVG image: elements are appended in drawing order, their
/// attribute values and text escaped.
struct SVGImage {
    /// The image's width in pixels.
    let width: Double
    /// The image's height in pixels.
    let height: Double
    private var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A pixel coordinate or length as an attribute value.
    static func pixels(_ value: Double) -> String {
        Markup.number(value, 1)
    }

    /// Appends a `name` element with `attributes`, holding `text` and, when `title` is given, a
    /// `<title>` that browsers show as its tooltip.
    mutating func add(_ name: String, _ attributes: KeyValuePairs<String, String>, text: String? = nil, title: String? = nil) {
        var element = "<" + name
        for (key, value) in attributes { element += " \(key)=\"\(Markup.escape(value))\"" }
        guard text != nil || title != nil else {
            elements.append(element + "/>")
            return
        }
        element += ">"
        if let title { element += "<title>\(Markup.escape(title))</title>" }
        if let text { element += Markup.escape(text) }
        elements.append(element + "</\(name)>")
    }

    /// Appends a horizontal gridline and a label for each of `ticks`, placed by `scale`, across
    /// `left`…`right`, and `title` written up the left edge.
    mutating func verticalAxis(ticks: [Double], scale: LinearScale, left: Double, right: Double,
                               label: (Double) -> String, title: String) {
        for tick in ticks {
            let y = Self.pixels(scale(tick))
            add("line", ["class": "grid", "x1": Self.pixels(left), "x2": Self.pixels(right), "y1": y, "y2": y])
            add("text", ["x": Self.pixels(left - 6), "y": y, "dy": "0.32em", "text-anchor": "end"], text: label(tick))
        }
        add("line", ["class": "axis", "x1": Self.pixels(left), "x2": Self.pixels(left),
                     "y1": Self.pixels(scale.pixels.lower), "y2": Self.pixels(scale.pixels.upper)])
        let middle = Self.pixels((scale.pixels.lower + scale.pixels.upper) / 2)
        add("text", ["class": "axis-title", "x": "0", "y": "0", "text-anchor": "middle",
                     "transform": "translate(12 \(middle)) rotate(-90)"], text: title)
    }

    /// The `<svg>` element, described by `label` for screen readers.
    func markup(label: String) -> String {
        let size = "width=\"\(Self.pixels(width))\" height=\"\(Self.pixels(height))\" viewBox=\"0 0 \(Self.pixels(width)) \(Self.pixels(height))\""
        return "<svg \(size) role=\"img\" aria-label=\"\(Markup.escape(label))\">\n" + elements.joined(separator: "\n") + "\n</svg>\n"
    }
}

/// A linear map of values onto pixels.
struct LinearScale {
    /// The values mapped, lowest first.
    var domain: (lower: Double, upper: Double)
    /// The pixels `domain.lower` and `domain.upper` map to.
    var pixels: (lower: Double, upper: Double)

    /// The pixel of `value`.
    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upper - domain.lower
        let fraction = span == 0 ? 0 : (value - domain.lower) / span
        return pixels.lower + fraction * (pixels.upper - pixels.lower)
    }

    /// About `count` round ticks from 0 up to at least `maximum`, a step of 1, 2 or 5 times a power
    /// of ten apart, and the decimals that step needs.
    static func ticks(upTo maximum: Double, count: Int = 5) -> (values: [Double], decimals: Int) {
        let raw = max(maximum, 1e-9) / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = ([1.0, 2, 5, 10].first { $0 * magnitude >= raw } ?? 10) * magnitude
        let steps = max(1, Int(ceil(maximum / step - 1e-9)))
        return ((0...steps).map { Double($0) * step }, max(0, Int(-floor(log10(step)))))
    }
}
