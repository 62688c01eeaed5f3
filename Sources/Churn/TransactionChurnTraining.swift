import CustomerData
import Foundation
import Linalg
import Models

/// The transaction-history form of churn (non-contractual customers): features from a
/// calibration-period `CustomerSummary`, label churned = no purchase in the holdout period
/// (`frequency_holdout == 0`), optionally with P(alive) from a fitted repeat-purchase model as a
/// feature. Used by
///
///   klant fit churn --summary cdnow_summary.csv [--purchase-model models/cdnow-bgnbd.json] --out models/cdnow-churn.json
///     let result = try ChurnModel.train(summary: summary, purchaseModel: bgnbd, options: options)
///   klant evaluate --model models/cdnow-churn.json --summary cdnow_summary.csv [--purchase-model ...]
///     print(try model.evaluate(summary: summary, purchaseModel: bgnbd).report)
///   klant predict --model models/cdnow-churn.json --summary new_summary.csv [--purchase-model ...] --out scores.csv
///     try model.predict(summary: summary, purchaseModel: bgnbd).write(to: outURL)
extension ChurnModel {
    /// The label column of the transaction form, as recorded in `target`.
    public static let summaryTargetColumn = "frequency_holdout"

    /// Trains a logistic churn model on a customer summary with holdout columns.
    ///
    /// Of `options`, `l2`, `l2Grid`, `l1`, `l1Grid`, `folds`, `seed`, `holdoutFraction`, `crossValidatedEvaluation`,
    /// `threshold`, `dropCollinear` and `maxIterations` apply; the encoding, class weights and the
    /// rejects file belong to customer tables and are ignored. With `purchaseModel`, its
    /// P(alive | frequency, recency, T) is the extra feature `p_alive`, and the model records the
    /// purchase model's kind and fingerprint so scoring can insist on the same one. Features are
    /// standardised with the training rows' means and scales (stored in the model).
    public static func train(summary: CustomerSummary, purchaseModel: (any RepeatPurchaseModel)?,
                             options: ChurnFitOptions) throws -> ChurnTrainingResult {
        guard let holdoutFrequency = summary.frequencyHoldout else {
            throw ChurnError.invalidOption("the summary has no holdout columns (frequency_holdout), so there is no churn label; summarise the transactions with a calibration end before the observation end (klant summarize --calibration-end ...) to train a churn model")
        }
        guard summary.count >= 2 else { throw ChurnError.numerical("the summary has \(summary.count) customer(s); a churn model needs more") }
        let pAlive = purchaseModel.map { TransactionFeatureTransform.pAlive(summary: summary, model: $0) }
        let raw = try TransactionChurnFeatures.design(summary: summary, pAlive: pAlive)
        let labels = holdoutFrequency.map { $0 == 0 ? 1.0 : 0.0 }

        // Split before learning the standardisation so the holdout rows never enter the fit.
        var trainRows = Array(0..<summary.count)
        var testRows: [Int]?
        if let fraction = options.holdoutFraction {
            let split = try CrossValidation.holdoutSplit(rows: summary.count, testFraction: fraction, seed: options.seed)
            trainRows = split.train
            testRows = split.test
        }
        var transform = try TransactionFeatureTransform.learn(x: raw.x, names: raw.names, rows: trainRows,
                                                              purchaseModel: purchaseModel, timeUnit: summary.timeUnit)
        let trainSummary = summary.selecting(rows: trainRows)
        let x = try transform.design(summary: trainSummary, purchaseModel: purchaseModel)
        let names = transform.designNames
        let y = trainRows.map { labels[$0] }
        let churners = y.reduce(0, +)
        guard churners > 0, churners < Double(y.count) else {
            throw ChurnError.badTarget(column: summaryTargetColumn, message: "every training customer is \(churners > 0 ? "a churner (no holdout purchase)" : "a repeat buyer in the holdout period"); a churn model needs both")
        }

        let (penalty, cv) = try options.choosePenalty(x: x, names: names, y: y, weights: nil)
        let fitOptions = options.logistic(penalty, dropCollinear: options.dropCollinear)
        let fit = try LogisticRegression.fit(x: x, names: names, y: y, options: fitOptions)
        let constantFeatures = transform.droppedDesignColumns
        transform.droppedDesignColumns += fit.dropped.map(\.column)
        let keep = fit.names.map { names.firstIndex(of: $0)! }
        let fitted = try LogisticRegression.probabilities(x: keep.count == names.count ? x : CrossValidation.selectColumns(x, keep),
                                                          coefficients: fit.coefficients)

        var model = ChurnModel(
            formatVersion: currentFormatVersion, kind: options.modelKind, producer: ModelFileFormat.producer,
            timeUnit: .calendar(summary.timeUnit),
            training: ModelTraining(customers: Double(y.count), rows: summary.count, fingerprint: fingerprint(of: summary), source: nil),
            convergence: Self.convergence(of: fit),
            target: TargetEncoding(column: summaryTargetColumn, positive: "0", negative: "1 or more"),
            idColumn: "customer_id", weightColumn: nil, classWeights: nil,
            encoding: FeatureEncoding(columns: [], blankPolicy: .error, standardize: true),
            coefficients: Self.coefficients(of: fit), penalty: Self.penalty(penalty, crossValidation: cv),
            logLikelihood: fit.logLikelihood, nullLogLikelihood: fit.nullLogLikelihood,
            droppedCollinear: Self.droppedColumns(of: fit))
        model.transactionFeatures = transform
        model.holdoutSplit = options.holdoutFraction.map { HoldoutSplit(testFraction: $0, seed: options.seed) }

        var holdout: ChurnEvaluation?
        if let testRows {
            holdout = try model.evaluate(summary: summary.selecting(rows: testRows), purchaseModel: purchaseModel,
                                         threshold: options.threshold).evaluation
        } else if options.crossValidatedEvaluation {
            let oof = try CrossValidation.outOfFoldProbabilities(
                x: x, names: names, y: y, folds: options.folds, seed: options.seed,
                options: options.logistic(penalty, dropCollinear: true))
            holdout = try ChurnEvaluation(labels: y, probabilities: oof, threshold: options.threshold)
        }
        let features = "features: transaction summary (\(transform.timeUnit)s), standardised with training means and scales"
            + (transform.purchaseModel.map { "; p_alive from a \($0.kind) model (\($0.fingerprint))" } ?? "; no p_alive")
            + (constantFeatures.isEmpty ? "" : "\nleft out, the same for every training customer: \(constantFeatures.joined(separator: ", "))"
               + (constantFeatures.contains("monetary_value") ? " (a summary without amounts has monetary values of 0)" : ""))
        let report = features + "\n" + trainingReport(model: model, fit: fit, cv: cv, holdout: holdout, rejected: [],
                                                      holdoutFraction: options.holdoutFraction, seed: options.seed)
        return ChurnTrainingResult(model: model, fit: fit, crossValidation: cv, holdout: holdout, rejected: [],
                                   fittedProbabilities: fitted, trainingRows: trainRows, report: report)
    }

    /// Churn probabilities of every customer of `summary` (no holdout columns needed), through the
    /// stored standardisation. Refuses customer-table models, summaries in another time unit, and
    /// a missing or different purchase model when the model uses `p_alive`.
    public func probabilities(summary: CustomerSummary, purchaseModel: (any RepeatPurchaseModel)?) throws -> [Double] {
        guard let transform = transactionFeatures else {
            throw ChurnError.wrongModelFile(path: "model", message: "was trained on a customer table (target '\(target.column)'); score it with that kind of table (--data), not a transaction summary")
        }
        let x = try transform.design(summary: summary, purchaseModel: purchaseModel)
        guard transform.designNames == coefficients.map(\.name) else {
            throw ChurnError.wrongModelFile(path: "model", message: "its transaction features give columns \(transform.designNames) but it has coefficients for \(coefficients.map(\.name))")
        }
        return try LogisticRegression.probabilities(x: x, coefficients: coefficients.map(\.estimate))
    }

    /// Evaluates the model on a summary with holdout columns (churned = `frequency_holdout == 0`).
    /// With `purchaseModel`, the report adds one table comparing, on the same customers, the
    /// logistic probabilities, 1 − P(alive) and their blend (`TransactionChurnFeatures.compare`),
    /// which is also returned. The report notes when the summary is the training data.
    public func evaluate(summary: CustomerSummary, purchaseModel: (any RepeatPurchaseModel)?, threshold: Double = 0.5,
                         blendWeight: Double = 0.5) throws
        -> (evaluation: ChurnEvaluation, comparison: [(String, ChurnEvaluation)]?, report: String) {
        guard let holdout = summary.frequencyHoldout else {
            throw ChurnError.invalidOption("the summary has no holdout columns (frequency_holdout), so churn cannot be observed; evaluate on a summary built with a calibration end before the observation end")
        }
        let p = try probabilities(summary: summary, purchaseModel: purchaseModel)
        let churned = holdout.map { $0 == 0 ? 1.0 : 0.0 }
        let evaluation = try ChurnEvaluation(labels: churned, probabilities: p, threshold: threshold)
        var report = evaluation.report
        if ChurnModel.fingerprint(of: summary) == training.fingerprint {
            report = "note: this is the training data (fingerprint matches): in-sample figures are optimistic\n" + report
        }
        var comparison: [(String, ChurnEvaluation)]?
        if let purchaseModel {
            let pAlive = TransactionFeatureTransform.pAlive(summary: summary, model: purchaseModel)
            // The model's own P(no purchase in each customer's holdout), where it has a closed form.
            var noPurchase: [Double]? = nil
            if let duration = summary.durationHoldout {
                let values = summary.frequency.indices.map { i in
                    purchaseModel.probabilityOfNoPurchases(horizon: duration[i], frequency: summary.frequency[i],
                                                           recency: summary.recency[i], T: summary.T[i])
                }
                if values.allSatisfy({ $0 != nil }) { noPurchase = values.map { $0! } }
            }
            let compared = try TransactionChurnFeatures.compare(churned: churned, logistic: p, pAlive: pAlive, noPurchase: noPurchase,
                                                                blendWeight: blendWeight, threshold: threshold)
            comparison = compared.evaluations
            report += "\n\nlogistic vs 1 - P(alive) (\(type(of: purchaseModel).kind.rawValue)) on the same \(summary.count) customers:\n" + compared.report
        }
        return (evaluation, comparison, report)
    }

    /// The customers of `summary` (the training summary) that the fit held out; nil without `--holdout`.
    public func holdoutCustomers(of summary: CustomerSummary) throws -> CustomerSummary? {
        guard let split = holdoutSplit else { return nil }
        return summary.selecting(rows: try CrossValidation.holdoutSplit(rows: summary.count, testFraction: split.testFraction, seed: split.seed).test)
    }

    /// Scores every customer of `summary` (see `probabilities(summary:purchaseModel:)`); ids are the
    /// summary's customer ids.
    public func predict(summary: CustomerSummary, purchaseModel: (any RepeatPurchaseModel)?) throws -> ChurnScores {
        let p = try probabilities(summary: summary, purchaseModel: purchaseModel)
        return ChurnScores(idColumn: idColumn ?? "customer_id", scoreColumn: scoreColumn, ids: summary.customerIDs, probabilities: p, rejected: [], unseenFallbackRows: 0)
    }

    /// `fnv1a64:` and the FNV-1a 64 of a summary's ids, columns and time unit: tells whether a summary
    /// is the one a model was trained on without storing it.
    public static func fingerprint(of summary: CustomerSummary) -> String {
        var hash = FNV1a()
        for id in summary.customerIDs { hash.add(bytes: id.utf8); hash.add(bytes: [0]) }
        var columns = [summary.frequency, summary.recency, summary.T, summary.monetaryValue]
        if let h = summary.frequencyHoldout { columns.append(h) }
        for column in columns { for v in column { hash.add(v.bitPattern) } }
        hash.add(bytes: summary.timeUnit.rawValue.utf8)
        return "fnv1a64:" + hash.hex
    }
}
