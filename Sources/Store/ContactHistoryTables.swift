import GRDB

/// Tables of `klant actions`: published contacts (control rows included: held out, never
/// contacted) and the do-not-contact list. One row per (campaign, date, customer, action): a run
/// recorded twice is refused by the unique index.
enum ContactHistoryTables {
    @Sendable static func createV2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE contact_history (
                id INTEGER PRIMARY KEY,
                campaign_id TEXT NOT NULL,
                contact_date TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                action TEXT NOT NULL,
                channel TEXT NOT NULL,
                control INTEGER NOT NULL CHECK (control IN (0, 1)),
                expected_value REAL,
                recorded_at TEXT NOT NULL
            );
            CREATE INDEX contact_history_by_date ON contact_history(contact_date);
            CREATE UNIQUE INDEX contact_history_once ON contact_history(campaign_id, contact_date, customer_id, action);
            CREATE TABLE opt_out (
                customer_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                source TEXT NOT NULL,
                PRIMARY KEY (customer_id, channel)
            );
            """)
    }

    /// A covering index for the contact policy's look-back query (date range, real contacts), so it
    /// reads index pages in order instead of one table page per contact; it replaces the date index.
    @Sendable static func createV4(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX contact_history_recent ON contact_history(contact_date, control, campaign_id, customer_id, action, channel);
            DROP INDEX contact_history_by_date;
            """)
    }
}
