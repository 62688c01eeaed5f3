import Churn
import CustomerData
import Foundation

/// How the uplift is estimated.
public enum UpliftMethod: String, Codable, CaseIterable, Sendable {
    /// One logistic response model per arm; uplift = P(y | x, treatment) − P(y | x, control)
    /// (the "T-learner", scikit-uplift's `TwoModels` with the vanilla method).
    case twoModel = "two-model"
    /// One logistic model per treatment on the transformed class z = y·t + (1 − y)(1 − t), rows
    /// weighted so both arms weigh half; uplift = 2 P(z = 1 | x) − 1 (Jaskowski & Jaroszewicz 2012,
    /// "Uplift modeling for clinical trial data", eq. 4; Athey & Imbens' transformed outcome).
    /// It estimates the uplift directly, so it gives no per-arm probabilities.
    case classTransformation = "class-transformation"
}

/// A fitted uplift model as stored on disk: one file for all treatments of a campaign, with the
/// feature encoding (so scoring repeats the training transform) and the logistic coefficients of
/// each fitted part. Holds no customer rows.
public struct UpliftModel: Codable, Equatable, Sendable {
    public static let kind = ResponseModelKind.uplift.rawValue
    public static let currentFormatVersion = 1

    /// One logistic fit: the response model of an arm (two-model) or the transformed-class model of
    /// a treatment (class transformation).
    public struct Part: Codable, Equatable, Sendable {
        /// The arm (two-model) or treatment (class transformation) the part belongs to.
        public var arm: String
        public var rows: Int
        public var positives: Int
        public var coefficients: [Double]
        public var logLikelihood: Double
        public var converged: Bool
        public var iterations: Int

        enum CodingKeys: String, CodingKey {
            case arm, rows, positives, coefficients, converged, iterations
            case logLikelihood = "log_likelihood"
        }
    }

    public struct TrainingData: Codable, Equatable, Sendable {
        public var file: String?
        public var fnv1a64: String
        public var rows: Int
        public var rowsUsed: Int
        public var heldOut: Int

        enum CodingKeys: String, CodingKey {
            case file, fnv1a64, rows
            case rowsUsed = "rows_used"
            case heldOut = "held_out"
        }
    }

    public var formatVersion: Int
    public var kind: String
    public var method: UpliftMethod
    public var treatmentColumn: String
    public var control: String
    public var treatments: [String]
    public var target: TargetEncoding
    public var idColumn: String?
    public var encoding: FeatureEncoding
    /// Design column names (intercept first), shared by every part.
    public var designNames: [String]
    public var l2: Double
    public var parts: [Part]
    public var trainingData: TrainingData

    // Spelled out (no key strategy): the embedded `FeatureEncoding` has its own snake_case keys.
    enum CodingKeys: String, CodingKey {
        case kind, method, control, treatments, target, encoding, l2, parts
        case formatVersion = "format_version"
        case treatmentColumn = "treatment_column"
        case idColumn = "id_column"
        case designNames = "design_names"
        case trainingData = "training_data"
    }

    public var converged: Bool { parts.allSatisfy(\.converged) }

    public func write(to url: URL) throws { try ResponseModelFile.write(self, to: url) }

    public static func load(from url: URL) throws -> UpliftModel {
        try ResponseModelFile.read(UpliftModel.self, from: url, kind: .uplift, currentVersion: currentFormatVersion)
    }
}

/// Per-customer uplift scores: P(response) under control and each treatment (two-model) and the
/// uplift of each treatment.
public struct UpliftScores: Sendable {
    public var idColumn: String
    public var ids: [String]
    /// Table row of each score (for evaluation against the same table's outcomes).
    public var rowIndices: [Int]
    public var treatments: [String]
    /// P(y = 1 | x, control); nil for methods that estimate the uplift directly.
    public var controlProbability: [Double]?
    /// P(y = 1 | x, treatment k), one array per treatment; nil as above.
    public var treatmentProbability: [[Double]]?
    /// Uplift of treatment k, one array per treatment.
    public var uplift: [[Double]]
    public var rejected: [ExcludedRow]
    public var unseenFallbackRows: Int

    /// Column names of the output: id, p_control, p_<t>..., uplift_<t>... (treatment values as in the data).
    public var header: [String] {
        var h = [idColumn]
        if controlProbability != nil { h += ["p_control"] + treatments.map { "p_\($0)" } }
        return h + treatments.map { "uplift_\($0)" }
    }

    /// Streams the scores to `path` (CSV or JSON lines, `-` = stdout), atomically.
    public func write(to path: String, format: TableFormat? = nil) throws {
        let out = try TableWriter(path: path, header: header, format: format)
        for i in ids.indices {
            var row: [CSVCell] = [.text(ids[i])]
            if let pc = controlProbability, let pt = treatmentProbability {
                row.append(.number(pc[i]))
                for k in treatments.indices { row.append(.number(pt[k][i])) }
            }
            for k in treatments.indices { row.append(.number(uplift[k][i])) }
            try out.append(row)
        }
        try out.commit()
    }

    public var report: String {
        var s = "scored \(ids.count) customers for \(treatments.count) treatment(s)"
        for (k, t) in treatments.enumerated() {
            let u = uplift[k], mean = u.reduce(0, +) / Double(max(u.count, 1))
            let positive = u.filter { $0 > 0 }.count
            s += String(format: "\n  %@: mean predicted uplift %.4f, positive for %d of %d", t, mean, positive, u.count)
        }
        if !rejected.isEmpty { s += "\n\(rejected.count) rows not scored (blank values), first at line \(rejected[0].line)" }
        if unseenFallbackRows > 0 { s += "\n\(unseenFallbackRows) rows had unseen levels scored as the reference level" }
        return s
    }
}

extension UpliftScores {
    /// The customers of one shard (all for nil), in order.
    public func selecting(_ shard: CustomerShard?) -> UpliftScores {
        guard let shard else { return self }
        let keep = ids.indices.filter { shard.contains(ids[$0]) }
        var copy = self
        copy.ids = keep.map { ids[$0] }
        copy.rowIndices = keep.map { rowIndices[$0] }
        copy.controlProbability = controlProbability.map { p in keep.map { p[$0] } }
        copy.treatmentProbability = treatmentProbability.map { ps in ps.map { p in keep.map { p[$0] } } }
        copy.uplift = uplift.map { u in keep.map { u[$0] } }
        return copy
    }
}
