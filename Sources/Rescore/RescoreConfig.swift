import CustomerData
import Foundation
import Yams

/// The nightly run's configuration, read from one YAML file. Relative paths are resolved against
/// the folder of that file, so the same config works from any working directory.
public struct RescoreConfig: Sendable {
    /// How a transaction file is laid out: delimiter, the exact header, and which columns matter.
    public struct TableLayout: Sendable, Equatable {
        /// `,`, `;`, `tab` or `whitespace` (runs of blanks, as CDNOW_master.txt).
        public var delimiter: String
        public var datePattern: DatePattern
        /// The header the files must have; another header stops the run (gate `columns_changed`).
        public var columns: [String]
        public var customerColumn: String
        public var dateColumn: String
        public var amountColumn: String
    }

    /// A one-time load of the history before the first daily drop.
    public struct History: Sendable {
        public var file: URL
        public var layout: TableLayout
        /// Rows after this day are left to the drops.
        public var through: CalendarDay
    }

    public struct Models: Sendable {
        /// The repeat-purchase model used until a refit replaces it.
        public var purchase: URL
        /// The Gamma-Gamma spend model used until a refit replaces it.
        public var spend: URL
    }

    public struct Money: Sendable {
        public var margin: Double
        public var costPerOrder: Double
        public var costPerPeriod: Double
        public var horizon: String
        public var horizonUnit: String
        public var discountRate: Double
        public var discountPeriod: String
    }

    public struct RefitPolicy: Sendable {
        /// Refit when the models in use were fitted more than this many days before the as-of date (nil: never).
        public var maxAgeDays: Int?
        /// Refit when the holdout check (repeat purchases since the last fit: |actual - predicted| / predicted)
        /// exceeds this share (nil: no drift rule).
        public var maxDrift: Double?
        /// The drift rule waits until the last fit is at least this many days old (a day or two is noise).
        public var minHoldoutDays: Int
        public var penalizer: Double

        public init(maxAgeDays: Int? = nil, maxDrift: Double? = nil, minHoldoutDays: Int = 7, penalizer: Double = 0) {
            self.maxAgeDays = maxAgeDays
            self.maxDrift = maxDrift
            self.minHoldoutDays = minHoldoutDays
            self.penalizer = penalizer
        }
    }

    public struct Gates: Sendable {
        /// A drop file for the as-of date must exist.
        public var requireDrop: Bool
        /// Stop when the day's transactions fall below (1 - this) x the median of the previous drops.
        public var maxTransactionDrop: Double
        /// Stop when the day's distinct customers fall below (1 - this) x the median of the previous drops.
        public var maxActiveCustomerDrop: Double
        /// How many previous drops make the median.
        public var baselineDrops: Int
        /// Stop when more than this share of a file's rows is rejected.
        public var maxRejectedShare: Double
    }

    public struct Changes: Sendable {
        /// A customer is at risk when P(alive) is below this.
        public var atRiskBelow: Double
        /// CLV moves smaller than this share of the previous CLV are not reported.
        public var minCLVChange: Double
    }

    public var configFile: URL
    public var dropsFolder: URL
    public var dropLayout: TableLayout
    public var history: History?
    public var models: Models
    public var money: Money
    public var outputDir: URL
    public var storeFile: URL
    /// Where refitted model files are kept (default: `models` beside the store).
    public var modelsDir: URL
    public var refit: RefitPolicy
    public var gates: Gates
    public var changes: Changes
    /// The optional decide step: the day's action list from an action catalog (`klant actions`).
    public struct Decide: Sendable {
        public var catalog: URL
        /// A customer table joined to the scores for the rules (optional).
        public var customers: URL?
        public var customerIDColumn: String
    }

    public var decide: Decide?

    /// Reads and checks `path`; every problem is a `.badInput` error naming the key.
    public static func load(path: String) throws -> RescoreConfig {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw RescoreError(.badInput, "cannot read the config \(path): \(error.localizedDescription). Give --config FILE, e.g. examples/nightly/klant.yaml")
        }
        let node: Any?
        do { node = try Yams.load(yaml: text) } catch {
            throw RescoreError(.badInput, "the config \(path) is not valid YAML: \(error)")
        }
        guard let root = node as? [String: Any] else {
            throw RescoreError(.badInput, "the config \(path) must be a YAML mapping with drops, models, money, outputs, store, refit and gates")
        }
        return try ConfigReader(file: url, root: root).read()
    }
}
