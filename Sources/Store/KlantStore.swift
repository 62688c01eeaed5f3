import Foundation
import GRDB

/// The one state of Klant: a SQLite file opened through GRDB and brought up to date by
/// `StoreMigrations` on open. Features read and write through `queue` in their own transactions.
public final class KlantStore: Sendable {
    /// The database; `write` blocks run in one transaction each.
    public let queue: DatabaseQueue
    public let path: String

    /// Opens (creating when missing) the store at `path` and applies every pending migration.
    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: path, configuration: config)
        try StoreMigrations.migrator.migrate(queue)
    }

    /// An in-memory store, for tests.
    public init() throws {
        path = ":memory:"
        queue = try DatabaseQueue()
        try StoreMigrations.migrator.migrate(queue)
    }

    /// The identifiers of the migrations applied to this store, in order.
    public func appliedMigrations() throws -> [String] {
        try queue.read { try StoreMigrations.migrator.appliedMigrations($0) }
    }
}
