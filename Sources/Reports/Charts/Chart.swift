/// A chart the report can show: an inline SVG, the table of values it draws (exported as CSV for
/// the notebook), and matplotlib code that redraws it from that CSV.
public protocol Chart: Sendable {
    /// The `<svg>` element.
    func svg(title: String) -> String
    /// One row per mark: what the CSV holds and what the tests compare with the sources.
    var data: DataTable { get }
    /// Python (pandas + matplotlib) that redraws the chart from `df`, the CSV read back.
    var matplotlib: String { get }
}

extension String {
    /// A Python string literal.
    var pythonLiteral: String {
        "\"" + replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
