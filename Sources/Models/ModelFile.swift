import CustomerData
import Foundation
import Linalg

/// The JSON file a maximum-likelihood model is saved as: the common header (`ModelFileFormat`)
/// and the parameters with their standard errors and covariance, the log-likelihood and the
/// penalty; no customer rows. Written atomically (temporary file + rename).
public struct ModelFile: Codable, Equatable, Sendable {
    /// The newest format this build reads and writes (`ModelFileFormat.currentVersion`).
    public static var currentFormatVersion: Int { ModelFileFormat.currentVersion }
    public static var producer: String { ModelFileFormat.producer }
    public typealias Training = ModelTraining

    public var formatVersion: Int
    public var kind: ModelKind
    public var parameters: [ParameterEstimate]
    /// Total log-likelihood at the estimate (penalised when `penalizer` > 0).
    public var logLikelihood: Double
    public var penalizer: Double
    /// The time axis of the model: the summary's calendar unit, periods (BG/BB, sBG) or currency (spend).
    public var timeUnit: ModelTimeUnit
    public var convergence: Convergence
    public var training: Training
    public var producer: String
    /// Free-form notes, e.g. why standard errors are missing or a data warning.
    public var notes: [String]
    /// Covariance of the estimates (inverse observed information), for parameter draws and the
    /// delta method; nil when the information was not positive definite or the file predates it.
    public var covariance: ParameterCovariance?

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case logLikelihood = "log_likelihood"
        case timeUnit = "time_unit"
        case kind, parameters, penalizer, convergence, training, producer, notes, covariance
    }

    public init(kind: ModelKind, parameters: [ParameterEstimate], logLikelihood: Double, penalizer: Double,
                timeUnit: ModelTimeUnit, convergence: Convergence, training: Training, notes: [String] = [],
                covariance: ParameterCovariance? = nil) {
        self.formatVersion = Self.currentFormatVersion
        self.kind = kind
        self.parameters = parameters
        self.logLikelihood = logLikelihood
        self.penalizer = penalizer
        self.timeUnit = timeUnit
        self.convergence = convergence
        self.training = training
        self.producer = Self.producer
        self.notes = notes
        self.covariance = covariance
    }

    /// The estimates in the order of `names`; a missing parameter is a clear error.
    public func estimates(named names: [String]) throws -> [Double] {
        try names.map { name in
            guard let p = parameters.first(where: { $0.name == name }) else {
                throw ModelError.modelFile("the \(kind.rawValue) model file has no parameter \(name)")
            }
            return p.estimate
        }
    }

    /// The calendar unit of the model's rates (nil for periods and currency).
    public var calendarUnit: TimeUnit? { timeUnit.calendarUnit }

    public func encoded() throws -> Data {
        try ModelFileFormat.encoder().encode(self)
    }

    /// Writes the file atomically: readers see the old file or the new one, never half of one.
    public func write(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
    }

    /// Reads a model file, refusing future format versions and files that are not Klant models.
    public static func read(from url: URL) throws -> ModelFile {
        try decode(ModelFileFormat.contents(of: url), source: url.path)
    }

    /// The kind of model a file holds, read from its checked header only (any Klant model file,
    /// churn models included), so commands can dispatch on it.
    public static func kind(of url: URL) throws -> ModelKind {
        try ModelFileFormat.header(of: ModelFileFormat.contents(of: url), source: url.path).kind
    }

    /// Decodes model JSON of format version 1 or 2 (version 1 is the same layout without covariance).
    public static func decode(_ data: Data, source: String) throws -> ModelFile {
        let kind = try ModelFileFormat.header(of: data, source: source).kind
        guard !kind.isLogistic, kind != .uplift, kind != .crossSell else {
            throw ModelError.modelFile("\(source) holds a \(kind.rawValue) model, not a maximum-likelihood model: load it with Scoring.ModelLoader")
        }
        do { return try JSONDecoder().decode(ModelFile.self, from: data) } catch {
            throw ModelError.modelFile("\(source) is a damaged \(kind.rawValue) model file: \(error)")
        }
    }

    /// Checks the file holds the expected kind of model.
    public func require(_ expected: ModelKind) throws {
        guard kind == expected else {
            throw ModelError.modelFile("expected a \(expected.rawValue) model but the file holds a \(kind.rawValue) model")
        }
    }
}

extension FittedModel {
    /// The model file for this fit.
    public func modelFile(timeUnit: ModelTimeUnit, source: String?, patterns: Int, notes: [String] = []) -> ModelFile {
        var allNotes = notes
        if let note = fit.standardErrorNote { allNotes.append(note) }
        return ModelFile(kind: Model.kind, parameters: fit.parameters, logLikelihood: fit.logLikelihood, penalizer: penalizer,
                         timeUnit: timeUnit, convergence: fit.convergence,
                         training: .init(customers: customers, patterns: patterns, fingerprint: fingerprint, source: source),
                         notes: allNotes, covariance: fit.parameterCovariance)
    }
}

extension RepeatPurchaseModel {
    /// Loads a model of this kind from a model file.
    public init(file: ModelFile) throws {
        try file.require(Self.kind)
        try self.init(parameters: file.estimates(named: Self.parameterNames))
    }
}
