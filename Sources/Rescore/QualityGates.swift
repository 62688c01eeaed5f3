import CustomerData
import Foundation
import GRDB

/// The checks that stop a run before anything is published (exit code 4): each failure names the
/// gate, the file and the numbers, so the person paged at night knows what to look at.
public struct QualityGates: Sendable {
    public var config: RescoreConfig.Gates
    public var asOf: CalendarDay

    /// A gate that failed: its name and what was measured.
    public struct Failure: Sendable, Equatable {
        public var gate: String
        public var detail: String
    }

    /// Checks on the files read in this run: header, truncation, future dates, rejected share.
    func fileFailures(_ files: [Ingest.FileResult]) -> [Failure] {
        var failures: [Failure] = []
        for file in files {
            let p = file.parsed
            if let truncation = p.truncation {
                failures.append(.init(gate: "truncated_input", detail: "\(p.name) \(truncation)"))
            }
            if let header = p.changedHeader {
                failures.append(.init(gate: "columns_changed", detail: "\(p.name) has columns \(header), the config expects another header"))
            }
            if let first = p.future.first {
                failures.append(.init(gate: "future_dates", detail: "\(p.name) has \(p.future.count) rows dated after \(file.kind == "drop" ? "its drop date " + file.day : "the as-of date " + asOf.description), first at line \(first.line) (\(first.day))"))
            }
            if p.rejectedShare > config.maxRejectedShare {
                failures.append(.init(gate: "rejected_rows", detail: "\(p.name): \(p.rejected.count) of \(p.rowCount + p.rejected.count) rows rejected (share \(Self.format(p.rejectedShare)) > limit \(Self.format(config.maxRejectedShare))), first at line \(p.rejected[0].line): \(p.rejected[0].reason)"))
            }
        }
        return failures
    }

    /// Checks on the day as the store now sees it: a drop for the as-of date, and its transactions
    /// and active customers against the median of the previous drops.
    func dayFailures(_ db: Database, drops: [DropFile]) throws -> [Failure] {
        var failures: [Failure] = []
        if config.requireDrop && !drops.contains(where: { $0.day == asOf }) {
            failures.append(.init(gate: "missing_drop", detail: "no drop file for \(asOf) (expected \(asOf).csv or \(asOf).csv.gz)"))
            return failures
        }
        let days = try Row.fetchAll(db, sql: """
            SELECT drop_date, MAX(rows) AS rows, MAX(customers) AS customers FROM ingested_file
            WHERE kind = 'drop' AND drop_date <= ? GROUP BY drop_date ORDER BY drop_date DESC LIMIT ?
            """, arguments: [asOf.description, config.baselineDrops + 1])
        guard let today = days.first, (today["drop_date"] as String) == asOf.description, days.count > 1 else { return failures }
        let previous = days.dropFirst()
        let checks: [(String, String, String, Double)] = [
            ("transaction_drop", "rows", "transactions", config.maxTransactionDrop),
            ("active_customer_drop", "customers", "active customers", config.maxActiveCustomerDrop),
        ]
        for (gate, column, noun, limit) in checks {
            let count = Double(today[column] as Int)
            let baseline = Self.median(previous.map { Double($0[column] as Int) })
            if baseline > 0 && count < (1 - limit) * baseline {
                failures.append(.init(gate: gate, detail: "\(Int(count)) \(noun) in the drop of \(asOf), median of the previous \(previous.count) drops \(Self.format(baseline)); allowed drop \(Self.format(limit)) (at least \(Self.format((1 - limit) * baseline)))"))
            }
        }
        return failures
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func format(_ x: Double) -> String { String(format: "%.4g", x) }
}
