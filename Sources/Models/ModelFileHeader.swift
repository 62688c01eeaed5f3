import CustomerData
import Foundation

/// What every Klant model file has in common, whatever its kind: the header fields
/// (`format_version`, `kind`, `producer`, `time_unit`, `training`, `convergence`, `notes`), one
/// JSON style (snake_case keys spelled out in each type's `CodingKeys`, sorted, pretty-printed),
/// and one check of version and kind. `ModelFile` (the maximum-likelihood models) and
/// `Churn.ChurnModel` add their kind-specific payload to it.
public enum ModelFileFormat {
    /// The newest layout this build reads and writes; files of version 1 still read.
    /// 2: one header for every kind (churn models included), typed time unit, covariance.
    public static let currentVersion = 2
    public static let producer = "klant 0.1.0"

    /// The JSON encoder every model file is written with.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }

    /// The fields read before anything else.
    public struct Header: Sendable {
        public var formatVersion: Int
        public var kind: ModelKind
    }

    /// Reads and checks the version and kind of model JSON: a future version, a missing version
    /// or an unknown kind is an error naming `source` and what to do.
    public static func header(of data: Data, source: String) throws -> Header {
        struct Raw: Decodable { let format_version: Int?; let kind: String? }
        guard let raw = try? JSONDecoder().decode(Raw.self, from: data) else {
            throw ModelError.modelFile("\(source) is not a JSON model file")
        }
        guard let version = raw.format_version else {
            throw ModelError.modelFile("\(source) has no format_version: it was not written by klant")
        }
        guard version <= currentVersion else {
            throw ModelError.modelFile("\(source) has format_version \(version), newer than this klant reads (\(currentVersion)); upgrade klant")
        }
        guard version >= 1 else { throw ModelError.modelFile("\(source) has an invalid format_version \(version)") }
        guard let text = raw.kind, let kind = ModelKind(rawValue: text) else {
            throw ModelError.modelFile("\(source) has an unknown model kind \(raw.kind ?? "(none)"); known kinds: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return Header(formatVersion: version, kind: kind)
    }

    /// The bytes of a model file, with a clear error when it cannot be read.
    public static func contents(of url: URL) throws -> Data {
        do { return try Data(contentsOf: url) } catch {
            throw ModelError.modelFile("cannot read model file \(url.path): \(error.localizedDescription)")
        }
    }
}

/// The data a model was trained on, identified without storing it.
public struct ModelTraining: Codable, Equatable, Sendable {
    /// Customers the fit used (a weighted count for pattern data; rows used for churn tables).
    public var customers: Double
    /// Patterns the likelihood summed over (BTYD: the distinct patterns, or every customer when nearly
    /// all are distinct), periods (sBG); nil where the fit has none (churn, Gamma-Gamma).
    public var patterns: Int?
    /// Rows of the training file, used or not (churn tables; nil elsewhere).
    public var rows: Int?
    /// A hash of the training data: `fnv1a64:` and 16 hex digits (FNV-1a 64 of a training file's bytes or
    /// rows), or `mix64:` and 16 hex digits (the pattern or column values, see `DataFingerprint`).
    public var fingerprint: String
    /// The training file as given on the command line, when there was one.
    public var source: String?
    /// Size of the training file in bytes, when its bytes were fingerprinted.
    public var bytes: Int?

    public init(customers: Double, patterns: Int? = nil, rows: Int? = nil, fingerprint: String, source: String?, bytes: Int? = nil) {
        self.customers = customers
        self.patterns = patterns
        self.rows = rows
        self.fingerprint = fingerprint
        self.source = source
        self.bytes = bytes
    }
}

/// The coding keys of the header every model file shares. A model's `CodingKeys` enum adopts it
/// (its cases satisfy the requirements), and its `encode`/`init(from:)` write and read the header
/// with `encodeModelHeader` / `decodeModelHeader` instead of field by field.
public protocol ModelFileCodingKey: CodingKey {
    static var formatVersion: Self { get }
    static var kind: Self { get }
    static var producer: Self { get }
    static var training: Self { get }
    static var convergence: Self { get }
    static var notes: Self { get }
}

/// The header fields of a version-2 model file after its version and kind.
public struct ModelFileHeaderFields: Sendable {
    public var producer: String
    public var training: ModelTraining
    public var convergence: Convergence
    public var notes: [String]

    /// What a version-1 file stands for: no producer or notes were written then.
    public static func versionOne(training: ModelTraining, convergence: Convergence) -> ModelFileHeaderFields {
        ModelFileHeaderFields(producer: "klant (format version 1)", training: training, convergence: convergence, notes: [])
    }
}

extension KeyedEncodingContainer where K: ModelFileCodingKey {
    /// Writes the current format version, the kind and the header fields.
    public mutating func encodeModelHeader(kind: ModelKind, producer: String, training: ModelTraining,
                                           convergence: Convergence, notes: [String]) throws {
        try encode(ModelFileFormat.currentVersion, forKey: .formatVersion)
        try encode(kind, forKey: .kind)
        try encode(producer, forKey: .producer)
        try encode(training, forKey: .training)
        try encode(convergence, forKey: .convergence)
        try encode(notes, forKey: .notes)
    }
}

extension KeyedDecodingContainer where K: ModelFileCodingKey {
    /// Reads the header fields of a version-2 file (notes may be absent).
    public func decodeModelHeader() throws -> ModelFileHeaderFields {
        ModelFileHeaderFields(producer: try decode(String.self, forKey: .producer),
                              training: try decode(ModelTraining.self, forKey: .training),
                              convergence: try decode(Convergence.self, forKey: .convergence),
                              notes: try decodeIfPresent([String].self, forKey: .notes) ?? [])
    }
}
