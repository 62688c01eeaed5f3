import Foundation

/// Builds CSV text row by row (comma separated, `\n` line ends, header first).
///
/// Text cells are quoted when they contain a comma, quote, CR or LF or start/end with a space
/// (quotes doubled, RFC 4180). Text cells that a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, tab or CR) get a leading `'`; a text cell that already starts with `'` followed
/// by one of those also gets one, so `unneutralise` restores every original exactly.
public struct CSVWriter: Sendable {
    public private(set) var text: String

    public init(header: [String]) {
        text = ""
        appendLine(header.map { CSVWriter.escape($0) })
    }

    public mutating func append(_ row: [CSVCell]) {
        appendLine(row.map(CSVWriter.format))
    }

    /// The CSV as UTF-8 bytes, ready for `AtomicFile.write`.
    public var data: Data { Data(text.utf8) }

    /// The text of one cell.
    public static func format(_ cell: CSVCell) -> String {
        switch cell {
        case .text(let s): return escape(s)
        case .number(let x): return x.description
        case .integer(let k): return String(k)
        case .empty: return ""
        }
    }

    /// Neutralises formulas, then quotes if needed.
    public static func escape(_ text: String) -> String {
        quote(neutralise(text))
    }

    /// RFC 4180 quoting (no formula handling).
    public static func quote(_ text: String) -> String {
        let needsQuotes = text.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
            || text.hasPrefix(" ") || text.hasSuffix(" ")
        guard needsQuotes else { return text }
        // Most quoted cells (reasons, names with commas) hold no quote: skip the slow replace.
        guard text.utf8.contains(34) else { return "\"" + text + "\"" }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Prefixes `'` to text a spreadsheet would treat as a formula (also after leading `'`s, so that
    /// `unneutralise` can tell an added `'` from one that was there).
    public static func neutralise(_ text: String) -> String {
        startsFormulaAfterQuotes(text) ? "'" + text : text
    }

    /// Undoes `neutralise` (for reading back files Klant wrote).
    public static func unneutralise(_ text: String) -> String {
        text.hasPrefix("'") && startsFormulaAfterQuotes(text) ? String(text.dropFirst()) : text
    }

    /// True when the first character after any leading `'`s starts a formula.
    private static func startsFormulaAfterQuotes(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first(where: { $0 != "'" }) else { return false }
        return isFormulaStart(first)
    }

    private static func isFormulaStart(_ c: Unicode.Scalar) -> Bool {
        c == "=" || c == "+" || c == "-" || c == "@" || c == "\t" || c == "\r"
    }

    private mutating func appendLine(_ cells: [String]) {
        text += cells.joined(separator: ",")
        text += "\n"
    }
}
