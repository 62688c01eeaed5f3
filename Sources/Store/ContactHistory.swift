import Foundation
import GRDB

/// The contact history and the do-not-contact list of `klant actions` (tables of migration
/// `v2-contact-history`).
extension KlantStore {
    // MARK: Contact history

    /// Writes a run's contacts in one transaction. When the campaign already has contacts on that
    /// date nothing is written (a rerun does not record twice). All contacts must share one
    /// campaign and date.
    public func record(_ contacts: [ContactRecord]) throws -> ContactRecording {
        try queue.write { db in try StoreTransaction(db).record(contacts) }
    }

    /// Calls `body` for every real contact (control rows left out: they were never contacted) dated
    /// `from...through` (ISO dates, inclusive), except those of `excludingCampaign` on `through`
    /// itself, so rerunning a recorded run sees the history as it was before it.
    public func forEachContact(from: String, through: String, excludingCampaign: String?,
                               _ body: (_ customerID: String, _ action: String, _ channel: String, _ date: String) throws -> Void) throws {
        try queue.read { db in try StoreTransaction(db).forEachContact(from: from, through: through, excludingCampaign: excludingCampaign, body) }
    }

    /// Number of rows in the contact history (control rows included).
    public func contactCount() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contact_history") ?? 0 }
    }

    /// The recorded rows of one campaign and date, ordered by customer and action.
    public func contacts(campaignID: String, date: String) throws -> [ContactRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT campaign_id, contact_date, customer_id, action, channel, control, expected_value FROM contact_history
                WHERE campaign_id = ? AND contact_date = ? ORDER BY customer_id, action
                """, arguments: [campaignID, date]).map {
                ContactRecord(campaignID: $0[0], date: $0[1], customerID: $0[2], action: $0[3], channel: $0[4],
                              control: ($0[5] as Int) != 0, expectedValue: $0[6])
            }
        }
    }

    /// Appends contacts without the once-per-run check (bulk loads: benchmarks, imports).
    public func importContacts(_ contacts: some Sequence<ContactRecord>) throws {
        try queue.write { db in
            let insert = try db.makeStatement(sql: """
                INSERT INTO contact_history (campaign_id, contact_date, customer_id, action, channel, control, expected_value, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'import')
                """)
            for c in contacts {
                try insert.execute(arguments: [c.campaignID, c.date, c.customerID, c.action, c.channel, c.control ? 1 : 0, c.expectedValue])
            }
        }
    }

    // MARK: Opt-outs

    /// Adds opt-outs (kept once per customer and channel); `source` says where they came from.
    public func addOptOuts(_ optOuts: [OptOut], source: String) throws {
        try queue.write { db in
            let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO opt_out (customer_id, channel, source) VALUES (?, ?, ?)")
            for o in optOuts { try insert.execute(arguments: [o.customerID, o.channel, source]) }
        }
    }

    /// Every stored opt-out.
    public func optOuts() throws -> [OptOut] {
        try queue.read { db in try StoreTransaction(db).optOuts() }
    }
}
