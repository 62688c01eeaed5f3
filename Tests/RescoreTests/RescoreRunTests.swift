import CustomerData
import Foundation
import GRDB
import Testing
@testable import Rescore
@testable import Store

/// Idempotence, backfill, refit and change-report behaviour of whole runs through the library.
@Suite(.serialized) struct RescoreRunTests {
    @Test func theSameAsOfTwiceGivesByteIdenticalOutputsAndCountsNothingTwice() throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        let first = try f.run("1998-06-30")
        let published = try f.outputs("1998-06-30")
        #expect(Set(published.keys) == Set(NightlyRun.outputNames))
        let second = try f.run("1998-06-30")
        #expect(try f.outputs("1998-06-30") == published)
        #expect(first.newTransactions > 0)
        #expect(second.newTransactions == 0)
        #expect(second.filesRead.isEmpty)
        #expect(second.summary == first.summary)
        let store = try KlantStore(path: f.storeURL.path)
        let (transactions, snapshots, runs) = try store.queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transaction_row")!,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM score_snapshot WHERE as_of = '1998-06-30'")!,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run WHERE outcome = 'ok'")!)
        }
        #expect(transactions == first.newTransactions)
        #expect(snapshots == first.summary.customers)
        #expect(runs == 2)
    }

    @Test func aFileDeliveredTwiceAndRowsRepeatedAcrossFilesAreCountedOnce() throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        let reference = try f.run("1998-06-29")
        // The 28th's drop sent again under the 29th's name plus one new row: only the new row counts.
        let g = try NightlyFixture()
        defer { g.remove() }
        let day28 = try String(contentsOf: g.incoming.appendingPathComponent("1998-06-28.csv"), encoding: .utf8)
        let day29 = try String(contentsOf: g.incoming.appendingPathComponent("1998-06-29.csv"), encoding: .utf8)
        try (day29 + day28.split(separator: "\n").dropFirst().joined(separator: "\n") + "\n")
            .write(to: g.incoming.appendingPathComponent("1998-06-29.csv"), atomically: true, encoding: .utf8)
        let doubled = try g.run("1998-06-29")
        #expect(doubled.summary.transactions == reference.summary.transactions)
        #expect(doubled.summary.customers == reference.summary.customers)
        #expect(try g.outputs("1998-06-29")["scores.csv"] == f.outputs("1998-06-29")["scores.csv"])
    }

    @Test func theSameFileUnderTwoNamesInOneRunIsReadOnce() throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        let day28 = f.incoming.appendingPathComponent("1998-06-28.csv")
        try FileManager.default.removeItem(at: day28)
        try FileManager.default.copyItem(at: f.incoming.appendingPathComponent("1998-06-27.csv"), to: day28)
        let outcome = try f.run("1998-06-30")
        #expect(outcome.filesRead.contains("1998-06-27.csv") && !outcome.filesRead.contains("1998-06-28.csv"), "\(outcome.filesRead)")
        let stored = try KlantStore(path: f.storeURL.path).queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM ingested_file WHERE name = '1998-06-28.csv'")! }
        #expect(stored == 0)
    }

    @Test func backfillingAnEarlierDateEqualsRunningThatDateFirst() throws {
        let forward = try NightlyFixture()
        defer { forward.remove() }
        _ = try forward.run("1998-06-27")
        _ = try forward.run("1998-06-30")
        let backward = try NightlyFixture()
        defer { backward.remove() }
        _ = try backward.run("1998-06-30")
        _ = try backward.run("1998-06-27")
        // The 27th only sees transactions through the 27th, whatever was ingested before.
        #expect(try backward.outputs("1998-06-27") == forward.outputs("1998-06-27"))
        let summary = try JSONDecoder().decode(RunSummary.self, from: try backward.outputs("1998-06-27")["summary.json"]!)
        #expect(summary.drops == 4)
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: backward.outDir.appendingPathComponent("latest").path)
        #expect(link == "1998-06-30")
    }

    @Test func refitFollowsThePolicyAndIsReplayedOnRerun() throws {
        let f = try NightlyFixture(maxAgeDays: 3)
        defer { f.remove() }
        let days = ["1998-06-24", "1998-06-25", "1998-06-26", "1998-06-27", "1998-06-28"]
        let decisions = try days.map { try f.run($0).summary.models.refit }
        // First run: the config's models are refit; then kept while at most 3 days old; refit on day 4.
        #expect(decisions == ["refitted", "none", "none", "none", "refitted"])
        let again = try f.run("1998-06-28").summary.models
        #expect(again.refit == "refitted")
        #expect(again.fittedAsOf == "1998-06-28")
    }

    @Test func aRefitThatFailsKeepsThePreviousModelsAndRecordsWhy() throws {
        // Every customer bought exactly once: no repeat buyers, so no model can be fitted.
        var history = "customer_id date number_of_cds dollar_value\n"
        for i in 1...300 { history += String(format: "N%04d 199701%02d 1 %.2f\n", i, 1 + i % 28, 10.0 + Double(i % 17)) }
        let f = try NightlyFixture(maxAgeDays: 1, history: history)
        defer { f.remove() }
        let outcome = try f.run("1998-06-24")
        #expect(outcome.summary.models.refit == "kept_previous")
        #expect(outcome.summary.models.reason.contains("refit failed"))
        #expect(outcome.summary.models.purchase.hasSuffix("models/cdnow-bgnbd.json"))
        let store = try KlantStore(path: f.storeURL.path)
        let recorded = try store.queue.read { db in try Row.fetchAll(db, sql: "SELECT role, accepted, note FROM model_fit ORDER BY role") }
        #expect(recorded.count == 2)
        #expect(recorded.allSatisfy { !($0["accepted"] as Bool) && ($0["note"] as String).contains("repeat purchase") }, "\(recorded)")
        // A rerun replays the recorded failure instead of fitting again: same bytes.
        let published = try f.outputs("1998-06-24")
        _ = try f.run("1998-06-24")
        #expect(try f.outputs("1998-06-24") == published)
    }

    @Test func theChangeReportListsNewlyAtRiskSegmentMovesAndCLVMoves() throws {
        let f = try NightlyFixture(maxAgeDays: nil)
        defer { f.remove() }
        _ = try f.run("1998-06-24")
        let outcome = try f.run("1998-06-30")
        let c = outcome.summary.changes
        #expect(c.previousAsOf == "1998-06-24")
        // Customers who bought between the snapshots gain CLV; six more days without a purchase lower P(alive).
        #expect(c.clvUp > 0)
        #expect(c.newlyAtRisk > 0)
        let reader = try TableReader(path: f.outDir.appendingPathComponent("1998-06-30/changes.csv").path)
        var rows = 0, atRisk = 0
        let changes = try reader.requiredColumn("changes", purpose: "test")
        let p = try reader.requiredColumn("probability_alive", purpose: "test")
        let previousP = try reader.requiredColumn("previous_probability_alive", purpose: "test")
        try reader.forEachRow { row in
            rows += 1
            if row.text(changes).contains("newly_at_risk") {
                atRisk += 1
                let now = try row.number(p), before = try row.number(previousP)
                #expect(now < 0.5 && before >= 0.5)
            }
        }
        #expect(atRisk == c.newlyAtRisk)
        #expect(rows >= max(c.clvUp, c.newlyAtRisk, c.segmentMoves))
    }

    @Test func theDecideStepPublishesTheActionListAndRecordsContactsOnce() throws {
        let f = try NightlyFixture(extraConfig: NightlyFixture.decide)
        defer { f.remove() }
        _ = try f.run("1998-06-29")
        let first = try f.run("1998-06-30")
        #expect(first.summary.outputs.contains("actions.csv"))
        let published = try f.outputs("1998-06-30")
        let actions = String(decoding: published["actions.csv"]!, as: UTF8.self).split(separator: "\n")
        #expect(actions.first?.hasPrefix("customer_id,action,") == true)
        let store = try KlantStore(path: f.storeURL.path)
        let count = { try store.queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM contact_history WHERE contact_date = '1998-06-30'")! } }
        #expect(try count() == actions.count - 1)
        _ = try f.run("1998-06-30")
        #expect(try f.outputs("1998-06-30") == published)
        #expect(try count() == actions.count - 1)
    }

    @Test func contactsCommitOrRollBackTogetherWithTheRunRecord() throws {
        let f = try NightlyFixture(extraConfig: NightlyFixture.decide)
        defer { f.remove() }
        try FileManager.default.createDirectory(at: f.storeURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        let store = try KlantStore(path: f.storeURL.path)
        // The run record is the last insert of a run: failing it must take the contacts (written before it) away too.
        try store.queue.write { try $0.execute(sql: "CREATE TRIGGER fail_run BEFORE INSERT ON run BEGIN SELECT RAISE(ABORT, 'injected failure'); END") }
        #expect(throws: (any Error).self) { try f.run("1998-06-30") }
        let counts = {
            try store.queue.read { db in
                try ["contact_history", "score_snapshot", "transaction_row", "run"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)")! }
            }
        }
        #expect(try counts() == [0, 0, 0, 0])
        #expect(!f.exists("1998-06-30"))
        try store.queue.write { try $0.execute(sql: "DROP TRIGGER fail_run") }
        _ = try f.run("1998-06-30")
        let actions = String(decoding: try f.outputs("1998-06-30")["actions.csv"]!, as: UTF8.self).split(separator: "\n")
        let after = try counts()
        #expect(after[0] == actions.count - 1 && actions.count > 1)
        #expect(after[3] == 1)
        let recorded = try store.queue.read { try String.fetchOne($0, sql: "SELECT counts FROM run")! }
        #expect(recorded.contains("\"contacts_recorded\":\(actions.count - 1)"), "\(recorded)")
    }

    @Test func aDryRunShowsTheDecideStepAndLeavesStoreAndOutputsAsTheyWere() throws {
        let f = try NightlyFixture(extraConfig: NightlyFixture.decide)
        defer { f.remove() }
        _ = try f.run("1998-06-29")
        let storeBytes = try Data(contentsOf: f.storeURL)
        let files = { (FileManager.default.subpaths(atPath: f.dir.path) ?? []).sorted() }
        let listing = files()
        var run = NightlyRun(config: try f.load(), asOf: try CalendarDay(parsing: "1998-06-30"))
        run.dryRun = true
        let plan = try run.run().plan
        #expect(try Data(contentsOf: f.storeURL) == storeBytes)
        #expect(files() == listing)
        #expect(!f.exists("1998-06-30"))
        // The dry run's counts are the real run's.
        _ = try f.run("1998-06-30")
        let actions = String(decoding: try f.outputs("1998-06-30")["actions.csv"]!, as: UTF8.self).split(separator: "\n").dropFirst()
        #expect(plan.contains { $0.hasPrefix("decide: \(actions.count) actions for campaign ") }, "\(plan)")
        var perAction: [String: Int] = [:]
        for row in actions { perAction[String(row.split(separator: ",")[1]), default: 0] += 1 }
        #expect(!perAction.isEmpty)
        for (action, rows) in perAction {
            let line = plan.first { $0.hasPrefix("decide \(action): ") }
            let chosen = line.flatMap { Int($0.split(separator: " ")[2]) } ?? -1
            #expect(chosen == rows, "\(action): \(line ?? "no line")")
        }
    }

    @Test func aDryRunWritesNothing() throws {
        let f = try NightlyFixture()
        defer { f.remove() }
        var run = NightlyRun(config: try f.load(), asOf: try CalendarDay(parsing: "1998-06-30"))
        run.dryRun = true
        let outcome = try run.run()
        #expect(outcome.plan.contains { $0.hasPrefix("ingest history.txt") })
        #expect(outcome.plan.contains { $0.hasPrefix("models: would_refit") })
        #expect(!FileManager.default.fileExists(atPath: f.storeURL.deletingLastPathComponent().path))
        #expect(!FileManager.default.fileExists(atPath: f.outDir.path))
    }
}
