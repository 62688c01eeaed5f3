import Foundation

/// The sidecar `<summary>.meta.json` written beside every summary file: the time unit its
/// recency, T and holdout duration are in, and the calibration and observation ends when known.
/// The CSV itself stays a plain table (pandas, spreadsheets, warehouses read it as it is); the
/// sidecar lets a command refuse a model fitted in another unit instead of silently misreading.
public struct SummaryMetadata: Codable, Equatable, Sendable {
    /// The newest sidecar layout this build reads and writes.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var timeUnit: TimeUnit
    /// Last day of the calibration period (ISO date), when the summary has holdout columns.
    public var calibrationEnd: CalendarDay?
    /// Last day observed (ISO date).
    public var observationEnd: CalendarDay?
    public var customers: Int?

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case timeUnit = "time_unit"
        case calibrationEnd = "calibration_end"
        case observationEnd = "observation_end"
        case customers
    }

    public init(timeUnit: TimeUnit, calibrationEnd: CalendarDay? = nil, observationEnd: CalendarDay? = nil, customers: Int? = nil) {
        formatVersion = Self.currentFormatVersion
        self.timeUnit = timeUnit
        self.calibrationEnd = calibrationEnd
        self.observationEnd = observationEnd
        self.customers = customers
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        timeUnit = try c.decode(TimeUnit.self, forKey: .timeUnit)
        calibrationEnd = try c.decodeIfPresent(String.self, forKey: .calibrationEnd).map { try CalendarDay(parsing: $0, option: "calibration_end") }
        observationEnd = try c.decodeIfPresent(String.self, forKey: .observationEnd).map { try CalendarDay(parsing: $0, option: "observation_end") }
        customers = try c.decodeIfPresent(Int.self, forKey: .customers)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(formatVersion, forKey: .formatVersion)
        try c.encode(timeUnit, forKey: .timeUnit)
        try c.encodeIfPresent(calibrationEnd?.description, forKey: .calibrationEnd)
        try c.encodeIfPresent(observationEnd?.description, forKey: .observationEnd)
        try c.encodeIfPresent(customers, forKey: .customers)
    }

    /// The sidecar's path for a summary at `summaryPath`.
    public static func path(forSummary summaryPath: String) -> String { summaryPath + ".meta.json" }

    /// Writes the sidecar of the summary at `summaryPath` atomically.
    public func write(forSummary summaryPath: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: URL(fileURLWithPath: Self.path(forSummary: summaryPath)))
    }

    /// The sidecar of the summary at `summaryPath`, nil when there is none (a summary from
    /// elsewhere, or written before sidecars). A damaged or newer sidecar is an error naming it.
    public static func read(forSummary summaryPath: String) throws -> SummaryMetadata? {
        let path = Self.path(forSummary: summaryPath)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(kind: .unreadableFile, file: path, problem: "cannot read the summary's sidecar (\(error.localizedDescription))",
                             remedy: "check its permissions, or delete it and give the unit with --unit")
        }
        struct Version: Decodable { var format_version: Int? }
        let version = (try? JSONDecoder().decode(Version.self, from: data))?.format_version
        guard let version, version >= 1 else {
            throw InputError(kind: .badSummaryValue, file: path, problem: "is not a summary sidecar (no format_version)",
                             remedy: "write the summary again with klant summarize, or delete the sidecar")
        }
        guard version <= currentFormatVersion else {
            throw InputError(kind: .badSummaryValue, file: path, problem: "has format_version \(version), newer than this klant reads (\(currentFormatVersion))",
                             remedy: "upgrade klant")
        }
        do { return try JSONDecoder().decode(SummaryMetadata.self, from: data) } catch {
            throw InputError(kind: .badSummaryValue, file: path, problem: "is a damaged summary sidecar (\(error))",
                             remedy: "write the summary again with klant summarize, or delete the sidecar")
        }
    }

    /// The unit to read a summary in when fitting: `given` (a --unit option) if any, else the
    /// sidecar's. Both given and different is an error naming both; neither is nil.
    public static func unit(given: TimeUnit?, sidecar: SummaryMetadata?, summaryPath: String) throws -> TimeUnit? {
        if let given, let sidecar, given != sidecar.timeUnit {
            throw InputError(kind: .badOption, file: summaryPath, columnName: "unit",
                             problem: "--unit \(given.rawValue) but the summary is in \(sidecar.timeUnit.rawValue)s (\(path(forSummary: summaryPath)))",
                             remedy: "leave out --unit, or summarise the transactions again with --unit \(given.rawValue)")
        }
        return given ?? sidecar?.timeUnit
    }
}
