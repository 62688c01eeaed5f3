import Foundation
import GRDB
import Scoring

/// Step 3b: what changed since the previous snapshot (the latest as-of date before this one):
/// customers newly at risk, moves between value segments, CLV up or down beyond a share.
public struct ChangeReport: Sendable {
    /// A customer's values in one snapshot.
    public struct Snapshot: Sendable, Equatable {
        public var probabilityAlive: Double
        public var clv: Double
        public var segment: String
    }

    public struct Counts: Sendable, Equatable, Codable {
        public var previousAsOf: String?
        public var newCustomers = 0
        public var newlyAtRisk = 0
        public var segmentMoves = 0
        public var clvUp = 0
        public var clvDown = 0

        enum CodingKeys: String, CodingKey {
            case previousAsOf = "previous_as_of", newCustomers = "new_customers", newlyAtRisk = "newly_at_risk"
            case segmentMoves = "segment_moves", clvUp = "clv_up", clvDown = "clv_down"
        }
    }

    /// One row per customer with at least one change, in customer order.
    public var table: ScoreTable
    public var counts: Counts

    /// Compares `current` (customer order of the score table) against `previous`.
    public static func compare(ids: [String], current: [Snapshot], previous: [String: Snapshot], previousAsOf: String?,
                               rules: RescoreConfig.Changes) -> ChangeReport {
        var counts = Counts(previousAsOf: previousAsOf)
        var rows: [Int] = [], kinds: [String] = []
        var before: [Snapshot?] = []
        for (i, now) in current.enumerated() {
            var what: [String] = []
            let old = previous[ids[i]]
            if previousAsOf != nil && old == nil { what.append("new_customer"); counts.newCustomers += 1 }
            if let old {
                if now.probabilityAlive < rules.atRiskBelow && old.probabilityAlive >= rules.atRiskBelow { what.append("newly_at_risk"); counts.newlyAtRisk += 1 }
                if now.segment != old.segment { what.append("segment_move"); counts.segmentMoves += 1 }
                let threshold = rules.minCLVChange * abs(old.clv)
                if now.clv - old.clv > threshold && now.clv != old.clv { what.append("clv_up"); counts.clvUp += 1 }
                if old.clv - now.clv > threshold && now.clv != old.clv { what.append("clv_down"); counts.clvDown += 1 }
            }
            guard !what.isEmpty else { continue }
            rows.append(i); kinds.append(what.joined(separator: " ")); before.append(old)
        }
        var table = ScoreTable(customerIDs: rows.map { ids[$0] })
        table.append(.text("changes", kinds))
        table.append(.text("previous_value_segment", before.map { $0?.segment ?? "" }))
        table.append(.text("value_segment", rows.map { current[$0].segment }))
        table.append(.number("previous_probability_alive", before.map { $0?.probabilityAlive ?? .nan }))
        table.append(.number("probability_alive", rows.map { current[$0].probabilityAlive }))
        table.append(.number("previous_clv", before.map { $0?.clv ?? .nan }))
        table.append(.number("clv", rows.map { current[$0].clv }))
        return ChangeReport(table: table, counts: counts)
    }

    /// The latest snapshot before `asOf`, nil when there is none.
    static func previousSnapshot(_ db: Database, before asOf: String) throws -> (asOf: String, values: [String: Snapshot])? {
        guard let date = try String.fetchOne(db, sql: "SELECT MAX(as_of) FROM score_snapshot WHERE as_of < ?", arguments: [asOf]) else { return nil }
        var values: [String: Snapshot] = [:]
        let rows = try RawStatement(db, sql: "SELECT customer_id, probability_alive, clv, value_segment FROM score_snapshot WHERE as_of = ?")
        rows.bind(1, text: date)
        while try rows.next() {
            values[rows.text(0)] = Snapshot(probabilityAlive: rows.isNull(1) ? .nan : rows.double(1), clv: rows.isNull(2) ? .nan : rows.double(2),
                                            segment: rows.text(3))
        }
        return (date, values)
    }

    /// Replaces the snapshot of `asOf` (a rerun writes the same rows again, never a second copy).
    static func storeSnapshot(_ db: Database, asOf: String, ids: [String], values: [Snapshot]) throws {
        try db.execute(sql: "DELETE FROM score_snapshot WHERE as_of = ?", arguments: [asOf])
        // NaN is bound as NULL (SQLite's rule), as GRDB did.
        let insert = try RawStatement(db, sql: "INSERT INTO score_snapshot (as_of, customer_id, probability_alive, clv, value_segment) VALUES (?, ?, ?, ?, ?)")
        for (i, v) in values.enumerated() {
            insert.bind(1, text: asOf)
            insert.bind(2, text: ids[i])
            insert.bind(3, v.probabilityAlive)
            insert.bind(4, v.clv)
            insert.bind(5, text: v.segment)
            try insert.execute()
        }
    }
}
