import Churn
import CustomerData
import Foundation
import Models

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

/// A fitted uplift model as stored on disk: one file for all treatments of a campaign, in the one
/// model-file format (`Models.ModelFileFormat`: format version, kind, producer, training data,
/// convergence, notes), with the feature encoding (so scoring repeats the training transform) and
/// the logistic coefficients of each fitted part. Holds no customer rows. Files of format version 1
/// (the uplift model's own former header, `training_data`) still read.
public struct UpliftModel: Codable, Equatable, Sendable {
    public static let kind = ResponseModelKind.uplift.rawValue
    /// The format version this build writes (shared by every model kind).
    public static var currentFormatVersion: Int { ModelFileFormat.currentVersion }

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
        /// max |∂(penalised −LL)/∂β| and the Newton decrement² before the last Newton step (nil in
        /// format version 1 files).
        public var gradientNorm: Double?
        public var newtonDecrement: Double?

        enum CodingKeys: String, CodingKey {
            case arm, rows, positives, coefficients, converged, iterations
            case logLikelihood = "log_likelihood"
            case gradientNorm = "gradient_norm"
            case newtonDecrement = "newton_decrement"
        }
    }

    // Header (the same fields as every model file).
    public var formatVersion: Int
    public var kind: ModelKind
    public var producer: String
    /// Rows used (`customers`), rows of the training table, its fingerprint and source.
    public var training: ModelTraining
    /// Of all parts: converged when every part did; iterations the most any part took.
    public var convergence: Convergence
    public var notes: [String] = []

    // Payload.
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
    /// Rows of the training table held out for the evaluation (`--holdout`), 0 without.
    public var heldOut: Int

    enum CodingKeys: String, ModelFileCodingKey {
        case kind, producer, training, convergence, notes, method, control, treatments, target, encoding, l2, parts
        case formatVersion = "format_version"
        case treatmentColumn = "treatment_column"
        case idColumn = "id_column"
        case designNames = "design_names"
        case heldOut = "held_out"
        /// Format version 1 only.
        case trainingData = "training_data"
    }

    public init(method: UpliftMethod, treatmentColumn: String, control: String, treatments: [String], target: TargetEncoding,
                idColumn: String?, encoding: FeatureEncoding, designNames: [String], l2: Double, parts: [Part],
                training: ModelTraining, heldOut: Int) {
        formatVersion = Self.currentFormatVersion
        kind = .uplift
        producer = ModelFileFormat.producer
        self.training = training
        convergence = Self.convergence(of: parts)
        self.method = method; self.treatmentColumn = treatmentColumn; self.control = control; self.treatments = treatments
        self.target = target; self.idColumn = idColumn; self.encoding = encoding; self.designNames = designNames
        self.l2 = l2; self.parts = parts; self.heldOut = heldOut
    }

    public var converged: Bool { parts.allSatisfy(\.converged) }

    /// The convergence of the whole model from its parts' Newton iterations.
    static func convergence(of parts: [Part]) -> Convergence {
        let failed = parts.filter { !$0.converged }.map(\.arm)
        let recorded = parts.allSatisfy { $0.gradientNorm != nil && $0.newtonDecrement != nil }
        return Convergence(converged: failed.isEmpty, iterations: parts.map(\.iterations).max() ?? 0,
                           evaluations: parts.map(\.iterations).reduce(0, +),
                           gradientNorm: parts.compactMap(\.gradientNorm).max() ?? 0,
                           newtonDecrement: parts.compactMap(\.newtonDecrement).max() ?? 0,
                           message: (failed.isEmpty ? "every part converged" : "not converged: \(failed.joined(separator: ", "))")
                               + (recorded ? "" : " (gradients not recorded in format version 1)"))
    }

    public func write(to url: URL) throws { try ResponseModelFile.write(self, to: url) }

    public static func load(from url: URL) throws -> UpliftModel {
        try ResponseModelFile.read(UpliftModel.self, from: url, kind: .uplift, currentVersion: currentFormatVersion)
    }
}

extension UpliftModel {
    /// Decodes the current layout, or version 1: `kind` and `format_version` with the training data
    /// under `training_data` ({file, fnv1a64, rows, rows_used, held_out}), no producer, convergence or notes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        kind = try c.decode(ModelKind.self, forKey: .kind)
        method = try c.decode(UpliftMethod.self, forKey: .method)
        treatmentColumn = try c.decode(String.self, forKey: .treatmentColumn)
        control = try c.decode(String.self, forKey: .control)
        treatments = try c.decode([String].self, forKey: .treatments)
        target = try c.decode(TargetEncoding.self, forKey: .target)
        idColumn = try c.decodeIfPresent(String.self, forKey: .idColumn)
        encoding = try c.decode(FeatureEncoding.self, forKey: .encoding)
        designNames = try c.decode([String].self, forKey: .designNames)
        l2 = try c.decode(Double.self, forKey: .l2)
        parts = try c.decode([Part].self, forKey: .parts)
        let header: ModelFileHeaderFields
        if formatVersion >= 2 {
            header = try c.decodeModelHeader()
            heldOut = try c.decode(Int.self, forKey: .heldOut)
        } else {
            let v1 = try c.decode(TrainingDataV1.self, forKey: .trainingData)
            header = .versionOne(training: ModelTraining(customers: Double(v1.rows_used), rows: v1.rows, fingerprint: v1.fnv1a64, source: v1.file),
                                 convergence: Self.convergence(of: parts))
            heldOut = v1.held_out
        }
        (producer, training, convergence, notes) = (header.producer, header.training, header.convergence, header.notes)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        // Always the current layout, so a model read from a version 1 file is written as version 2.
        try c.encodeModelHeader(kind: kind, producer: producer, training: training, convergence: convergence, notes: notes)
        try c.encode(method, forKey: .method)
        try c.encode(treatmentColumn, forKey: .treatmentColumn)
        try c.encode(control, forKey: .control)
        try c.encode(treatments, forKey: .treatments)
        try c.encode(target, forKey: .target)
        try c.encodeIfPresent(idColumn, forKey: .idColumn)
        try c.encode(encoding, forKey: .encoding)
        try c.encode(designNames, forKey: .designNames)
        try c.encode(l2, forKey: .l2)
        try c.encode(parts, forKey: .parts)
        try c.encode(heldOut, forKey: .heldOut)
    }

    /// `training_data` of format version 1 (its fingerprint already carries the `fnv1a64:` prefix).
    private struct TrainingDataV1: Decodable {
        var file: String?
        var fnv1a64: String
        var rows: Int
        var rows_used: Int
        var held_out: Int
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
        for row in rows { try out.append(row) }
        try out.commit()
    }

    /// The rows under `header`, made one at a time (for any sink: a file, a database table).
    public var rows: some Sequence<[CSVCell]> {
        ids.indices.lazy.map { i in
            var row: [CSVCell] = [.text(ids[i])]
            if let pc = controlProbability, let pt = treatmentProbability {
                row.append(.number(pc[i]))
                for k in treatments.indices { row.append(.number(pt[k][i])) }
            }
            for k in treatments.indices { row.append(.number(uplift[k][i])) }
            return row
        }
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
