import CustomerData
import Foundation
import Models

/// A table of churn scores: one probability per scored customer.
public struct ChurnScores: Sendable {
    public var idColumn: String
    /// `churn_probability`, or the model kind's own name (e.g. `propensity`).
    public var scoreColumn: String = "churn_probability"
    public var ids: [String]
    public var probabilities: [Double]
    /// Rows that got no score (blank values under the drop-rows policy).
    public var rejected: [ExcludedRow]
    public var unseenFallbackRows: Int

    /// The rows of one shard (all rows for nil), in order.
    public func selecting(_ shard: CustomerShard?) -> ChurnScores {
        guard let shard else { return self }
        let keep = ids.indices.filter { shard.contains(ids[$0]) }
        var copy = self
        copy.ids = keep.map { ids[$0] }
        copy.probabilities = keep.map { probabilities[$0] }
        return copy
    }

    /// The scores as per-customer predictions (`<id>, churn_probability` or the kind's column),
    /// to export or to join with other models' predictions by customer id.
    public var predictions: CustomerPredictions {
        CustomerPredictions(idColumn: idColumn, customerIDs: ids,
                            probability: .init(name: scoreColumn, values: probabilities))
    }

    /// CSV text `<id>,churn_probability` through `CustomerData.CSVWriter`: RFC 4180 quoting, and
    /// ids a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, ...) prefixed with `'`, because
    /// customer ids come from data we do not control. Probabilities are written in the shortest
    /// form that reads back to the same Double.
    public var csv: String { predictions.csv().text }

    /// Streams the scores to `url` atomically (`CustomerData.TableWriter`, same text as `csv`).
    public func write(to url: URL) throws { try write(toPath: url.path, format: .csv) }

    /// Streams the scores to `path` atomically; `-` is standard output; CSV unless `format` or
    /// the extension (`.jsonl`) says JSON lines.
    public func write(toPath path: String, format: TableFormat? = nil) throws {
        try predictions.write(toPath: path, format: format)
    }

    public var report: String {
        var s = "scored \(ids.count) customers"
        if !rejected.isEmpty { s += "; \(rejected.count) rows of the file not scored (blank values), first at line \(rejected[0].line)" }
        if unseenFallbackRows > 0 { s += "; \(unseenFallbackRows) rows had unseen levels scored as the reference level" }
        return s
    }
}
