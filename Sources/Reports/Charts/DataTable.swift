import Foundation

/// A table of values behind a chart or shown on its own: what the HTML shows (formatted), what the
/// notebook's CSV holds (exact), and what the tests compare with the source files.
public struct DataTable: Sendable, Equatable {
    /// How a number is shown; the CSV always has the exact value.
    public enum Style: Sendable, Equatable {
        case integer
        case decimals(Int)
        case percent(Int)
        /// About three significant digits, k/M/B above 10,000.
        case compact
        /// Four decimals, "< 0.0001" below that (p-values).
        case pValue
    }

    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double, Style)
        case missing

        /// The text shown in HTML tables.
        public var display: String {
            switch self {
            case .text(let s): return s
            case .missing: return "–"
            case let .number(x, style):
                switch style {
                case .integer: return NumberFormat.fixed(x, decimals: 0)
                case .decimals(let d): return NumberFormat.fixed(x, decimals: d)
                case .percent(let d): return NumberFormat.percent(x, decimals: d)
                case .compact: return NumberFormat.compact(x)
                case .pValue: return x < 0.0001 ? "< 0.0001" : NumberFormat.fixed(x, decimals: 4)
                }
            }
        }

        /// The exact value for CSV exports.
        public var exact: String {
            switch self {
            case .text(let s): return s
            case .missing: return ""
            case .number(let x, _): return NumberFormat.exact(x)
            }
        }

        public var number: Double? { if case .number(let x, _) = self { return x } else { return nil } }
    }

    public var columns: [String]
    public var rows: [[Cell]]

    public init(columns: [String], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = rows
    }

    public mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "DataTable: \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    /// The column's numbers (nil cells dropped).
    public func numbers(_ column: String) -> [Double] {
        guard let j = columns.firstIndex(of: column) else { return [] }
        return rows.compactMap { $0[j].number }
    }

    /// RFC 4180 CSV with exact numbers.
    public var csv: String {
        func quote(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var lines = [columns.map(quote).joined(separator: ",")]
        for row in rows { lines.append(row.map { quote($0.exact) }.joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An HTML table with the formatted values (numbers right-aligned).
    public var html: String {
        var s = "<table class=\"data\"><thead><tr>"
        for c in columns { s += "<th>\(SVG.escape(c))</th>" }
        s += "</tr></thead><tbody>"
        for row in rows {
            s += "<tr>"
            for cell in row {
                if case .number(let x, _) = cell {
                    s += "<td class=\"num\" data-value=\"\(NumberFormat.exact(x))\">\(SVG.escape(cell.display))</td>"
                } else {
                    s += "<td>\(SVG.escape(cell.display))</td>"
                }
            }
            s += "</tr>"
        }
        return s + "</tbody></table>"
    }
}
