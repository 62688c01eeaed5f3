import GRDB

/// The store's schema as an ordered list of named migrations. A migration, once landed, is never
/// edited: a feature that needs a new table or column appends a new entry to `all`.
public enum StoreMigrations {
    public struct Migration: Sendable {
        public var identifier: String
        public var apply: @Sendable (Database) throws -> Void
    }

    /// Every migration, oldest first.
    public static let all: [Migration] = [
        Migration(identifier: "v1-rescore-ingest-snapshots-runs", apply: RescoreTables.createV1),
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in all { migrator.registerMigration(migration.identifier, migrate: migration.apply) }
        return migrator
    }
}
