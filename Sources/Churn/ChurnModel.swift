import CustomerData
import Foundation
import Linalg
import Models

/// A fitted churn model as stored on disk: versioned JSON (`format_version`, `kind`), the
/// coefficients with names and standard errors, the complete feature encoding (so scoring repeats
/// the training transform exactly), the penalty, how the fit converged, and a fingerprint of the
/// training data. It holds no customer rows.
public struct ChurnModel: Codable, Equatable, Sendable {
    public static let kind = "logistic-churn"
    /// Bump when the file layout changes; older readers refuse newer files.
    public static let currentFormatVersion = 1

    public struct Coefficient: Codable, Equatable, Sendable {
        public var name: String
        public var estimate: Double
        public var stdError: Double?
        public var z: Double?
        public var pValue: Double?
    }

    public struct Penalty: Codable, Equatable, Sendable {
        /// λ of −LL + λ/2 Σ β_j² (intercept not penalised); scikit-learn's C = 1/λ.
        public var l2: Double
        /// λ₁ of + λ₁ Σ |β_j| (intercept not penalised); 0 in files written before it existed.
        public var l1: Double = 0
        public var interceptPenalised: Bool
        /// "fixed" or e.g. "5-fold cross-validation, seed 20240601".
        public var chosenBy: String

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

    /// How the Newton iteration ended. The gradient and decrement are those at the last point where
    /// they were evaluated, i.e. before the final (tiny) step; the step itself is what the
    /// convergence test bounds (every |Δβ_j| ≤ tolerance · (1 + |β_j|)).
    public struct Convergence: Codable, Equatable, Sendable {
        public var converged: Bool
        public var iterations: Int
        public var maxAbsGradient: Double
        public var newtonDecrement: Double
    }

    /// Identifies the training data without storing it: FNV-1a (64-bit, `Models.FNV1a`, 16 hex
    /// digits) of the file's bytes, its size, and the row counts.
    public struct Fingerprint: Codable, Equatable, Sendable {
        public var file: String?
        public var fnv1a64: String
        public var bytes: Int
        public var rows: Int
        public var rowsUsed: Int
    }

    public struct DroppedColumn: Codable, Equatable, Sendable {
        public var name: String
        /// What the column equals, e.g. "InternetService_No".
        public var equals: String
    }

    public var formatVersion: Int
    public var kind: String
    public var target: TargetEncoding
    public var idColumn: String?
    public var weightColumn: String?
    public var classWeights: [String: Double]?
    public var encoding: FeatureEncoding
    public var coefficients: [Coefficient]
    public var penalty: Penalty
    public var convergence: Convergence
    public var logLikelihood: Double
    public var nullLogLikelihood: Double
    public var droppedCollinear: [DroppedColumn]
    public var trainingData: Fingerprint
    /// Set when the model was trained on a transaction summary (`train(summary:purchaseModel:options:)`):
    /// the standardised summary features and the purchase model behind `p_alive`. Such a model scores
    /// summaries only, and its `encoding` is empty. Optional, so files without it (customer-table
    /// models) read and write exactly as before and the format version stays 1.
    public var transactionFeatures: TransactionFeatureTransform? = nil

    /// What the model predicts, for reports: "churn" or the kind (e.g. "propensity").
    public var purpose: String { kind == Self.kind ? "churn" : kind }

    /// The score table's probability column: `churn_probability`, or the kind (e.g. `propensity`).
    public var scoreColumn: String { kind == Self.kind ? "churn_probability" : kind }

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
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: url)
    }

    /// The FNV-1a 64-bit hash of `data` as 16 hex digits, as stored in `Fingerprint.fnv1a64`.
    public static func fingerprint(of data: Data) -> String {
        var hash = FNV1a()
        hash.add(bytes: data)
        return hash.hex
    }

    /// Reads a model file, refusing other kinds than `expectedKind` and newer format versions with a clear message.
    public static func load(from url: URL, expectedKind: String = kind) throws -> ChurnModel {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ChurnError.wrongModelFile(path: url.path, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try decode(data, path: url.path, expectedKind: expectedKind)
    }

    /// Decodes model JSON (see `load`).
    public static func decode(_ data: Data, path: String = "model", expectedKind: String = kind) throws -> ChurnModel {
        struct Header: Decodable { var formatVersion: Int?; var kind: String? }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let header = try? decoder.decode(Header.self, from: data) else {
            throw ChurnError.wrongModelFile(path: path, message: "not a JSON model file")
        }
        guard header.kind == expectedKind else {
            throw ChurnError.wrongModelFile(path: path, message: "is a '\(header.kind ?? "unknown")' model, not a '\(expectedKind)' model")
        }
        guard let version = header.formatVersion else { throw ChurnError.wrongModelFile(path: path, message: "has no format_version") }
        guard version <= currentFormatVersion else {
            throw ChurnError.wrongModelFile(path: path, message: "has format_version \(version), newer than this Klant reads (\(currentFormatVersion)); upgrade Klant")
        }
        do { return try decoder.decode(ChurnModel.self, from: data) } catch {
            throw ChurnError.wrongModelFile(path: path, message: "is damaged or incomplete: \(error)")
        }
    }
}
