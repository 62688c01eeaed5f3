import Foundation
import GRDB
import Testing
@testable import Store

@Suite struct KlantStoreTests {
    func temporaryStorePath() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("klant-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("klant.sqlite").path
    }

    func contact(_ id: String, _ action: String = "call", date: String = "2026-12-01", campaign: String = "c1", control: Bool = false) -> ContactRecord {
        ContactRecord(campaignID: campaign, date: date, customerID: id, action: action, channel: "phone", control: control, expectedValue: 1.5)
    }

    @Test func aNewStoreHasEveryMigrationAppliedInOrder() throws {
        let store = try KlantStore(path: try temporaryStorePath())
        #expect(try store.appliedMigrations() == StoreMigrations.identifiers)
        #expect(StoreMigrations.identifiers.contains("v2-contact-history"))
    }

    @Test func recordingWritesOnceAndARerunOfTheSameCampaignAndDateWritesNothing() throws {
        let path = try temporaryStorePath()
        let store = try KlantStore(path: path)
        #expect(try store.record([contact("a"), contact("b", control: true)]) == .recorded(2))
        #expect(try store.record([contact("a"), contact("c")]) == .alreadyRecorded(existing: 2))
        #expect(try store.record([contact("a", date: "2026-12-02")]) == .recorded(1))
        // Reopened: the rows are there and the migrations are not applied again.
        let reopened = try KlantStore(path: path)
        #expect(try reopened.contactCount() == 3)
        let rows = try reopened.contacts(campaignID: "c1", date: "2026-12-01")
        #expect(rows == [contact("a"), contact("b", control: true)])
    }

    @Test func readingTheHistoryKeepsTheWindowLeavesOutControlsAndTheRunBeingRepeated() throws {
        let store = try KlantStore()
        try store.importContacts([
            contact("old", date: "2026-10-01"), contact("in", date: "2026-11-20"), contact("held", date: "2026-11-20", control: true),
            contact("today-other", date: "2026-12-01", campaign: "c0"), contact("today-same", date: "2026-12-01", campaign: "c1"),
            contact("future", date: "2026-12-05"),
        ])
        var seen: [String] = []
        try store.forEachContact(from: "2026-11-01", through: "2026-12-01", excludingCampaign: "c1") { id, action, channel, date in
            seen.append(id)
            #expect(action == "call" && channel == "phone" && !date.isEmpty)
        }
        #expect(seen.sorted() == ["in", "today-other"])
    }

    @Test func optOutsAreKeptOncePerCustomerAndChannel() throws {
        let store = try KlantStore()
        try store.addOptOuts([OptOut(customerID: "a", channel: "phone"), OptOut(customerID: "a", channel: "phone"), OptOut(customerID: "b", channel: "")], source: "list.csv")
        #expect(try store.optOuts() == [OptOut(customerID: "a", channel: "phone"), OptOut(customerID: "b", channel: "*")])
    }

    @Test func aStoreWithAnUnknownMigrationIsRefusedNamingIt() throws {
        let path = try temporaryStorePath()
        _ = try KlantStore(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
        #expect { try KlantStore(path: path) } throws: { error in
            (error as? StoreError)?.problem.contains("v99-future") == true
        }
    }

    @Test func aFileThatIsNotSQLiteIsRefusedWithTheRemedy() throws {
        let path = try temporaryStorePath()
        try Data("not a database, just text\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect { try KlantStore(path: path) } throws: { error in
            (error as? StoreError)?.remedy.contains("Klant store file") == true
        }
    }
}

@Test func theLookBackQueryReadsOnlyTheCoveringIndex() throws {
    let store = try KlantStore()
    let plan = try store.queue.read { db in
        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + StoreTransaction.recentContactsSQL, arguments: ["2026-09-01", "2026-12-01", "c", "2026-12-01"]).map { $0["detail"] as String }
    }
    #expect(plan.contains { $0.contains("USING COVERING INDEX contact_history_recent") }, "\(plan)")
}
