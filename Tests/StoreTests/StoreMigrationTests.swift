import Foundation
import GRDB
import Testing
@testable import Store

@Test func openingAppliesEveryMigrationOnceInOrder() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("klant.sqlite").path
    let first = try KlantStore(path: path)
    #expect(try first.appliedMigrations() == StoreMigrations.identifiers)
    try first.queue.write { try $0.execute(sql: "INSERT INTO run (run_id, as_of, started_at, finished_at, outcome, exit_code, pid, counts, durations, message) VALUES ('r1','2026-12-01','a','b','ok',0,1,'{}','{}','')") }
    let reopened = try KlantStore(path: path)
    #expect(try reopened.appliedMigrations() == StoreMigrations.identifiers)
    #expect(try reopened.queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM run") } == 1)
}

@Test func rescoreTablesExist() throws {
    let store = try KlantStore()
    for table in ["ingested_file", "rejected_row", "transaction_row", "model_fit", "score_snapshot", "run"] {
        #expect(try store.queue.read { try $0.tableExists(table) }, "missing table \(table)")
    }
}

@Test func aStoreFromANewerKlantIsRefused() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("klant.sqlite").path
    let store = try KlantStore(path: path)
    try store.queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-future')") }
    #expect(throws: StoreError.self) { try KlantStore(path: path) }
}

@Test func migratingAStoreWithTransactionsMarksTheCustomerTotalsForARebuild() throws {
    let withRows = try DatabaseQueue()
    let empty = try DatabaseQueue()
    for queue in [withRows, empty] { try StoreMigrations.migrator().migrate(queue, upTo: "v4-contact-history-recent") }
    try withRows.write { try $0.execute(sql: "INSERT INTO transaction_row (row_hash, customer_id, day, amount, drop_date) VALUES (1, 'A', '2026-12-01', 9.5, '2026-12-01')") }
    for queue in [withRows, empty] { try StoreMigrations.migrator().migrate(queue) }
    #expect(try withRows.read { try Bool.fetchOne($0, sql: "SELECT valid FROM customer_total_state") } == false)
    #expect(try empty.read { try Bool.fetchOne($0, sql: "SELECT valid FROM customer_total_state") } == true)
    #expect(try withRows.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer_total") } == 0)
}
