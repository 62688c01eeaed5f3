import CustomerData
import Foundation
import Models

/// The sidecar `<scores>.meta.json`: which models and options produced a score table, and the
/// tables that summarise it. A pure function of the inputs (no timestamps), so a rerun on the
/// same inputs writes the same bytes.
public struct ScoreMetadata: Codable, Equatable, Sendable {
    public struct ModelReference: Codable, Equatable, Sendable {
        public var file: String
        public var kind: String
        /// FNV-1a 64 of the model file's bytes (16 hex digits).
        public var fingerprint: String
    }

    public var formatVersion = 1
    public var setting: String
    public var customers: Int
    public var columns: [String]
    public var models: [ModelReference]
    public var options: [String: String]
    // The summary tables of `ValueAnalytics` (absent for a shard without boundaries).
    public var valueMatrix: [ValueMatrix.Quadrant]?
    public var valueMatrixThresholds: ValueAnalytics.Thresholds?
    public var rfmSegments: [RFMScores.SegmentCount]?
    public var rfmBoundaries: RFMScores.Boundaries?
    public var profitDecileBoundaries: RankBins?
    public var profitability: ProfitabilityPicture?
    public var valueAspects: ValueAspects.Summary?
    public var channelValue: ChannelValueTable?

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case setting, customers, columns, models, options
        case valueMatrix = "value_matrix", valueMatrixThresholds = "value_matrix_thresholds"
        case rfmSegments = "rfm_segments", rfmBoundaries = "rfm_boundaries"
        case profitDecileBoundaries = "profit_decile_boundaries", profitability
        case valueAspects = "value_aspects", channelValue = "channel_value"
    }

    /// `models` pairs each model file with the kind its loader already found (only the bytes are read again, for the fingerprint).
    init(job: ScoringJob, setting: String, models: [(path: String, kind: ModelKind)], table: ScoreTable, analytics: ScoringJob.Analytics) throws {
        valueMatrix = analytics.summary?.valueMatrix
        valueMatrixThresholds = analytics.summary?.valueMatrixThresholds
        rfmSegments = analytics.summary?.rfmSegments
        rfmBoundaries = analytics.summary?.rfmBoundaries
        profitDecileBoundaries = analytics.summary?.profitDecileBoundaries
        profitability = analytics.summary?.profitability
        valueAspects = analytics.aspects
        channelValue = analytics.channels
        self.setting = setting
        customers = table.count
        columns = table.header
        self.models = try models.map { model in
            var hash = FNV1a()
            hash.add(bytes: try Data(contentsOf: URL(fileURLWithPath: model.path)))
            return ModelReference(file: model.path, kind: model.kind.rawValue, fingerprint: hash.hex)
        }
        var options: [String: String] = [
            "horizon": job.settings.horizon.steps.map(String.init) ?? "infinite",
            "horizon_unit": job.settings.horizon.stepLength.description,
            "discount_rate": String(job.settings.discounting.rate),
            "discount_rate_per_step": String(job.settings.ratePerStep),
            "cost_per_order": String(job.costPerOrder),
            "cost_per_period": job.costPerPeriodColumn.map { "column \($0)" } ?? String(job.costPerPeriod),
            "margin": job.marginColumn.map { "column \($0)" } ?? job.margin.map { String($0) } ?? "",
            "interval_level": job.settings.intervalLevel.map { String($0) } ?? "none",
            "missing_customers": job.missingCustomers.rawValue,
        ]
        switch job.settings.discounting.period {
        case .step: options["discount_period"] = "step"
        case .length(let l): options["discount_period"] = l.description
        }
        if let shard = job.shard { options["shard"] = shard.description }
        options["value_split"] = job.valueSplit
        self.options = options
    }

    /// Reads a sidecar written by `write`.
    public static func read(from url: URL) throws -> ScoreMetadata {
        do { return try JSONDecoder().decode(ScoreMetadata.self, from: Data(contentsOf: url)) } catch {
            throw InputError(kind: .unreadableFile, file: url.path, problem: "not a score sidecar (\(error))",
                             remedy: "give the <scores>.meta.json that klant score wrote")
        }
    }

    /// Writes the sidecar atomically as sorted, pretty JSON.
    public func write(to url: URL) throws {
        try AtomicFile.write(try encoded(), to: url)
    }

    /// The sidecar's bytes: sorted, pretty JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
