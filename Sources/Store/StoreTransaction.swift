import Foundation
import GRDB

/// What the contact policy reads: the opt-outs and the recent contacts. `KlantStore` reads them
/// in a read transaction of its own; `StoreTransaction` reads them inside a caller's open one.
public protocol ContactHistoryReading {
    /// Every stored opt-out.
    func optOuts() throws -> [OptOut]
    /// Calls `body` for every real contact (control rows left out) dated `from...through`
    /// (ISO dates, inclusive), except those of `excludingCampaign` on `through` itself.
    func forEachContact(from: String, through: String, excludingCampaign: String?,
                        _ body: (_ customerID: String, _ action: String, _ channel: String, _ date: String) throws -> Void) throws
}

extension KlantStore: ContactHistoryReading {}

/// The contact tables seen from inside an open write transaction (`queue.write { db in ... }`):
/// reads see the transaction's own work, and contacts recorded here commit or roll back with the
/// rest of it, so a run's store work can be one transaction (`klant rescore`).
public struct StoreTransaction: ContactHistoryReading {
    public let db: Database

    public init(_ db: Database) { self.db = db }

    /// Writes a run's contacts unless the campaign already has contacts on that date (a rerun
    /// does not record twice). All contacts must share one campaign and date.
    public func record(_ contacts: [ContactRecord]) throws -> ContactRecording {
        guard let first = contacts.first else { return .recorded(0) }
        precondition(contacts.allSatisfy { $0.campaignID == first.campaignID && $0.date == first.date },
                     "StoreTransaction.record: one campaign and date per call")
        let existing = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contact_history WHERE campaign_id = ? AND contact_date = ?",
                                        arguments: [first.campaignID, first.date]) ?? 0
        if existing > 0 { return .alreadyRecorded(existing: existing) }
        let now = ISO8601DateFormatter().string(from: Date())
        let insert = try db.makeStatement(sql: """
            INSERT INTO contact_history (campaign_id, contact_date, customer_id, action, channel, control, expected_value, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for c in contacts {
            try insert.execute(arguments: [c.campaignID, c.date, c.customerID, c.action, c.channel, c.control ? 1 : 0, c.expectedValue, now])
        }
        return .recorded(contacts.count)
    }

    public func forEachContact(from: String, through: String, excludingCampaign: String?,
                               _ body: (_ customerID: String, _ action: String, _ channel: String, _ date: String) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: Self.recentContactsSQL, arguments: [from, through, excludingCampaign ?? "", through])
        while let row = try rows.next() {
            try body(row[0], row[1], row[2], row[3])
        }
    }

    /// The look-back query of `forEachContact` (served by the covering index `contact_history_recent`).
    static let recentContactsSQL = """
        SELECT customer_id, action, channel, contact_date FROM contact_history
        WHERE contact_date >= ? AND contact_date <= ? AND control = 0
          AND NOT (campaign_id = ? AND contact_date = ?)
        """

    public func optOuts() throws -> [OptOut] {
        try Row.fetchAll(db, sql: "SELECT customer_id, channel FROM opt_out ORDER BY customer_id, channel").map {
            OptOut(customerID: $0[0], channel: $0[1])
        }
    }
}
