import Foundation
import GRDB

/// Klant's only state: one SQLite file (GRDB), created and migrated on open (`StoreMigrations`).
/// Dates are ISO `yyyy-MM-dd` text so the file reads plainly in any SQLite tool; values are always
/// bound, never pasted into SQL. Features write through `queue`, one transaction per `write` block.
public final class KlantStore {
    public let path: String
    public let queue: DatabaseQueue

    /// Opens (creating if needed) the store at `path` and applies pending migrations. A file that is
    /// not SQLite, or was written by a newer Klant, is refused with a `StoreError`.
    public init(path: String) throws {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrate(queue, path: path)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, problem: "cannot open the store: \(error)",
                             remedy: "give a Klant store file (SQLite) or a new path, and check it is writable")
        }
    }

    /// A private in-memory store (tests, benchmarks, dry runs).
    public init() throws {
        path = ":memory:"
        queue = try DatabaseQueue()
        try Self.migrate(queue, path: path)
    }

    private static func migrate(_ queue: DatabaseQueue, path: String) throws {
        let migrator = StoreMigrations.migrator()
        let unknown = try queue.read { db in try migrator.appliedIdentifiers(db).subtracting(StoreMigrations.identifiers) }
        guard unknown.isEmpty else {
            throw StoreError(path: path, problem: "the store has migrations this Klant does not know (\(unknown.sorted().joined(separator: ", ")))",
                             remedy: "use the Klant version that wrote it, or a newer one")
        }
        try migrator.migrate(queue)
    }

    /// Migrations applied to this file, in order.
    public func appliedMigrations() throws -> [String] {
        try queue.read { db in try StoreMigrations.migrator().appliedMigrations(db) }
    }
}
