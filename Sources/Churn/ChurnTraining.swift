import CustomerData
import Foundation
import Linalg
import Models

/// The outcome of training: the model to save, the fit behind it, and a printable report.
public struct ChurnTrainingResult: Sendable {
    public var model: ChurnModel
    public var fit: LogisticFit
    public var crossValidation: CrossValidationResult?
    /// Evaluation on the holdout split, or the cross-validated evaluation when that was asked for.
    public var holdout: ChurnEvaluation?
    public var rejected: [ExcludedRow]
    /// Fitted probabilities of the training rows (table indices in `trainingRows`).
    public var fittedProbabilities: [Double]
    public var trainingRows: [Int]
    public var report: String
}

extension ChurnModel {
    /// Trains a churn model on a CSV file (the file's bytes are fingerprinted into the model).
    public static func train(csv url: URL, format: TableTextFormat = TableTextFormat(), options: ChurnFitOptions) throws -> ChurnTrainingResult {
        let data = Data(try InputSource.readAll(url.path, encoding: format.encoding))
        let table = try CustomerTable(csv: data, source: url.path, format: format)
        var result = try train(table: table, options: options)
        result.model.training.source = url.lastPathComponent
        result.model.training.fingerprint = fingerprint(of: data)
        result.model.training.bytes = data.count
        return result
    }

    /// Trains a churn model on a customer table: learn the encoding, build the design once,
    /// (optionally) choose λ by cross-validation, fit, and (optionally) evaluate on a holdout split.
    public static func train(table whole: CustomerTable, options: ChurnFitOptions) throws -> ChurnTrainingResult {
        let full = try options.population?.apply(to: whole) ?? whole
        var (table, rejected) = try Self.droppingBlankTargets(full, target: options.encoding.target, policy: options.encoding.blankPolicy)
        var (encoding, target) = try FeatureEncoding.learn(from: table, options: options.encoding)

        // Split before building the design so the holdout rows never enter the fit.
        var holdoutTable: CustomerTable?
        if let fraction = options.holdoutFraction {
            let split = try CrossValidation.holdoutSplit(rows: table.rowCount, testFraction: fraction, seed: options.seed)
            holdoutTable = table.selectingRows(split.test)
            table = table.selectingRows(split.train)
        }
        try encoding.requireRowsForColumns(rows: table.rowCount)
        var design = try encoding.design(for: table)
        // Report rejected rows by their index in the full table (the line number identifies them).
        let indexOfLine = Dictionary(uniqueKeysWithValues: full.lineNumbers.enumerated().map { ($1, $0) })
        rejected += design.rejected.map { r in ExcludedRow(index: indexOfLine[r.line]!, line: r.line, reason: r.reason) }
        let y = try FeatureEncoding.targetValues(table, target: target, rows: design.rowIndices)
        var weights = try sampleWeights(table, column: options.encoding.weightColumn, rows: design.rowIndices)
        let classWeights = try classWeightValues(options.classWeight, y: y)
        if let cw = classWeights {
            var w = weights ?? [Double](repeating: 1, count: y.count)
            for i in w.indices { w[i] *= y[i] == 1 ? cw.positive : cw.negative }
            weights = w
        }

        let (penalty, cv) = try options.choosePenalty(x: design.x, names: design.names, y: y, weights: weights)
        let fit = try LogisticRegression.fit(x: design.x, names: design.names, y: y, weights: weights,
                                             options: options.logistic(penalty, dropCollinear: options.dropCollinear))
        encoding.droppedDesignColumns = fit.dropped.map(\.column)
        // Rebuild the kept-columns view for fitted probabilities (the design itself is reused, no new encoding pass).
        let keep = fit.names.map { design.names.firstIndex(of: $0)! }
        if keep.count != design.names.count {
            design.x = CrossValidation.selectColumns(design.x, keep)
            design.names = fit.names
        }
        let fitted = try LogisticRegression.probabilities(x: design.x, coefficients: fit.coefficients)

        var model = ChurnModel(
            formatVersion: currentFormatVersion, kind: options.modelKind, producer: ModelFileFormat.producer, timeUnit: nil,
            training: ModelTraining(customers: Double(y.count), rows: full.rowCount, fingerprint: "", source: nil),
            convergence: Self.convergence(of: fit),
            target: target, idColumn: options.encoding.idColumn,
            weightColumn: options.encoding.weightColumn,
            classWeights: classWeights.map { ["negative": $0.negative, "positive": $0.positive] },
            encoding: encoding,
            coefficients: Self.coefficients(of: fit), penalty: Self.penalty(penalty, crossValidation: cv),
            logLikelihood: fit.logLikelihood, nullLogLikelihood: fit.nullLogLikelihood,
            droppedCollinear: Self.droppedColumns(of: fit))
        model.holdoutSplit = options.holdoutFraction.map { HoldoutSplit(testFraction: $0, seed: options.seed) }
        model.population = options.population.map { Population(condition: $0.condition, rows: full.rowCount, tableRows: whole.rowCount) }

        var holdout: ChurnEvaluation?
        if let holdoutTable {
            holdout = try model.evaluate(holdoutTable, threshold: options.threshold).evaluation
        } else if options.crossValidatedEvaluation {
            let oof = try CrossValidation.outOfFoldProbabilities(
                x: design.x, names: design.names, y: y, weights: weights, folds: options.folds, seed: options.seed,
                options: options.logistic(penalty, dropCollinear: true))
            holdout = try ChurnEvaluation(labels: y, probabilities: oof, threshold: options.threshold)
            holdout?.outcome = model.outcomeNames
        }
        if let path = options.rejectsPath, !rejected.isEmpty {
            try writeRejects(full, rows: rejected, to: path)
        }
        let report = trainingReport(model: model, fit: fit, cv: cv, holdout: holdout, rejected: rejected,
                                    holdoutFraction: options.holdoutFraction, seed: options.seed)
        return ChurnTrainingResult(model: model, fit: fit, crossValidation: cv, holdout: holdout, rejected: rejected,
                                   fittedProbabilities: fitted, trainingRows: design.rowIndices, report: report)
    }

    /// Evaluates the model on a CSV file that has the target column. The report warns when the
    /// file is the training data (same FNV-1a fingerprint): in-sample figures are optimistic.
    public func evaluate(csv url: URL, format: TableTextFormat = TableTextFormat(), threshold: Double = 0.5,
                         unseenLevels: UnseenLevelPolicy = .error, selecting selection: RowSelection? = nil) throws -> (evaluation: ChurnEvaluation, report: String) {
        let data = Data(try InputSource.readAll(url.path, encoding: format.encoding))
        var (evaluation, report) = try evaluate(try CustomerTable(csv: data, source: url.path, format: format), threshold: threshold,
                                                unseenLevels: unseenLevels, selecting: selection)
        if ChurnModel.fingerprint(of: data) == training.fingerprint {
            report = "note: this is the training data (fingerprint matches): in-sample figures are optimistic\n" + report
        }
        return (evaluation, report)
    }

    /// The rows of `full` (the training file) that the fit held out, in the split's order; nil when
    /// the model was fitted without `--holdout`. Repeats training's steps: blank targets dropped
    /// under the drop-rows policy, then the seeded split.
    /// A model fitted on a population (`--where`) needs its selection, which chooses the same rows again.
    public func holdoutRows(of full: CustomerTable, population selection: RowSelection? = nil) throws -> CustomerTable? {
        guard let split = holdoutSplit else { return nil }
        let selected = try populationRows(of: full, selection: selection)
        let (table, _) = try Self.droppingBlankTargets(selected, target: target.column, policy: encoding.blankPolicy)
        let rows = try CrossValidation.holdoutSplit(rows: table.rowCount, testFraction: split.testFraction, seed: split.seed)
        return table.selectingRows(rows.test)
    }

    /// The rows of `table` in the model's population: all without one; else those `selection` (which
    /// must be the population's condition) keeps.
    func populationRows(of table: CustomerTable, selection: RowSelection?) throws -> CustomerTable {
        guard let population else { return table }
        guard let selection, selection.condition == population.condition else {
            throw ChurnError.invalidOption("the model was fitted on the rows where \(population.condition); select them with that condition (got \(selection.map { "'\($0.condition)'" } ?? "none"))")
        }
        return try selection.apply(to: table)
    }

    /// Under the drop-rows policy, rows with a blank target are left out (and listed); otherwise the table as it is.
    static func droppingBlankTargets(_ full: CustomerTable, target: String, policy: BlankPolicy) throws -> (CustomerTable, [ExcludedRow]) {
        guard policy == .dropRows && full.hasColumn(target) else { return (full, []) }
        let values = try full.column(named: target)
        let blank = values.indices.filter { ValueParsing.isBlank(values[$0]) }
        let rejected = blank.map { ExcludedRow(index: $0, line: full.lineNumbers[$0], reason: "blank \(target)") }
        let blankSet = Set(blank)
        let table = full.selectingRows((0..<full.rowCount).filter { !blankSet.contains($0) })
        if table.rowCount == 0 && full.rowCount > 0 {
            throw ChurnError.noRowsLeft(rows: full.rowCount, blanks: [BlankCount(column: target, count: blank.count)])
        }
        return (table, rejected)
    }

    /// Scores every customer of a CSV file (see `predict(_:unseenLevels:)`).
    public func predict(csv url: URL, format: TableTextFormat = TableTextFormat(), unseenLevels: UnseenLevelPolicy = .error,
                        selecting selection: RowSelection? = nil) throws -> ChurnScores {
        try predict(try CustomerTable(path: url.path, format: format), unseenLevels: unseenLevels, selecting: selection)
    }

    /// Evaluates the model on a table that has the target column (on the rows `selection` keeps, when given).
    public func evaluate(_ whole: CustomerTable, threshold: Double = 0.5, unseenLevels: UnseenLevelPolicy = .error,
                         selecting selection: RowSelection? = nil) throws -> (evaluation: ChurnEvaluation, report: String) {
        try requireTableModel()
        let table = try selection?.apply(to: whole) ?? whole
        guard table.hasColumn(target.column) else { throw ChurnError.missingColumn(target.column) }
        let (design, p) = try score(table, unseenLevels: unseenLevels)
        let y = try FeatureEncoding.targetValues(table, target: target, rows: design.rowIndices)
        var evaluation = try ChurnEvaluation(labels: y, probabilities: p, threshold: threshold)
        evaluation.outcome = outcomeNames
        var report = evaluation.report
        if !design.rejected.isEmpty { report = "\(design.rejected.count) rows left out (blank values)\n" + report }
        if let selection { report = "rows where \(selection.condition): \(table.rowCount) of \(whole.rowCount)\n" + report }
        return (evaluation, report)
    }

    /// Scores every customer of `table` (which needs no target column), or those `selection` keeps.
    public func predict(_ whole: CustomerTable, unseenLevels: UnseenLevelPolicy = .error, selecting selection: RowSelection? = nil) throws -> ChurnScores {
        let table = try selection?.apply(to: whole) ?? whole
        let (design, p) = try score(table, unseenLevels: unseenLevels)
        let idName = idColumn ?? "row"
        let ids: [String]
        if let idColumn, table.hasColumn(idColumn) {
            let raw = try table.column(named: idColumn)
            ids = design.rowIndices.map { raw[$0] }
        } else {
            ids = design.rowIndices.map { String(table.lineNumbers[$0]) }
        }
        return ChurnScores(idColumn: idName, scoreColumn: scoreColumn, ids: ids, probabilities: p, rejected: design.rejected, unseenFallbackRows: design.unseenFallbackRows)
    }

    // MARK: - Helpers

    static func sampleWeights(_ table: CustomerTable, column: String?, rows: [Int]) throws -> [Double]? {
        guard let column else { return nil }
        let raw = try table.column(named: column)
        return try rows.map { i in
            guard let w = ValueParsing.number(raw[i]), w >= 0 else {
                throw ChurnError.badWeights("column '\(column)' line \(table.lineNumbers[i]) has '\(raw[i])'; weights must be numbers ≥ 0")
            }
            return w
        }
    }

    static func classWeightValues(_ cw: ClassWeight, y: [Double]) throws -> (negative: Double, positive: Double)? {
        switch cw {
        case .none: return nil
        case .balanced:
            let n = Double(y.count), pos = y.reduce(0, +)
            return (n / (2 * (n - pos)), n / (2 * pos))
        case let .custom(negative, positive):
            guard negative >= 0, positive >= 0, negative.isFinite, positive.isFinite, negative + positive > 0 else {
                throw ChurnError.badWeights("class weights must be finite and ≥ 0, got \(negative) and \(positive)")
            }
            return (negative, positive)
        }
    }

    /// Writes the left-out rows with their raw values (CSVWriter: RFC 4180 quoting, formulas
    /// neutralised, so a hostile cell cannot run in a spreadsheet), atomically.
    static func writeRejects(_ table: CustomerTable, rows: [ExcludedRow], to url: URL) throws {
        let out = try TableWriter(path: url.path, header: ["line"] + table.columnNames + ["reject_reason"], format: .csv)
        for r in rows.sorted(by: { $0.index < $1.index }) {
            try out.append([.integer(r.line)] + table.columns.map { .text($0[r.index]) } + [.text(r.reason)])
        }
        try out.commit()
    }

    static func trainingReport(model: ChurnModel, fit: LogisticFit, cv: CrossValidationResult?, holdout: ChurnEvaluation?,
                               rejected: [ExcludedRow], holdoutFraction: Double?, seed: UInt64) -> String {
        var lines: [String] = []
        lines.append("logistic \(model.purpose) model: target \(model.target.column) = '\(model.target.positive)' (vs '\(model.target.negative)')")
        if let population = model.population {
            lines.append("population: \(population.condition) (\(population.rows) of \(population.tableRows) rows)")
        }
        lines.append("rows used: \(fit.rows) of \(model.training.rows ?? fit.rows)" + (holdoutFraction.map { String(format: " (%.0f%% held out, seed \(seed))", $0 * 100) } ?? ""))
        if !rejected.isEmpty {
            lines.append("rows left out (blank values): \(rejected.count), lines \(rejected.prefix(10).map { String($0.line) }.joined(separator: ", "))\(rejected.count > 10 ? ", ..." : "")")
        }
        for d in fit.dropped { lines.append("dropped collinear column: \(d)") }
        lines.append(Self.describe(model.penalty, coefficients: model.coefficients))
        lines.append((fit.converged ? "converged" : "NOT CONVERGED") + " after \(fit.iterations) Newton steps (on all rows); before the last step: Newton decrement² \(formatNumber(fit.newtonDecrement, digits: 3)), max |gradient| \(formatNumber(fit.maxAbsGradient, digits: 3))")
        lines.append(String(format: "log-likelihood: %.4f   null: %.4f   McFadden pseudo-R²: %.4f", fit.logLikelihood, fit.nullLogLikelihood, 1 - fit.logLikelihood / fit.nullLogLikelihood))
        lines.append("")
        lines.append(fit.table.text)
        lines.append("")
        lines.append("largest effects:")
        for e in fit.table.topEffects() { lines.append("  " + e) }
        if let cv { lines.append(""); lines.append(cv.report) }
        if let holdout {
            lines.append("")
            lines.append(holdoutFraction == nil ? "cross-validated evaluation (out-of-fold probabilities):" : "holdout evaluation:")
            lines.append(holdout.report)
        }
        return lines.joined(separator: "\n")
    }
}

extension ChurnModel {
    /// The model file's coefficient table (estimate, SE, z, p) from a fit: shared by both training forms.
    static func coefficients(of fit: LogisticFit) -> [Coefficient] {
        fit.table.rows.map { Coefficient(name: $0.name, estimate: $0.estimate, stdError: $0.standardError, z: $0.z, pValue: $0.pValue) }
    }

    static func penalty(_ strength: PenaltyStrength, crossValidation cv: CrossValidationResult?) -> Penalty {
        Penalty(l2: strength.l2, l1: strength.l1, interceptPenalised: false, chosenBy: cv.map { "\($0.folds)-fold cross-validation, seed \($0.seed)" } ?? "fixed")
    }

    /// The report's penalty line, e.g. "penalty: L1 lambda = 20 (7 of 30 coefficients exactly 0) + L2 lambda = 1 ...".
    static func describe(_ penalty: Penalty, coefficients: [Coefficient]) -> String {
        guard penalty.l1 > 0 || penalty.l2 > 0 else { return "penalty: none (maximum likelihood)" }
        var parts: [String] = []
        if penalty.l1 > 0 {
            let zeros = coefficients.filter { $0.name != FeatureEncoding.interceptName && $0.estimate == 0 }.count
            parts.append("L1, lambda1 = \(formatNumber(penalty.l1)) (\(zeros) of \(coefficients.count - 1) coefficients exactly 0)")
        }
        if penalty.l2 > 0 {
            parts.append("L2, lambda = \(formatNumber(penalty.l2))" + (penalty.l1 == 0 ? " (scikit-learn C = \(formatNumber(1 / penalty.l2)))" : ""))
        }
        return "penalty: " + parts.joined(separator: " + ") + ", \(penalty.chosenBy)"
    }

    static func convergence(of fit: LogisticFit) -> Convergence {
        Convergence(converged: fit.converged, iterations: fit.iterations, evaluations: fit.iterations,
                    gradientNorm: fit.maxAbsGradient, newtonDecrement: fit.newtonDecrement,
                    message: fit.converged ? "converged after \(fit.iterations) Newton steps" : "did not converge in \(fit.iterations) Newton steps")
    }

    static func droppedColumns(of fit: LogisticFit) -> [DroppedColumn] {
        fit.dropped.map { d in
            DroppedColumn(name: d.column, equals: String(d.description.split(separator: "=", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces))
        }
    }
}
