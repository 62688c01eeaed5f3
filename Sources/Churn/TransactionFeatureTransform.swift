import CustomerData
import Foundation
import Linalg
import Models

/// What a churn model trained on a transaction summary stores so that scoring repeats the training
/// transform exactly: the design columns it kept (see `TransactionChurnFeatures`), the training
/// means and scales that standardise them, the summary's time unit, and, when the model uses the
/// `p_alive` feature, which repeat-purchase model produced it.
///
/// Standardising (x − mean) / scale puts frequency (0…100), T (weeks) and the log1p columns on one
/// scale, so the Newton iteration is well conditioned and an L2 penalty treats them alike. The
/// intercept is never standardised. Means and scales are learnt on the training rows only.
public struct TransactionFeatureTransform: Codable, Equatable, Sendable {
    /// One standardised design column.
    public struct Column: Codable, Equatable, Sendable {
        public var name: String
        /// Training mean of the raw feature.
        public var mean: Double
        /// Training population standard deviation of the raw feature (> 0).
        public var scale: Double
    }

    /// Which repeat-purchase model supplied P(alive): its kind (e.g. "bg-nbd"), an FNV-1a 64
    /// fingerprint of its parameters' bits, and the parameters themselves (for reading the file).
    public struct PurchaseModelReference: Codable, Equatable, Sendable {
        public var kind: String
        public var fingerprint: String
        public var parameters: [Double]

        /// The reference of `model`.
        public init(_ model: any RepeatPurchaseModel) {
            kind = type(of: model).kind.rawValue
            parameters = model.parameters
            var hash = FNV1a()
            for p in parameters { hash.add(p.bitPattern) }
            fingerprint = "fnv1a64:" + hash.hex
        }
    }

    /// Always "transaction-summary": says how the features were made, for readers of the file.
    public var source: String
    /// The source features the standardised columns come from, before collinear drops (in order,
    /// intercept excluded): `TransactionChurnFeatures.names` (+ `p_alive`).
    public var features: [Column]
    /// Design columns left out at training time: constant features (e.g. monetary values of a
    /// summary without amounts, which are all 0: collinear with the intercept) and columns the fit
    /// dropped as collinear (see `LogisticRegression`).
    public var droppedDesignColumns: [String]
    /// True when the design has the `p_alive` column, so scoring needs `purchaseModel`.
    public var usesPAlive: Bool
    /// The repeat-purchase model P(alive) came from (nil when `usesPAlive` is false).
    public var purchaseModel: PurchaseModelReference?
    /// Time unit of the training summary ("week", ...): recency and T of scored summaries must use it.
    public var timeUnit: String

    enum CodingKeys: String, CodingKey {
        case source, features
        case droppedDesignColumns = "dropped_design_columns"
        case usesPAlive = "uses_p_alive"
        case purchaseModel = "purchase_model"
        case timeUnit = "time_unit"
    }

    /// Names of the design columns the coefficients belong to, intercept first.
    public var designNames: [String] {
        let dropped = Set(droppedDesignColumns)
        return [FeatureEncoding.interceptName] + features.map(\.name).filter { !dropped.contains($0) }
    }

    /// Learns means and scales from the rows `rows` of a raw design from
    /// `TransactionChurnFeatures.design` (intercept in column 0). A feature that is constant on
    /// those rows carries no information (a multiple of the intercept) and is left out, listed in
    /// `droppedDesignColumns` (the features are Klant's, not the user's, so this is not an error).
    static func learn(x: Matrix, names: [String], rows: [Int], purchaseModel: (any RepeatPurchaseModel)?,
                      timeUnit: TimeUnit) throws -> TransactionFeatureTransform {
        var features: [Column] = []
        var constant: [String] = []
        for j in 1..<names.count {
            let column = x.values[(j * x.rows)..<((j + 1) * x.rows)]
            let values = rows.map { column[column.startIndex + $0] }
            let mean = values.reduce(0, +) / Double(values.count)
            let scale = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
            guard scale.isFinite else {
                throw ChurnError.numerical("transaction feature '\(names[j])' is not finite on the training customers")
            }
            if scale == 0 { constant.append(names[j]) }
            features.append(Column(name: names[j], mean: mean, scale: scale > 0 ? scale : 1))
        }
        guard constant.count < features.count else {
            throw ChurnError.constantColumn(column: constant.joined(separator: ", "), value: "the same for every training customer")
        }
        return TransactionFeatureTransform(source: "transaction-summary", features: features, droppedDesignColumns: constant,
                                           usesPAlive: purchaseModel != nil,
                                           purchaseModel: purchaseModel.map(PurchaseModelReference.init),
                                           timeUnit: timeUnit.rawValue)
    }

    /// The standardised design of `summary` with the kept columns (`designNames`), ready for the
    /// coefficients. Checks the summary's time unit and the purchase model against the stored ones.
    func design(summary: CustomerSummary, purchaseModel: (any RepeatPurchaseModel)?) throws -> Matrix {
        guard summary.timeUnit.rawValue == timeUnit else {
            throw ChurnError.invalidOption("the churn model was trained on a summary in \(timeUnit)s but this summary is in \(summary.timeUnit.rawValue)s; summarise the transactions with the same time unit")
        }
        let pAlive = try pAliveIfUsed(summary: summary, purchaseModel: purchaseModel)
        let raw = try TransactionChurnFeatures.design(summary: summary, pAlive: pAlive)
        let expected = [FeatureEncoding.interceptName] + features.map(\.name)
        guard raw.names == expected else {
            throw ChurnError.wrongModelFile(path: "model", message: "its transaction features \(expected) differ from the ones this Klant builds (\(raw.names))")
        }
        var x = raw.x
        for (k, f) in features.enumerated() {
            let start = (k + 1) * x.rows
            for i in start..<(start + x.rows) { x.values[i] = (x.values[i] - f.mean) / f.scale }
        }
        let keep = designNames.map { expected.firstIndex(of: $0)! }
        return keep.count == expected.count ? x : CrossValidation.selectColumns(x, keep)
    }

    /// P(alive) of every customer when the model uses it; refuses a missing or different purchase model.
    func pAliveIfUsed(summary: CustomerSummary, purchaseModel: (any RepeatPurchaseModel)?) throws -> [Double]? {
        guard usesPAlive else { return nil }
        guard let reference = self.purchaseModel else {
            throw ChurnError.wrongModelFile(path: "model", message: "uses p_alive but does not record which purchase model produced it")
        }
        guard let purchaseModel else {
            throw ChurnError.invalidOption("the churn model was trained with the p_alive feature from a \(reference.kind) model (\(reference.fingerprint)); give that purchase model (--purchase-model) to score with it")
        }
        let given = PurchaseModelReference(purchaseModel)
        guard given.kind == reference.kind, given.fingerprint == reference.fingerprint else {
            throw ChurnError.invalidOption("the churn model was trained with p_alive from a \(reference.kind) model (\(reference.fingerprint)) but the given purchase model is a \(given.kind) model (\(given.fingerprint)); give the purchase model the churn model was trained with")
        }
        return TransactionFeatureTransform.pAlive(summary: summary, model: purchaseModel)
    }

    /// P(alive | x, t_x, T) of every customer of `summary` under `model` (on all cores).
    static func pAlive(summary: CustomerSummary, model: any RepeatPurchaseModel) -> [Double] {
        model.score(horizon: 1, frequency: summary.frequency, recency: summary.recency, T: summary.T).probabilityAlive
    }
}
