import Foundation

/// Counts at a probability threshold (predicted churn when p ≥ threshold).
public struct ConfusionMatrix: Equatable, Sendable, Codable {
    public var truePositives = 0, falsePositives = 0, trueNegatives = 0, falseNegatives = 0
    public var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
    public var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
}

/// One decile of customers ranked by predicted churn probability (decile 1 = highest risk).
public struct DecileRow: Equatable, Sendable, Codable {
    public var decile: Int
    public var customers: Int
    public var churners: Int
    /// Mean predicted probability in the decile (calibration: compare with `observedRate`).
    public var meanPredicted: Double
    public var observedRate: Double
    /// observedRate / overall churn rate.
    public var lift: Double
    /// Share of all churners found in deciles 1…decile (cumulative gains).
    public var cumulativeGain: Double
    /// Churn rate of deciles 1…decile over the overall rate.
    public var cumulativeLift: Double
}

/// How the two outcomes of a logistic model are called in reports: churn / stay for churn models,
/// the target's values for other binary targets (a propensity to hold OnlineSecurity: Yes / No).
public struct OutcomeNames: Equatable, Sendable {
    /// The positive outcome (`churn`, `Yes`) and the negative one (`stay`, `No`).
    public var positive: String
    public var negative: String
    /// The rows with the positive outcome, as counted in the report (`churners`, `OnlineSecurity = Yes`).
    public var positiveRows: String

    public init(positive: String, negative: String, positiveRows: String) {
        self.positive = positive; self.negative = negative; self.positiveRows = positiveRows
    }

    public static let churn = OutcomeNames(positive: "churn", negative: "stay", positiveRows: "churners")
}

/// How well predicted churn probabilities match observed outcomes.
public struct ChurnEvaluation: Sendable {
    public var rows: Int
    public var churners: Int
    /// Area under the ROC curve (Mann-Whitney, ties count one half).
    public var auc: Double
    /// DeLong standard error of the AUC and the 95% interval AUC ± 1.96 SE, clipped to [0, 1].
    public var aucStandardError: Double
    public var aucLower95: Double
    public var aucUpper95: Double
    /// Mean negative log-likelihood (probabilities clipped to [1e-15, 1 − 1e-15] as scikit-learn does).
    public var logLoss: Double
    /// Mean squared error of the probabilities.
    public var brier: Double
    public var threshold: Double
    public var accuracy: Double
    public var confusion: ConfusionMatrix
    public var deciles: [DecileRow]
    /// The words of the report for the two outcomes (churn models: churn, stay, churners).
    public var outcome = OutcomeNames.churn

    /// Evaluates probabilities `p` against 0/1 `labels`.
    public init(labels: [Double], probabilities p: [Double], threshold: Double = 0.5) throws {
        guard labels.count == p.count, !p.isEmpty else { throw ChurnError.invalidOption("evaluation needs as many probabilities as labels (got \(p.count) and \(labels.count))") }
        guard p.allSatisfy({ $0 >= 0 && $0 <= 1 }) else { throw ChurnError.numerical("probabilities outside [0, 1] (or NaN) cannot be evaluated") }
        rows = p.count
        churners = labels.filter { $0 == 1 }.count
        guard churners > 0 && churners < rows else {
            throw ChurnError.badTarget(column: "evaluation data", message: "needs both outcomes (\(churners) positive of \(rows) rows) to compute the AUC")
        }
        let (a, variance) = ChurnMetrics.aucDeLong(labels: labels, scores: p)
        auc = a
        aucStandardError = variance.squareRoot()
        aucLower95 = max(0, a - CoefficientTable.z975 * aucStandardError)
        aucUpper95 = min(1, a + CoefficientTable.z975 * aucStandardError)
        logLoss = ChurnMetrics.logLoss(labels: labels, probabilities: p)
        brier = zip(labels, p).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(rows)
        self.threshold = threshold
        var c = ConfusionMatrix()
        for (y, q) in zip(labels, p) {
            switch (y == 1, q >= threshold) {
            case (true, true): c.truePositives += 1
            case (false, true): c.falsePositives += 1
            case (false, false): c.trueNegatives += 1
            case (true, false): c.falseNegatives += 1
            }
        }
        confusion = c
        accuracy = Double(c.truePositives + c.trueNegatives) / Double(rows)
        deciles = ChurnMetrics.deciles(labels: labels, probabilities: p)
    }

    /// A plain-text report for the CLI.
    public var report: String {
        var lines: [String] = []
        lines.append("rows: \(rows), \(outcome.positiveRows): \(churners) (\(String(format: "%.1f", 100 * Double(churners) / Double(rows)))%)")
        lines.append(String(format: "AUC: %.4f (95%% CI %.4f-%.4f, DeLong)", auc, aucLower95, aucUpper95))
        lines.append(String(format: "log-loss: %.4f   Brier: %.4f", logLoss, brier))
        lines.append(String(format: "accuracy at %.2f: %.4f   precision: %.4f   recall: %.4f", threshold, accuracy, confusion.precision, confusion.recall))
        lines.append("confusion (rows actual, columns predicted):")
        let isChurn = outcome == .churn
        let width = max(5, outcome.positive.count, outcome.negative.count)
        func cell(_ text: String) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        func label(_ text: String) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        lines.append("  " + label("") + "  " + cell(outcome.positive) + "  " + cell(outcome.negative))
        lines.append("  " + label(outcome.positive) + "  " + cell(String(confusion.truePositives)) + "  " + cell(String(confusion.falseNegatives)))
        lines.append("  " + label(outcome.negative) + "  " + cell(String(confusion.falsePositives)) + "  " + cell(String(confusion.trueNegatives)))
        lines.append(isChurn ? "deciles by predicted risk (1 = highest):" : "deciles by predicted probability of \(outcome.positiveRows) (1 = highest):")
        lines.append("  decile  customers  \(isChurn ? "churners" : "positive")  predicted  observed   lift  cum.gain  cum.lift")
        for d in deciles {
            lines.append(String(format: "  %6d  %9d  %8d  %9.3f  %8.3f  %5.2f  %8.3f  %8.2f", d.decile, d.customers, d.churners,
                                d.meanPredicted, d.observedRate, d.lift, d.cumulativeGain, d.cumulativeLift))
        }
        return lines.joined(separator: "\n")
    }
}

/// The metric formulas as small pure functions over plain arrays.
public enum ChurnMetrics {
    /// AUC and its variance by DeLong, DeLong & Clarke-Pearson (1988), "Comparing the areas under two
    /// or more correlated ROC curves", Biometrics 44: structural components
    /// V10(i) = P̂(score of negative < score of positive i) (+ ½ ties), V01(j) likewise, and
    /// Var = S10/m + S01/n with S the sample variances of the components.
    public static func aucDeLong(labels: [Double], scores: [Double]) -> (auc: Double, variance: Double) {
        let pos = zip(labels, scores).filter { $0.0 == 1 }.map(\.1).sorted()
        let neg = zip(labels, scores).filter { $0.0 != 1 }.map(\.1).sorted()
        let m = pos.count, n = neg.count
        guard m > 0, n > 0 else { return (.nan, .nan) }
        // Number of elements of a sorted array below / equal to a value, by binary search.
        func below(_ a: [Double], _ v: Double) -> Int {
            var lo = 0, hi = a.count
            while lo < hi { let mid = (lo + hi) / 2; if a[mid] < v { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        func atMost(_ a: [Double], _ v: Double) -> Int {
            var lo = 0, hi = a.count
            while lo < hi { let mid = (lo + hi) / 2; if a[mid] <= v { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        let v10 = pos.map { s -> Double in
            let lt = below(neg, s), le = atMost(neg, s)
            return (Double(lt) + 0.5 * Double(le - lt)) / Double(n)
        }
        let v01 = neg.map { s -> Double in
            let lt = below(pos, s), le = atMost(pos, s)
            return (Double(m - le) + 0.5 * Double(le - lt)) / Double(m)
        }
        let auc = v10.reduce(0, +) / Double(m)
        let s10 = m > 1 ? v10.reduce(0) { $0 + ($1 - auc) * ($1 - auc) } / Double(m - 1) : 0
        let s01 = n > 1 ? v01.reduce(0) { $0 + ($1 - auc) * ($1 - auc) } / Double(n - 1) : 0
        return (auc, s10 / Double(m) + s01 / Double(n))
    }

    /// Mean log-loss, probabilities clipped to [1e-15, 1 − 1e-15].
    public static func logLoss(labels: [Double], probabilities: [Double]) -> Double {
        let eps = 1e-15
        var s = 0.0
        for (y, p) in zip(labels, probabilities) {
            let q = min(max(p, eps), 1 - eps)
            s -= y * log(q) + (1 - y) * log(1 - q)
        }
        return s / Double(max(1, labels.count))
    }

    /// Deciles of customers sorted by descending probability; decile k holds rows
    /// ⌊(k−1)n/10⌋ ..< ⌊kn/10⌋ of that order (ties keep input order).
    public static func deciles(labels: [Double], probabilities: [Double], groups: Int = 10) -> [DecileRow] {
        let n = labels.count
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
        let totalChurners = labels.reduce(0, +)
        let baseRate = totalChurners / Double(n)
        var rows: [DecileRow] = []
        var cumChurners = 0.0, cumCustomers = 0
        for k in 0..<groups {
            let range = (k * n / groups)..<((k + 1) * n / groups)
            if range.isEmpty { continue }
            let churners = range.reduce(0.0) { $0 + labels[order[$1]] }
            let predicted = range.reduce(0.0) { $0 + probabilities[order[$1]] } / Double(range.count)
            cumChurners += churners
            cumCustomers += range.count
            let rate = churners / Double(range.count)
            rows.append(DecileRow(decile: k + 1, customers: range.count, churners: Int(churners), meanPredicted: predicted,
                                  observedRate: rate, lift: rate / baseRate, cumulativeGain: cumChurners / totalChurners,
                                  cumulativeLift: (cumChurners / Double(cumCustomers)) / baseRate))
        }
        return rows
    }
}
