import CustomerData
import Foundation
import Linalg

/// The JSON file a fitted model is saved as: versioned, self-describing, with parameters, their
/// standard errors, the log-likelihood, convergence and a fingerprint of the training data, and
/// no customer rows. Written atomically (temporary file + rename).
public struct ModelFile: Codable, Equatable, Sendable {
    /// The newest format this build reads and writes. Bump it when the layout changes.
    public static let currentFormatVersion = 1
    public static let producer = "klant 0.1.0"

    public var formatVersion: Int
    public var kind: ModelKind
    public var parameters: [ParameterEstimate]
    /// Total log-likelihood at the estimate (penalised when `penalizer` > 0).
    public var logLikelihood: Double
    public var penalizer: Double
    /// Time unit of the summary the model was fitted on ("week", ...), or "period" for BG/BB.
    public var timeUnit: String
    public var convergence: Convergence
    public var training: Training
    public var producer: String
    /// Free-form notes, e.g. why standard errors are missing or a data warning.
    public var notes: [String]
    /// Covariance of the estimates (inverse observed information), for parameter draws and the
    /// delta method; nil when the information was not positive definite or the file predates it.
    public var covariance: ParameterCovariance?

    public struct Training: Codable, Equatable, Sendable {
        public var customers: Double
        public var patterns: Int
        public var fingerprint: String
        public var source: String?
        public init(customers: Double, patterns: Int, fingerprint: String, source: String?) {
            self.customers = customers
            self.patterns = patterns
            self.fingerprint = fingerprint
            self.source = source
        }
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case logLikelihood = "log_likelihood"
        case timeUnit = "time_unit"
        case kind, parameters, penalizer, convergence, training, producer, notes, covariance
    }

    public init(kind: ModelKind, parameters: [ParameterEstimate], logLikelihood: Double, penalizer: Double,
                timeUnit: String, convergence: Convergence, training: Training, notes: [String] = [],
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

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Writes the file atomically: readers see the old file or the new one, never half of one.
    public func write(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
    }

    /// Reads a model file, refusing future format versions and files that are not Klant models.
    public static func read(from url: URL) throws -> ModelFile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelError.modelFile("cannot read model file \(url.path): \(error.localizedDescription)")
        }
        return try decode(data, source: url.path)
    }

    /// The kind of model a file holds, read from its header only (any Klant model file, including
    /// churn models whose layout differs), so commands can dispatch on it.
    public static func kind(of url: URL) throws -> ModelKind {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelError.modelFile("cannot read model file \(url.path): \(error.localizedDescription)")
        }
        // Churn model files carry their own format version, checked by their loader.
        return try checkedHeader(data, source: url.path, checkVersion: false)
    }

    private struct Header: Decodable {
        let format_version: Int?
        let kind: String?
    }

    /// Checks format version and kind from the header; returns the kind.
    private static func checkedHeader(_ data: Data, source: String, checkVersion: Bool = true) throws -> ModelKind {
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw ModelError.modelFile("\(source) is not a JSON model file")
        }
        guard let version = header.format_version else {
            throw ModelError.modelFile("\(source) has no format_version: it was not written by klant")
        }
        guard version <= currentFormatVersion || !checkVersion else {
            throw ModelError.modelFile("\(source) has format_version \(version), newer than this klant reads (\(currentFormatVersion)); upgrade klant")
        }
        guard version >= 1 else { throw ModelError.modelFile("\(source) has an invalid format_version \(version)") }
        guard let raw = header.kind, let kind = ModelKind(rawValue: raw) else {
            throw ModelError.modelFile("\(source) has an unknown model kind \(header.kind ?? "(none)"); known kinds: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    public static func decode(_ data: Data, source: String) throws -> ModelFile {
        let kind = try checkedHeader(data, source: source)
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
    public func modelFile(timeUnit: String, source: String?, patterns: Int, notes: [String] = []) -> ModelFile {
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
