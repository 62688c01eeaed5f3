import GRDB

/// The store's schema as an ordered list of named migrations. GRDB records which ones a file has
/// applied (table `grdb_migrations`), so opening an older file brings it up to date and a newer
/// one is refused. To extend the schema, append a migration here with a new identifier
/// (`v2-...`); never edit one that has shipped.
public enum StoreMigrations {
    /// Identifiers in the order they are applied.
    public static var identifiers: [String] { all.map(\.identifier) }

    static let all: [(identifier: String, migrate: @Sendable (Database) throws -> Void)] = [
        ("v1-rescore", RescoreTables.createV1),
        ("v2-contact-history", ContactHistoryTables.createV2),
        ("v3-holdout-check", RescoreTables.createV3),
        ("v4-no-day-index", RescoreTables.dropDayIndexV4),
        ("v4-contact-history-recent", ContactHistoryTables.createV4),
        ("v5-customer-totals", RescoreTables.createCustomerTotalsV5),
    ]

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (identifier, migrate) in all { migrator.registerMigration(identifier, migrate: migrate) }
        return migrator
    }
}
