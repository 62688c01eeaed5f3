import CustomerData
import Foundation
import Linalg

/// Churn features for the non-contractual setting, built from a calibration-period customer
/// summary (the lifetimes-style RFM table), with the label "churned" = no purchase in the holdout
/// period (`frequency_holdout == 0`).
///
/// Design columns, in order: `intercept, frequency, recency, T, monetary_value, log1p_frequency,
/// log1p_recency, log1p_T, log1p_monetary_value` and, when given, `p_alive` (from a fitted BG/NBD).
/// log1p keeps customers with zero repeat purchases (recency 0, monetary value 0) finite.
/// Note that T − recency (time since the last purchase) is a combination of two columns, so it is
/// not added separately.
public enum TransactionChurnFeatures {
    public static let names = ["intercept", "frequency", "recency", "T", "monetary_value",
                               "log1p_frequency", "log1p_recency", "log1p_T", "log1p_monetary_value"]

    /// The design (column-major, intercept first), its column names, and the labels when the
    /// summary has a holdout period (nil otherwise: scoring only).
    public static func design(summary s: CustomerSummary, pAlive: [Double]? = nil) throws -> (x: Matrix, names: [String], churned: [Double]?) {
        let n = s.count
        if let pAlive {
            guard pAlive.count == n else { throw ChurnError.invalidOption("\(pAlive.count) P(alive) values for \(n) customers") }
            guard pAlive.allSatisfy({ $0 >= 0 && $0 <= 1 }) else { throw ChurnError.numerical("P(alive) values must lie in [0, 1]") }
        }
        let columns: [(String, [Double])] = [
            ("frequency", s.frequency), ("recency", s.recency), ("T", s.T), ("monetary_value", s.monetaryValue),
        ]
        for (name, values) in columns {
            if let i = values.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                throw ChurnError.numerical("summary column '\(name)' has \(values[i]) for customer '\(s.customerIDs[i])'; it must be a finite number ≥ 0")
            }
        }
        var values = [Double](repeating: 1, count: n)
        for (_, v) in columns { values += v }
        for (_, v) in columns { values += v.map { log1p($0) } }
        var names = Self.names
        if let pAlive { values += pAlive; names.append("p_alive") }
        let x = Matrix(rows: n, columns: names.count, columnMajor: values)
        let churned = s.frequencyHoldout.map { $0.map { $0 == 0 ? 1.0 : 0.0 } }
        return (x, names, churned)
    }

    /// Evaluates, on one holdout table, the logistic churn probabilities, 1 − P(alive), and their
    /// blend `weight · logistic + (1 − weight) · (1 − P(alive))`, and, when the purchase model has it,
    /// its own P(no purchase in the holdout), returning the evaluations and a side-by-side report.
    public static func compare(churned: [Double], logistic: [Double], pAlive: [Double], noPurchase: [Double]? = nil,
                               blendWeight: Double = 0.5,
                               threshold: Double = 0.5) throws -> (evaluations: [(String, ChurnEvaluation)], report: String) {
        guard logistic.count == churned.count, pAlive.count == churned.count else {
            throw ChurnError.invalidOption("compare: \(churned.count) labels, \(logistic.count) logistic scores, \(pAlive.count) P(alive)")
        }
        guard blendWeight >= 0, blendWeight <= 1 else { throw ChurnError.invalidOption("blend weight must be in [0, 1], got \(blendWeight)") }
        let dead = pAlive.map { 1 - $0 }
        let blend = zip(logistic, dead).map { blendWeight * $0 + (1 - blendWeight) * $1 }
        var evaluations = [
            ("logistic", try ChurnEvaluation(labels: churned, probabilities: logistic, threshold: threshold)),
            ("1 - P(alive)", try ChurnEvaluation(labels: churned, probabilities: dead, threshold: threshold)),
            (String(format: "blend %.2f", blendWeight), try ChurnEvaluation(labels: churned, probabilities: blend, threshold: threshold)),
        ]
        if let noPurchase {
            guard noPurchase.count == churned.count else {
                throw ChurnError.invalidOption("compare: \(churned.count) labels, \(noPurchase.count) P(no purchase)")
            }
            evaluations.append(("P(no purchase)", try ChurnEvaluation(labels: churned, probabilities: noPurchase, threshold: threshold)))
        }
        var lines = ["model            AUC (95% CI)              log-loss   Brier   top-decile lift"]
        for (name, e) in evaluations {
            let padded = name.padding(toLength: 16, withPad: " ", startingAt: 0)
            lines.append(padded + String(format: " %.4f (%.4f-%.4f)   %.4f   %.4f   %.2f", e.auc, e.aucLower95, e.aucUpper95, e.logLoss, e.brier, e.deciles.first?.lift ?? .nan))
        }
        return (evaluations, lines.joined(separator: "\n"))
    }
}
