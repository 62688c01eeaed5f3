import Foundation

/// A small SVG writer: elements appended as text, every attribute value and text escaped.
public struct SVG {
    public let width: Double
    public let height: Double
    private(set) var body: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// XML escaping for text and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Pixel coordinates with at most two decimals (smaller files, same picture).
    public static func px(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    static func attributes(_ attrs: [(String, String?)]) -> String {
        attrs.compactMap { k, v in v.map { " \(k)=\"\(escape($0))\"" } }.joined()
    }

    public mutating func element(_ name: String, _ attrs: [(String, String?)], text: String? = nil, title: String? = nil) {
        let open = "<\(name)\(Self.attributes(attrs))"
        if text == nil && title == nil {
            body.append(open + "/>")
        } else {
            body.append(open + ">" + (title.map { "<title>\(Self.escape($0))</title>" } ?? "") + (text.map(Self.escape) ?? "") + "</\(name)>")
        }
    }

    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
                              dash: String? = nil, className: String? = nil) {
        element("line", [("x1", Self.px(x1)), ("y1", Self.px(y1)), ("x2", Self.px(x2)), ("y2", Self.px(y2)),
                         ("stroke", stroke), ("stroke-width", Self.px(width)), ("stroke-dasharray", dash), ("class", className)])
    }

    public mutating func text(_ s: String, x: Double, y: Double, anchor: String = "start", size: Double = 12,
                              weight: String? = nil, fill: String = Palette.ink, rotate: Double? = nil, className: String? = nil) {
        element("text", [("x", Self.px(x)), ("y", Self.px(y)), ("text-anchor", anchor), ("font-size", Self.px(size)),
                         ("font-weight", weight), ("fill", fill), ("class", className),
                         ("transform", rotate.map { "rotate(\(Self.px($0)) \(Self.px(x)) \(Self.px(y)))" })], text: s)
    }

    /// Raw, already-escaped markup (for groups).
    mutating func raw(_ markup: String) { body.append(markup) }

    /// The finished `<svg>` element: scalable (viewBox), with a title for screen readers.
    public func render(title: String, className: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"\(Self.escape(className))\" viewBox=\"0 0 \(Self.px(width)) \(Self.px(height))\" "
            + "width=\"\(Self.px(width))\" height=\"\(Self.px(height))\" role=\"img\" aria-label=\"\(Self.escape(title))\" "
            + "font-family=\"Helvetica, Arial, sans-serif\"><title>\(Self.escape(title))</title>"
            + body.joined() + "</svg>"
    }
}
