import CustomerData
import Foundation

/// `summary.json` among the outputs: what was scored and how, a pure function of (config, data,
/// as-of): no run id, no clock times (those are in the run record and the logs).
public struct RunSummary: Codable, Equatable, Sendable {
    public struct ModelUse: Codable, Equatable, Sendable {
        public var purchase: String
        public var spend: String
        public var fittedAsOf: String?
        public var refit: String
        public var reason: String

        enum CodingKeys: String, CodingKey {
            case purchase, spend, refit, reason
            case fittedAsOf = "fitted_as_of"
        }
    }

    public var formatVersion = 1
    public var asOf: String
    public var transactions: Int
    public var customers: Int
    public var drops: Int
    public var rejectedRows: Int
    public var models: ModelUse
    public var changes: ChangeReport.Counts
    public var outputs: [String]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", asOf = "as_of", transactions, customers, drops
        case rejectedRows = "rejected_rows", models, changes, outputs
    }

    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: url)
    }
}
