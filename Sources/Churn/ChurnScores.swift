import Foundation

/// A table of churn scores: one probability per scored customer.
public struct ChurnScores: Sendable {
    public var idColumn: String
    public var ids: [String]
    public var probabilities: [Double]
    /// Rows that got no score (blank values under the drop-rows policy).
    public var rejected: [RejectedRow]
    public var unseenFallbackRows: Int

    /// CSV text `<id>,churn_probability` (RFC 4180 quoting).
    public var csv: String {
        var out = CSVText.row([idColumn, "churn_probability"])
        for (id, p) in zip(ids, probabilities) { out += CSVText.row([id, String(format: "%.10g", p)]) }
        return out
    }

    public func write(to url: URL) throws { try AtomicWrite.write(Data(csv.utf8), to: url) }

    public var report: String {
        var s = "scored \(ids.count) customers"
        if !rejected.isEmpty { s += "; \(rejected.count) rows not scored (blank values), first at line \(rejected[0].line)" }
        if unseenFallbackRows > 0 { s += "; \(unseenFallbackRows) rows had unseen levels scored as the reference level" }
        return s
    }
}

/// RFC 4180 CSV output (fields with a comma, quote or line break are quoted, quotes doubled).
/// Private stand-in until CustomerData's shared `CSVWriter` lands on main.
enum CSVText {
    static func field(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\n" }
}
