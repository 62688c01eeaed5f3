import Churn
import CustomerData
import Foundation
import Linalg
import Models

/// Everything `klant fit uplift` can ask for.
public struct UpliftFitOptions: Sendable {
    /// Target (the outcome), id, excluded columns, blanks, standardisation: as for churn models.
    /// The treatment column is never a feature.
    public var encoding: EncodingOptions
    public var treatmentColumn: String
    public var control: String
    public var method: UpliftMethod
    /// L2 penalty λ of every logistic part (intercept unpenalised; scikit-learn's C = 1/λ).
    public var l2: Double
    /// Hold out this fraction of rows (seeded), fit on the rest and evaluate on it.
    public var holdoutFraction: Double?
    public var seed: UInt64
    /// An arm (or treatment/control pair) needs at least this many rows per design column to be fitted.
    public var minimumRowsPerColumn: Int

    public init(encoding: EncodingOptions, treatmentColumn: String, control: String, method: UpliftMethod = .twoModel,
                l2: Double = 0, holdoutFraction: Double? = nil, seed: UInt64 = CrossValidation.defaultSeed,
                minimumRowsPerColumn: Int = 2) {
        self.encoding = encoding; self.treatmentColumn = treatmentColumn; self.control = control; self.method = method
        self.l2 = l2; self.holdoutFraction = holdoutFraction; self.seed = seed; self.minimumRowsPerColumn = minimumRowsPerColumn
    }
}

/// The outcome of `UpliftModel.train`: the model, its holdout evaluation (when asked), a report.
public struct UpliftTrainingResult: Sendable {
    public var model: UpliftModel
    public var holdout: UpliftEvaluation?
    public var report: String
}

extension UpliftModel {
    /// Trains on a table file in `format` (a file, gzip or `-`; its bytes are fingerprinted into the model).
    public static func train(csv url: URL, format: TableTextFormat = TableTextFormat(), options: UpliftFitOptions) throws -> UpliftTrainingResult {
        let data = Data(try InputSource.readAll(url.path, encoding: format.encoding))
        var result = try train(table: try CustomerTable(csv: data, source: url.path, format: format), options: options)
        result.model.training.source = url.lastPathComponent
        result.model.training.fingerprint = ChurnModel.fingerprint(of: data)
        result.model.training.bytes = data.count
        return result
    }

    /// Learns the encoding on all rows (the treatment column left out), splits off the holdout,
    /// builds the design once and fits each part through the churn module's logistic IRLS.
    public static func train(table full: CustomerTable, options: UpliftFitOptions) throws -> UpliftTrainingResult {
        let arms = try TreatmentArms(table: full, column: options.treatmentColumn, control: options.control)
        var encodingOptions = options.encoding
        encodingOptions.exclude.append(options.treatmentColumn)
        let (encoding, target) = try FeatureEncoding.learn(from: full, options: encodingOptions)

        var trainRows = Array(0..<full.rowCount), holdoutRows: [Int] = []
        if let fraction = options.holdoutFraction {
            (trainRows, holdoutRows) = try CrossValidation.holdoutSplit(rows: full.rowCount, testFraction: fraction, seed: options.seed)
        }
        let table = full.selectingRows(trainRows)
        let design = try encoding.design(for: table)
        let y = try FeatureEncoding.targetValues(table, target: target, rows: design.rowIndices)
        let armOfDesignRow = design.rowIndices.map { arms.armOfRow[trainRows[$0]] }
        let parts = try fitParts(method: options.method, x: design.x, names: design.names, y: y, armOfRow: armOfDesignRow, armNames: arms.names,
                                 options: LogisticOptions(l2: options.l2), minimumRowsPerColumn: options.minimumRowsPerColumn)
        let model = UpliftModel(
            method: options.method, treatmentColumn: options.treatmentColumn,
            control: options.control, treatments: arms.treatments, target: target, idColumn: options.encoding.idColumn,
            encoding: encoding, designNames: design.names, l2: options.l2, parts: parts,
            training: ModelTraining(customers: Double(y.count), rows: full.rowCount, fingerprint: "", source: nil),
            heldOut: holdoutRows.count)
        var holdout: UpliftEvaluation?
        if !holdoutRows.isEmpty {
            holdout = try model.evaluate(full.selectingRows(holdoutRows))
        }
        return UpliftTrainingResult(model: model, holdout: holdout, report: trainingReport(model, holdout: holdout, options: options))
    }

    /// The logistic parts of `method` on a design: per arm (two-model; arm 0 is the control) or per
    /// treatment against the control (class transformation). `armOfRow` gives each design row's arm.
    public static func fitParts(method: UpliftMethod, x: Matrix, names: [String], y: [Double], armOfRow: [Int], armNames: [String],
                                options lp: LogisticOptions, minimumRowsPerColumn: Int = 2) throws -> [Part] {
        let partRows: [[Int]]
        switch method {
        case .twoModel: partRows = armNames.indices.map { a in armOfRow.indices.filter { armOfRow[$0] == a } }
        case .classTransformation: partRows = (1..<armNames.count).map { k in armOfRow.indices.filter { armOfRow[$0] == 0 || armOfRow[$0] == k } }
        }
        // Largest part first, so every part's design reuses the first one's memory.
        var parts = [Part?](repeating: nil, count: partRows.count)
        var storage: [Double] = []
        for p in partRows.indices.sorted(by: { partRows[$0].count > partRows[$1].count }) {
            let rows = partRows[p]
            switch method {
            case .twoModel:
                parts[p] = try fitPart(arm: armNames[p], x: x, names: names, rows: rows, y: rows.map { y[$0] }, weights: nil,
                                       options: lp, minimumRowsPerColumn: minimumRowsPerColumn, storage: &storage)
            case .classTransformation:
                let (z, w) = transformedClass(y: rows.map { y[$0] }, treated: rows.map { armOfRow[$0] == p + 1 })
                parts[p] = try fitPart(arm: armNames[p + 1], x: x, names: names, rows: rows, y: z, weights: w,
                                       options: lp, minimumRowsPerColumn: minimumRowsPerColumn, storage: &storage)
            }
        }
        return parts.map { $0! }
    }

    /// Transformed class z = y·t + (1 − y)(1 − t) and weights n / (2 n_arm), so that with unequal
    /// arms 2 P(z = 1 | x) − 1 is still the uplift (Jaskowski & Jaroszewicz 2012, section 3).
    static func transformedClass(y: [Double], treated: [Bool]) -> (z: [Double], weights: [Double]) {
        let n = Double(y.count), nt = Double(treated.filter { $0 }.count), nc = n - nt
        let z = zip(y, treated).map { $1 ? $0 : 1 - $0 }
        let w = treated.map { $0 ? n / (2 * nt) : n / (2 * nc) }
        return (z, w)
    }

    /// One logistic fit on `rows` of the design; an arm that is too small or has one outcome is an
    /// error naming it, and the logistic core's errors (separation, collinearity) name it too.
    /// `storage` is reused for the part's design (see `Matrix.gatheringRows(_:reusing:)`).
    static func fitPart(arm: String, x: Matrix, names: [String], rows: [Int], y: [Double], weights: [Double]?,
                        options: LogisticOptions, minimumRowsPerColumn: Int, storage: inout [Double]) throws -> Part {
        let positives = Int(y.reduce(0, +))
        let needed = minimumRowsPerColumn * names.count
        guard rows.count >= needed else {
            throw ResponseError.armTooSmall(arm: arm, rows: rows.count, positives: positives,
                                            message: "at least \(needed) rows are needed for \(names.count) design columns; use fewer features (--exclude) or merge arms")
        }
        guard positives > 0, positives < rows.count else {
            throw ResponseError.armTooSmall(arm: arm, rows: rows.count, positives: positives,
                                            message: "both outcomes must occur in every arm to fit a response model")
        }
        let fit: LogisticFit
        do {
            fit = try LogisticRegression.fit(x: x.gatheringRows(rows, reusing: &storage), names: names, y: y,
                                             weights: weights, options: options)
        } catch let error as ChurnError {
            if case .numerical = error { throw ResponseError.numerical("arm '\(arm)': \(error)") }
            throw ResponseError.invalidInput("arm '\(arm)': \(error)")
        }
        return Part(arm: arm, rows: rows.count, positives: positives, coefficients: fit.coefficients,
                    logLikelihood: fit.logLikelihood, converged: fit.converged, iterations: fit.iterations,
                    gradientNorm: fit.maxAbsGradient, newtonDecrement: fit.newtonDecrement)
    }

    static func trainingReport(_ model: UpliftModel, holdout: UpliftEvaluation?, options: UpliftFitOptions) -> String {
        var lines = ["uplift model (\(model.method.rawValue)): target \(model.target.column) = '\(model.target.positive)', treatment column \(model.treatmentColumn), control '\(model.control)'"]
        lines.append("rows used: \(Int(model.training.customers)) of \(model.training.rows ?? 0)"
                     + (options.holdoutFraction.map { String(format: " (%.0f%% held out, seed \(options.seed))", $0 * 100) } ?? ""))
        lines.append("penalty: " + (model.l2 > 0 ? "L2, lambda = \(model.l2)" : "none (maximum likelihood)"))
        lines.append("design columns: \(model.designNames.joined(separator: ", "))")
        for p in model.parts {
            lines.append(String(format: "  %@ %@: %d rows, %d positive (%.2f%%), log-likelihood %.3f, %@ after %d Newton steps",
                                model.method == .twoModel ? "arm" : "treatment", p.arm, p.rows, p.positives,
                                100 * Double(p.positives) / Double(max(p.rows, 1)), p.logLikelihood,
                                p.converged ? "converged" : "NOT CONVERGED", p.iterations))
        }
        if let holdout { lines.append(""); lines.append("holdout evaluation:"); lines.append(holdout.report) }
        return lines.joined(separator: "\n")
    }

    // MARK: - Scoring

    /// Scores every row of `table` (which needs neither the outcome nor the treatment column).
    public func predict(_ table: CustomerTable, unseenLevels: UnseenLevelPolicy = .error) throws -> UpliftScores {
        let design = try encoding.design(for: table, unseenLevels: unseenLevels)
        guard design.names == designNames else {
            throw ResponseError.wrongModelFile(path: "model", message: "its encoding produces columns \(design.names) but it has coefficients for \(designNames)")
        }
        let probabilities = try parts.map { try LogisticRegression.probabilities(x: design.x, coefficients: $0.coefficients) }
        var scores = UpliftScores(idColumn: idColumn ?? "row", ids: [], rowIndices: design.rowIndices, treatments: treatments,
                                  controlProbability: nil, treatmentProbability: nil, uplift: [],
                                  rejected: design.rejected, unseenFallbackRows: design.unseenFallbackRows)
        switch method {
        case .twoModel:
            let control = probabilities[0]
            scores.controlProbability = control
            scores.treatmentProbability = Array(probabilities.dropFirst())
            scores.uplift = probabilities.dropFirst().map { pt in zip(pt, control).map { $0 - $1 } }
        case .classTransformation:
            scores.uplift = probabilities.map { pz in pz.map { 2 * $0 - 1 } }
        }
        if let idColumn, table.hasColumn(idColumn) {
            let raw = try table.column(named: idColumn)
            scores.ids = design.rowIndices.map { raw[$0] }
        } else {
            scores.ids = design.rowIndices.map { String(table.lineNumbers[$0]) }
        }
        return scores
    }

    public func predict(csv url: URL, format: TableTextFormat = TableTextFormat(), unseenLevels: UnseenLevelPolicy = .error) throws -> UpliftScores {
        try predict(try CustomerTable(path: url.path, format: format), unseenLevels: unseenLevels)
    }

    /// Evaluates the uplift ranking on a table with the treatment and outcome columns (see `UpliftEvaluation`).
    public func evaluate(_ table: CustomerTable, unseenLevels: UnseenLevelPolicy = .error) throws -> UpliftEvaluation {
        guard table.hasColumn(target.column) else {
            throw ResponseError.invalidInput("\(table.source): no outcome column '\(target.column)'; evaluation needs the observed outcomes")
        }
        let arms = try TreatmentArms(table: table, column: treatmentColumn, control: control)
        if let unknown = arms.treatments.first(where: { !treatments.contains($0) }) {
            throw ResponseError.invalidInput("\(table.source): treatment '\(unknown)' in column '\(treatmentColumn)' was not in the training data (\(treatments.joined(separator: ", ")))")
        }
        let scores = try predict(table, unseenLevels: unseenLevels)
        let y = try FeatureEncoding.targetValues(table, target: target, rows: scores.rowIndices)
        let arm = scores.rowIndices.map { arms.armOfRow[$0] }
        let results = try treatments.enumerated().compactMap { k, name -> UpliftEvaluation.Treatment? in
            guard let t = arms.treatments.firstIndex(of: name).map({ $0 + 1 }) else { return nil }
            let rows = arm.indices.filter { arm[$0] == 0 || arm[$0] == t }
            return try UpliftEvaluation.Treatment(name: name, outcomes: rows.map { y[$0] },
                                                  treated: rows.map { arm[$0] == t }, uplift: rows.map { scores.uplift[k][$0] })
        }
        return UpliftEvaluation(method: method, outcome: target.column, treatments: results)
    }
}
