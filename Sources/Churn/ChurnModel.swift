import CustomerData
import Foundation
import Linalg
import Models

/// A fitted churn model as stored on disk: the common model-file header (`Models.ModelFileFormat`:
/// format version, kind, producer, time unit for summary models, training data, convergence, notes)
/// and the churn payload: the coefficients with names and standard errors, the complete feature
/// encoding (so scoring repeats the training transform exactly) and the penalty. It holds no
/// customer rows. Files of format version 1 (the churn model's own former header) still read.
public struct ChurnModel: Codable, Equatable, Sendable {
    public static let kind = ModelKind.logisticChurn
    /// The format version this build writes (shared by every model kind).
    public static var currentFormatVersion: Int { ModelFileFormat.currentVersion }

    public struct Coefficient: Codable, Equatable, Sendable {
        public var name: String
        public var estimate: Double
        public var stdError: Double?
        public var z: Double?
        public var pValue: Double?

        enum CodingKeys: String, CodingKey {
            case name, estimate, z
            case stdError = "std_error"
            case pValue = "p_value"
        }
    }

    public struct Penalty: Codable, Equatable, Sendable {
        /// λ of −LL + λ/2 Σ β_j² (intercept not penalised); scikit-learn's C = 1/λ.
        public var l2: Double
        /// λ₁ of + λ₁ Σ |β_j| (intercept not penalised); 0 in files written before it existed.
        public var l1: Double = 0
        public var interceptPenalised: Bool
        /// "fixed" or e.g. "5-fold cross-validation, seed 20240601".
        public var chosenBy: String

        enum CodingKeys: String, CodingKey {
            case l2, l1
            case interceptPenalised = "intercept_penalised"
            case chosenBy = "chosen_by"
        }

        public init(l2: Double, l1: Double = 0, interceptPenalised: Bool, chosenBy: String) {
            self.l2 = l2; self.l1 = l1; self.interceptPenalised = interceptPenalised; self.chosenBy = chosenBy
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            l2 = try c.decode(Double.self, forKey: .l2)
            l1 = try c.decodeIfPresent(Double.self, forKey: .l1) ?? 0
            interceptPenalised = try c.decode(Bool.self, forKey: .interceptPenalised)
            chosenBy = try c.decode(String.self, forKey: .chosenBy)
        }
    }

    public struct DroppedColumn: Codable, Equatable, Sendable {
        public var name: String
        /// What the column equals, e.g. "InternetService_No".
        public var equals: String
    }

    // Header (the same fields as every model file).
    public var formatVersion: Int
    public var kind: ModelKind
    public var producer: String
    /// The summary's calendar unit for models trained on transaction summaries; nil for customer tables.
    public var timeUnit: ModelTimeUnit?
    /// The training data: rows used (`customers`), rows in the file, its fingerprint and source.
    public var training: ModelTraining
    /// How the Newton iteration ended: `gradientNorm` is max |∂(penalised −LL)/∂β_j| and the
    /// decrement g^T H^-1 g at the last point they were evaluated, i.e. before the final (tiny)
    /// step; the step itself is what the convergence test bounds (|Δβ_j| ≤ tolerance · (1 + |β_j|)).
    public var convergence: Convergence
    public var notes: [String] = []

    // Payload.
    public var target: TargetEncoding
    public var idColumn: String?
    public var weightColumn: String?
    public var classWeights: [String: Double]?
    public var encoding: FeatureEncoding
    public var coefficients: [Coefficient]
    public var penalty: Penalty
    public var logLikelihood: Double
    public var nullLogLikelihood: Double
    public var droppedCollinear: [DroppedColumn]
    /// Set when the model was trained on a transaction summary (`train(summary:purchaseModel:options:)`):
    /// the standardised summary features and the purchase model behind `p_alive`. Such a model scores
    /// summaries only, and its `encoding` is empty.
    public var transactionFeatures: TransactionFeatureTransform? = nil
    /// The holdout split the fit left out (`--holdout`), so a report can evaluate on exactly those
    /// rows of the training data. Optional: files without it read as before.
    public var holdoutSplit: HoldoutSplit? = nil
    /// The rows the model was fitted on when not the whole table (`--where`): scores and
    /// evaluations outside them mean nothing. Optional: files without it read as before.
    public var population: Population? = nil

    /// The condition that chose the training rows and how many of the table's rows it kept.
    public struct Population: Codable, Equatable, Sendable {
        public var condition: String
        public var rows: Int
        public var tableRows: Int
        enum CodingKeys: String, CodingKey { case condition, rows, tableRows = "table_rows" }
        public init(condition: String, rows: Int, tableRows: Int) { self.condition = condition; self.rows = rows; self.tableRows = tableRows }
    }

    /// A seeded split: `CrossValidation.holdoutSplit(rows:testFraction:seed:)` over the rows the fit saw.
    public struct HoldoutSplit: Codable, Equatable, Sendable {
        public var testFraction: Double
        public var seed: UInt64
        enum CodingKeys: String, CodingKey { case seed, testFraction = "test_fraction" }
        public init(testFraction: Double, seed: UInt64) { self.testFraction = testFraction; self.seed = seed }
    }

    /// What the model predicts, for reports: "churn" or the kind (e.g. "propensity").
    public var purpose: String { kind == Self.kind ? "churn" : kind.rawValue }

    /// The report's words for the outcomes: churn / stay, or the target's values (`OnlineSecurity = Yes`).
    public var outcomeNames: OutcomeNames {
        kind == Self.kind ? .churn
            : OutcomeNames(positive: target.positive, negative: target.negative, positiveRows: "\(target.column) = \(target.positive)")
    }

    /// The score table's probability column: `churn_probability`, or the kind (e.g. `propensity`).
    public var scoreColumn: String { kind == Self.kind ? "churn_probability" : kind.rawValue }

    enum CodingKeys: String, ModelFileCodingKey {
        case formatVersion = "format_version"
        case timeUnit = "time_unit"
        case idColumn = "id_column"
        case weightColumn = "weight_column"
        case classWeights = "class_weights"
        case logLikelihood = "log_likelihood"
        case nullLogLikelihood = "null_log_likelihood"
        case droppedCollinear = "dropped_collinear"
        case transactionFeatures = "transaction_features"
        case holdoutSplit = "holdout_split"
        case population
        case kind, producer, training, convergence, notes, target, encoding, coefficients, penalty
        /// Format version 1 only.
        case trainingData = "training_data"
    }

    /// True when the model scores customer summaries rather than customer tables.
    public var usesTransactionSummary: Bool { transactionFeatures != nil }

    // MARK: - Scoring

    /// Churn probabilities for the rows of `table`, through the stored encoding.
    /// Rows left out by the drop-rows blank policy are listed in the returned design's `rejected`.
    public func score(_ table: CustomerTable, unseenLevels: UnseenLevelPolicy = .error) throws -> (design: Design, probabilities: [Double]) {
        try requireTableModel()
        let design = try encoding.design(for: table, unseenLevels: unseenLevels)
        guard design.names == coefficients.map(\.name) else {
            throw ChurnError.wrongModelFile(path: "model", message: "its encoding produces columns \(design.names) but it has coefficients for \(coefficients.map(\.name))")
        }
        let p = try LogisticRegression.probabilities(x: design.x, coefficients: coefficients.map(\.estimate))
        return (design, p)
    }

    /// Throws unless the model scores customer tables (a transaction-summary model needs a summary).
    func requireTableModel() throws {
        guard transactionFeatures == nil else {
            throw ChurnError.wrongModelFile(path: "model", message: "was trained on transaction-summary features (frequency, recency, T, ...); score it with a customer summary (--summary), not a customer table")
        }
    }

    // MARK: - File

    /// Writes the model as pretty-printed JSON, atomically (`CustomerData.AtomicFile`: temporary
    /// file, fsync, rename).
    public func write(to url: URL) throws {
        try AtomicFile.write(try ModelFileFormat.encoder().encode(self), to: url)
    }

    /// The fingerprint of a training file's bytes as stored in `training.fingerprint`:
    /// `fnv1a64:` and the FNV-1a 64-bit hash in 16 hex digits (the format of `Models.DataFingerprint`).
    public static func fingerprint(of data: Data) -> String {
        var hash = FNV1a()
        hash.add(bytes: data)
        return "fnv1a64:" + hash.hex
    }

    /// Reads a model file, refusing other kinds than `expectedKind` and newer format versions with a clear message.
    public static func load(from url: URL, expectedKind: ModelKind = kind) throws -> ChurnModel {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ChurnError.wrongModelFile(path: url.path, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try decode(data, path: url.path, expectedKind: expectedKind)
    }

    /// Decodes model JSON of format version 1 or 2 (see `load`).
    public static func decode(_ data: Data, path: String = "model", expectedKind: ModelKind = kind) throws -> ChurnModel {
        let header: ModelFileFormat.Header
        do { header = try ModelFileFormat.header(of: data, source: path) } catch {
            let message = "\(error)"
            throw ChurnError.wrongModelFile(path: path, message: message.hasPrefix(path + " ") ? String(message.dropFirst(path.count + 1)) : message)
        }
        guard header.kind == expectedKind else {
            throw ChurnError.wrongModelFile(path: path, message: "is a '\(header.kind.rawValue)' model, not a '\(expectedKind.rawValue)' model")
        }
        do { return try JSONDecoder().decode(ChurnModel.self, from: data) } catch {
            throw ChurnError.wrongModelFile(path: path, message: "is damaged or incomplete: \(error)")
        }
    }
}

extension ChurnModel {
    /// Decodes the current layout, or version 1: the training data under `training_data`
    /// ({file, fnv1a64, bytes, rows, rows_used}), the Newton convergence as
    /// {converged, iterations, max_abs_gradient, newton_decrement}, no producer, notes or time unit.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        kind = try c.decode(ModelKind.self, forKey: .kind)
        target = try c.decode(TargetEncoding.self, forKey: .target)
        idColumn = try c.decodeIfPresent(String.self, forKey: .idColumn)
        weightColumn = try c.decodeIfPresent(String.self, forKey: .weightColumn)
        classWeights = try c.decodeIfPresent([String: Double].self, forKey: .classWeights)
        encoding = try c.decode(FeatureEncoding.self, forKey: .encoding)
        coefficients = try c.decode([Coefficient].self, forKey: .coefficients)
        penalty = try c.decode(Penalty.self, forKey: .penalty)
        logLikelihood = try c.decode(Double.self, forKey: .logLikelihood)
        nullLogLikelihood = try c.decode(Double.self, forKey: .nullLogLikelihood)
        droppedCollinear = try c.decode([DroppedColumn].self, forKey: .droppedCollinear)
        transactionFeatures = try c.decodeIfPresent(TransactionFeatureTransform.self, forKey: .transactionFeatures)
        holdoutSplit = try c.decodeIfPresent(HoldoutSplit.self, forKey: .holdoutSplit)
        population = try c.decodeIfPresent(Population.self, forKey: .population)
        let header: ModelFileHeaderFields
        if formatVersion >= 2 {
            header = try c.decodeModelHeader()
            timeUnit = try c.decodeIfPresent(ModelTimeUnit.self, forKey: .timeUnit)
        } else {
            let v1 = try c.decode(TrainingDataV1.self, forKey: .trainingData)
            let newton = try c.decode(ConvergenceV1.self, forKey: .convergence)
            timeUnit = try transactionFeatures.map { try ModelTimeUnit(parsing: $0.timeUnit) }
            header = .versionOne(training: ModelTraining(customers: Double(v1.rows_used), rows: v1.rows,
                                                         fingerprint: v1.fnv1a64.isEmpty ? "" : "fnv1a64:" + v1.fnv1a64,
                                                         source: v1.file, bytes: v1.bytes > 0 ? v1.bytes : nil),
                                 convergence: Convergence(converged: newton.converged, iterations: newton.iterations, evaluations: newton.iterations,
                                                          gradientNorm: newton.max_abs_gradient, newtonDecrement: newton.newton_decrement,
                                                          message: newton.converged ? "converged" : "not converged"))
        }
        (producer, training, convergence, notes) = (header.producer, header.training, header.convergence, header.notes)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        // Always the current layout, so a model read from a version 1 file is written as version 2.
        try c.encodeModelHeader(kind: kind, producer: producer, training: training, convergence: convergence, notes: notes)
        try c.encodeIfPresent(timeUnit, forKey: .timeUnit)
        try c.encode(target, forKey: .target)
        try c.encodeIfPresent(idColumn, forKey: .idColumn)
        try c.encodeIfPresent(weightColumn, forKey: .weightColumn)
        try c.encodeIfPresent(classWeights, forKey: .classWeights)
        try c.encode(encoding, forKey: .encoding)
        try c.encode(coefficients, forKey: .coefficients)
        try c.encode(penalty, forKey: .penalty)
        try c.encode(logLikelihood, forKey: .logLikelihood)
        try c.encode(nullLogLikelihood, forKey: .nullLogLikelihood)
        try c.encode(droppedCollinear, forKey: .droppedCollinear)
        try c.encodeIfPresent(transactionFeatures, forKey: .transactionFeatures)
        try c.encodeIfPresent(holdoutSplit, forKey: .holdoutSplit)
        try c.encodeIfPresent(population, forKey: .population)
    }

    /// `training_data` of format version 1.
    private struct TrainingDataV1: Decodable {
        var file: String?
        var fnv1a64: String
        var bytes: Int
        var rows: Int
        var rows_used: Int
    }

    /// `convergence` of format version 1.
    private struct ConvergenceV1: Decodable {
        var converged: Bool
        var iterations: Int
        var max_abs_gradient: Double
        var newton_decrement: Double
    }
}
