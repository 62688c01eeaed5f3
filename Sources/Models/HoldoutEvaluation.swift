import CustomerData
import Foundation

/// How well a repeat-purchase model predicts a holdout period: per customer predicted vs actual
/// holdout purchases (each over the customer's own holdout duration), error summaries, and the
/// papers' table of mean actual vs predicted purchases by calibration frequency 0, 1, ..., 7+
/// (FHL 2005, Figure 4).
public struct HoldoutEvaluation: Sendable, CustomStringConvertible {
    /// One row of the table by calibration frequency.
    public struct FrequencyBin: Sendable, Equatable {
        /// "0", "1", ..., "7+".
        public var label: String
        public var customers: Int
        public var meanActual: Double
        public var meanPredicted: Double
    }

    public var modelKind: ModelKind
    public var predicted: [Double]
    public var actual: [Double]
    public var meanAbsoluteError: Double
    public var rootMeanSquaredError: Double
    public var totalPredicted: Double
    public var totalActual: Double
    public var bins: [FrequencyBin]

    /// Scores every customer of `summary` (which must carry `frequency_holdout` and
    /// `duration_holdout`) with the model's conditional expectation over their holdout duration.
    /// `lastBin` is the frequency from which customers are pooled (7 gives the papers' 7+).
    public init<M: RepeatPurchaseModel>(model: M, summary: CustomerSummary, lastBin: Int = 7) throws {
        guard let actual = summary.frequencyHoldout, let duration = summary.durationHoldout else {
            throw ModelError.invalidData("holdout evaluation needs a summary with frequency_holdout and duration_holdout columns (summarise with a holdout period)")
        }
        guard summary.count > 0 else { throw ModelError.invalidData("holdout evaluation: the summary has no customers") }
        var predicted = [Double](repeating: 0, count: summary.count)
        for i in 0..<summary.count {
            predicted[i] = model.conditionalExpectedPurchases(horizon: duration[i], frequency: summary.frequency[i],
                                                               recency: summary.recency[i], T: summary.T[i])
            guard predicted[i].isFinite else {
                throw ModelError.invalidData("customer \(summary.customerIDs[i]): the prediction is not finite (x = \(summary.frequency[i]), t_x = \(summary.recency[i]), T = \(summary.T[i]))")
            }
        }
        self.init(kind: M.kind, predicted: predicted, actual: actual, calibrationFrequency: summary.frequency, lastBin: lastBin)
    }

    /// From precomputed predictions (e.g. scored on another machine).
    public init(kind: ModelKind, predicted: [Double], actual: [Double], calibrationFrequency: [Double], lastBin: Int = 7) {
        precondition(predicted.count == actual.count && actual.count == calibrationFrequency.count, "HoldoutEvaluation: columns differ in length")
        modelKind = kind
        self.predicted = predicted
        self.actual = actual
        let n = Double(predicted.count)
        var absSum = 0.0, sqSum = 0.0
        for i in predicted.indices {
            let e = predicted[i] - actual[i]
            absSum += abs(e); sqSum += e * e
        }
        meanAbsoluteError = absSum / n
        rootMeanSquaredError = sqrt(sqSum / n)
        totalPredicted = predicted.reduce(0, +)
        totalActual = actual.reduce(0, +)
        var count = [Int](repeating: 0, count: lastBin + 1)
        var sumActual = [Double](repeating: 0, count: lastBin + 1), sumPredicted = sumActual
        for i in predicted.indices {
            let bin = min(lastBin, max(0, Int(calibrationFrequency[i])))
            count[bin] += 1; sumActual[bin] += actual[i]; sumPredicted[bin] += predicted[i]
        }
        bins = (0...lastBin).map { k in
            FrequencyBin(label: k == lastBin ? "\(k)+" : "\(k)", customers: count[k],
                         meanActual: count[k] > 0 ? sumActual[k] / Double(count[k]) : .nan,
                         meanPredicted: count[k] > 0 ? sumPredicted[k] / Double(count[k]) : .nan)
        }
    }

    /// A plain-text report for the CLI.
    public var description: String {
        var lines = ["Holdout evaluation (\(modelKind.rawValue), \(predicted.count) customers)",
                     String(format: "  total purchases: predicted %.1f, actual %.0f", totalPredicted, totalActual),
                     String(format: "  per customer: MAE %.4f, RMSE %.4f", meanAbsoluteError, rootMeanSquaredError),
                     "  calibration frequency   customers   mean actual   mean predicted"]
        for bin in bins {
            let label = bin.label.padding(toLength: 21, withPad: " ", startingAt: 0)
            lines.append("  " + label + String(format: " %11d %13.3f %16.3f", bin.customers, bin.meanActual, bin.meanPredicted))
        }
        return lines.joined(separator: "\n")
    }
}
