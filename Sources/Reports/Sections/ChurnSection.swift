import Churn
import CustomerData
import Foundation
import Models

/// The pictures of a logistic churn (or propensity) model: coefficients as odds ratios with
/// intervals and, with labelled data, ROC with the AUC and its DeLong interval, lift, cumulative
/// gains and calibration by decile. Every number comes from `ChurnEvaluation` / `ROCCurve`.
public enum ChurnSection {
    /// Labelled customers to evaluate on, and what they are (shown in the report).
    public struct Evaluation {
        public var labels: [Double]
        public var probabilities: [Double]
        /// e.g. "holdout split of the training data (30%, seed 20240601): 2,113 customers".
        public var description: String
        /// Other scores on the same customers (1 − P(alive), blend, ...), from `TransactionChurnFeatures.compare`.
        public var comparison: [(String, ChurnEvaluation)]?

        public init(labels: [Double], probabilities: [Double], description: String, comparison: [(String, ChurnEvaluation)]? = nil) {
            self.labels = labels; self.probabilities = probabilities; self.description = description; self.comparison = comparison
        }
    }

    /// Largest number of features in the odds-ratio chart (the largest effects by |β|).
    public static let maximumFeatures = 25

    public static func make(model: ChurnModel, name: String, evaluation: Evaluation?) throws -> ReportSection {
        let id = RepeatPurchaseSection.slug(name)
        var section = ReportSection(id: id, title: "\(name): logistic \(model.purpose) model")
        let pseudoR2 = 1 - model.logLikelihood / model.nullLogLikelihood
        section.intro.append("Target \(model.target.column) = '\(model.target.positive)'; \(NumberFormat.fixed(model.training.customers, decimals: 0))\(model.training.rows.map { " of \(NumberFormat.integer($0))" } ?? "") rows used in the fit. \(model.convergence.converged ? "Converged" : "NOT CONVERGED") after \(model.convergence.iterations) Newton steps.")
        section.blocks.append(.metrics([
            Metric("log-likelihood", .number(model.logLikelihood, .decimals(2))),
            Metric("McFadden pseudo-R²", .number(pseudoR2, .decimals(4))),
            Metric("coefficients", .number(Double(model.coefficients.count), .integer)),
        ]))
        let hasIntervals = model.coefficients.contains { $0.stdError != nil }
        section.blocks.append(.table(id: "\(id)-coefficients", title: "Coefficients and odds ratios", coefficientTable(model, withErrors: hasIntervals)))
        if !hasIntervals {
            section.blocks.append(.note("The fit is penalised (L1/L2), so the coefficients have no standard errors and the odds ratios no intervals."))
        }
        section.blocks.append(.figure(Figure(
            id: "\(id)-odds-ratios", title: "Odds ratios" + (hasIntervals ? " with 95% intervals" : ""),
            caption: "exp(β): how the odds of \(model.target.column) = '\(model.target.positive)' change per unit of a feature (for a dummy: versus the reference level), other features fixed. Right of 1 (vermillion) raises the risk, left of 1 (blue) lowers it; the largest \(maximumFeatures) effects by |β| are shown\(model.encoding.standardize || model.usesTransactionSummary ? ", per standard deviation of the feature" : "").",
            chart: oddsRatioChart(model))))
        guard let evaluation else {
            section.blocks.append(.note("Give labelled data (--churn-data for a customer table, --summary with holdout columns for a transaction model) to see ROC, lift, gains and calibration."))
            return section
        }
        let e = try ChurnEvaluation(labels: evaluation.labels, probabilities: evaluation.probabilities)
        section.blocks.append(.note("Evaluated on \(evaluation.description)."))
        section.blocks.append(.metrics(evaluationMetrics(e)))
        section.blocks.append(.figure(rocFigure(ROCCurve(labels: evaluation.labels, scores: evaluation.probabilities), evaluation: e, id: id)))
        section.blocks.append(.figure(liftFigure(e, id: id)))
        section.blocks.append(.figure(gainsFigure(e, id: id)))
        section.blocks.append(.figure(calibrationFigure(e, id: id)))
        section.blocks.append(.table(id: "\(id)-deciles", title: "Deciles by predicted risk (1 = highest)", decileTable(e)))
        if let comparison = evaluation.comparison {
            section.blocks.append(.table(id: "\(id)-comparison", title: "Logistic model vs the purchase model's scores on the same customers", comparisonTable(comparison)))
        }
        return section
    }

    /// Estimates and odds ratios; with standard errors (unpenalised fits) also z, p and the odds-ratio interval.
    static func coefficientTable(_ model: ChurnModel, withErrors: Bool) -> DataTable {
        guard withErrors else {
            var t = DataTable(columns: ["feature", "coefficient", "odds ratio"])
            for c in model.coefficients { t.append([.text(c.name), .number(c.estimate, .decimals(4)), .number(exp(c.estimate), .decimals(3))]) }
            return t
        }
        var t = DataTable(columns: ["feature", "coefficient", "std. error", "z", "p-value", "odds ratio", "OR 95% lower", "OR 95% upper"])
        for c in model.coefficients {
            func cell(_ x: Double?, _ style: DataTable.Style = .decimals(4)) -> DataTable.Cell { x.map { .number($0, style) } ?? .missing }
            let (lo, hi) = oddsRatioInterval(c)
            t.append([.text(c.name), cell(c.estimate), cell(c.stdError), cell(c.z, .decimals(3)), cell(c.pValue, .pValue),
                      cell(exp(c.estimate), .decimals(3)), cell(lo, .decimals(3)), cell(hi, .decimals(3))])
        }
        return t
    }

    /// exp(β ∓ 1.96 SE): the Wald interval of `CoefficientTable`, on the odds scale.
    static func oddsRatioInterval(_ c: ChurnModel.Coefficient) -> (Double?, Double?) {
        guard let se = c.stdError else { return (nil, nil) }
        return (exp(c.estimate - CoefficientTable.z975 * se), exp(c.estimate + CoefficientTable.z975 * se))
    }

    static func oddsRatioChart(_ model: ChurnModel) -> IntervalChart {
        let rows = model.coefficients.filter { $0.name != FeatureEncoding.interceptName && $0.estimate != 0 }
            .sorted { abs($0.estimate) > abs($1.estimate) }.prefix(maximumFeatures)
            .map { c -> IntervalChart.Row in
                let (lo, hi) = oddsRatioInterval(c)
                return IntervalChart.Row(label: c.name, estimate: exp(c.estimate), lower: lo, upper: hi)
            }
        return IntervalChart(rows: rows, valueLabel: "odds ratio (log scale; 1 = no effect)")
    }

    static func evaluationMetrics(_ e: ChurnEvaluation) -> [Metric] {
        [Metric("AUC", .number(e.auc, .decimals(4)),
                detail: "95% CI \(NumberFormat.fixed(e.aucLower95, decimals: 4))–\(NumberFormat.fixed(e.aucUpper95, decimals: 4)) (DeLong)"),
         Metric("customers", .number(Double(e.rows), .integer), detail: "\(NumberFormat.integer(e.churners)) positive (\(NumberFormat.percent(Double(e.churners) / Double(e.rows))))"),
         Metric("top-decile lift", .number(e.deciles.first?.lift ?? .nan, .decimals(2))),
         Metric("log-loss", .number(e.logLoss, .decimals(4))),
         Metric("Brier score", .number(e.brier, .decimals(4)))]
    }

    static func rocFigure(_ roc: ROCCurve, evaluation e: ChurnEvaluation, id: String) -> Figure {
        let shown = roc.thinned(to: 400)
        return Figure(id: "\(id)-roc", title: "ROC curve",
                      caption: "Share of positives found (true-positive rate) against share of negatives wrongly flagged, over all thresholds. AUC \(NumberFormat.fixed(e.auc, decimals: 4)) (95% CI \(NumberFormat.fixed(e.aucLower95, decimals: 4))–\(NumberFormat.fixed(e.aucUpper95, decimals: 4)), DeLong); the diagonal is a random ranking.\(shown.falsePositiveRate.count < roc.falsePositiveRate.count ? " Drawn through \(shown.falsePositiveRate.count) of its \(roc.falsePositiveRate.count) points." : "")",
                      chart: LineChart(series: [.init(name: "model (AUC \(NumberFormat.fixed(e.auc, decimals: 3)))", x: shown.falsePositiveRate, y: shown.truePositiveRate, markers: false)],
                                       xLabel: "false-positive rate", yLabel: "true-positive rate",
                                       reference: ("random", [0, 1], [0, 1]), xPercent: true, yPercent: true))
    }

    static func liftFigure(_ e: ChurnEvaluation, id: String) -> Figure {
        Figure(id: "\(id)-lift", title: "Lift by decile",
               caption: "Positive rate in each tenth of customers ranked by predicted risk, over the overall rate. A lift of 3 in decile 1 means the riskiest 10% churn three times as often as average.",
               chart: BarChart(categories: e.deciles.map { "\($0.decile)" }, series: [.init(name: "lift", values: e.deciles.map(\.lift))],
                               categoryLabel: "decile (1 = highest predicted risk)", valueLabel: "lift", valueStyle: .decimals(2),
                               reference: ("random (lift 1)", 1)))
    }

    static func gainsFigure(_ e: ChurnEvaluation, id: String) -> Figure {
        let customers = Double(e.rows)
        var cumulative = 0.0
        let x = [0.0] + e.deciles.map { d -> Double in cumulative += Double(d.customers); return cumulative / customers }
        return Figure(id: "\(id)-gains", title: "Cumulative gains",
                      caption: "Share of all positives found when contacting the riskiest x% of customers. The diagonal is random contact.",
                      chart: LineChart(series: [.init(name: "model", x: x, y: [0] + e.deciles.map(\.cumulativeGain))],
                                       xLabel: "customers contacted (riskiest first)", yLabel: "positives found",
                                       reference: ("random", [0, 1], [0, 1]), xPercent: true, yPercent: true))
    }

    static func calibrationFigure(_ e: ChurnEvaluation, id: String) -> Figure {
        let predicted = e.deciles.map(\.meanPredicted), observed = e.deciles.map(\.observedRate)
        let top = max(predicted.max() ?? 1, observed.max() ?? 1)
        return Figure(id: "\(id)-calibration", title: "Calibration by decile",
                      caption: "Observed positive rate against the mean predicted probability in each decile. Points on the diagonal mean the probabilities can be read as rates.",
                      chart: LineChart(series: [.init(name: "deciles", x: predicted, y: observed)],
                                       xLabel: "mean predicted probability", yLabel: "observed rate",
                                       reference: ("perfect calibration", [0, top], [0, top]), xPercent: true, yPercent: true))
    }

    static func decileTable(_ e: ChurnEvaluation) -> DataTable {
        var t = DataTable(columns: ["decile", "customers", "positives", "mean predicted", "observed rate", "lift", "cumulative gain", "cumulative lift"])
        for d in e.deciles {
            t.append([.number(Double(d.decile), .integer), .number(Double(d.customers), .integer), .number(Double(d.churners), .integer),
                      .number(d.meanPredicted, .decimals(3)), .number(d.observedRate, .decimals(3)), .number(d.lift, .decimals(2)),
                      .number(d.cumulativeGain, .percent(1)), .number(d.cumulativeLift, .decimals(2))])
        }
        return t
    }

    static func comparisonTable(_ comparison: [(String, ChurnEvaluation)]) -> DataTable {
        var t = DataTable(columns: ["score", "AUC", "AUC 95% lower", "AUC 95% upper", "log-loss", "Brier", "top-decile lift"])
        for (name, e) in comparison {
            t.append([.text(name), .number(e.auc, .decimals(4)), .number(e.aucLower95, .decimals(4)), .number(e.aucUpper95, .decimals(4)),
                      .number(e.logLoss, .decimals(4)), .number(e.brier, .decimals(4)), .number(e.deciles.first?.lift ?? .nan, .decimals(2))])
        }
        return t
    }
}
