import CustomerData
import Foundation
import GRDB
import Testing
@testable import Rescore
@testable import Store

/// Every gate stops the run before publishing (exit code 4), names itself and leaves the store as it was.
@Suite(.serialized) struct QualityGateTests {
    /// Runs the 27th first (a good day), breaks the 28th with `damage`, and checks the 28th stops at `gate`.
    func expectGate(_ gate: String, extraConfig: String = "", damage: (NightlyFixture) throws -> Void) throws {
        let f = try NightlyFixture(maxAgeDays: nil, extraConfig: extraConfig)
        defer { f.remove() }
        _ = try f.run("1998-06-27")
        let store = try KlantStore(path: f.storeURL.path)
        let before = try store.queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transaction_row")! }
        try damage(f)
        do {
            _ = try f.run("1998-06-28")
            Issue.record("gate \(gate) did not stop the run")
        } catch let error as RescoreError {
            #expect(error.kind == .gate, "\(error)")
            #expect(error.exitCode == 4)
            #expect(error.gate == gate, "\(error.message)")
            #expect(error.message.contains(gate))
        }
        #expect(!f.exists("1998-06-28"))
        let (after, snapshots, failed) = try store.queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transaction_row")!,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM score_snapshot WHERE as_of = '1998-06-28'")!,
             try String.fetchOne(db, sql: "SELECT outcome FROM run WHERE as_of = '1998-06-28'"))
        }
        #expect(after == before)
        #expect(snapshots == 0)
        #expect(failed == "gate_failed")
    }

    func replace28(_ f: NightlyFixture, _ text: String) throws {
        try text.write(to: f.incoming.appendingPathComponent("1998-06-28.csv"), atomically: true, encoding: .utf8)
    }

    func day28(_ f: NightlyFixture) throws -> [String] {
        try String(contentsOf: f.incoming.appendingPathComponent("1998-06-28.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func aMissingDropStopsTheRun() throws {
        try expectGate("missing_drop") { try FileManager.default.removeItem(at: $0.incoming.appendingPathComponent("1998-06-28.csv")) }
    }

    @Test func aTruncatedDropStopsTheRun() throws {
        try expectGate("truncated_input") { f in
            let text = try day28(f).joined(separator: "\n")
            try replace28(f, String(text.dropLast(3)))   // cut inside the last row, no final newline
        }
    }

    @Test func aTruncatedGzipDropStopsTheRun() throws {
        let f = try NightlyFixture(maxAgeDays: nil)
        defer { f.remove() }
        let gz = f.incoming.appendingPathComponent("1998-06-30.csv.gz")
        let bytes = try Data(contentsOf: gz)
        try bytes.prefix(bytes.count - 40).write(to: gz)
        #expect(throws: RescoreError.self) { _ = try f.run("1998-06-30") }
        do { _ = try f.run("1998-06-30") } catch let error as RescoreError { #expect(error.gate == "truncated_input", "\(error)") }
        #expect(!f.exists("1998-06-30"))
    }

    @Test func changedColumnsStopTheRun() throws {
        try expectGate("columns_changed") { f in
            var lines = try day28(f)
            lines[0] = "customer_id,order_date,amount"
            try replace28(f, lines.joined(separator: "\n") + "\n")
        }
    }

    @Test func futureDatesStopTheRun() throws {
        try expectGate("future_dates") { f in
            var lines = try day28(f)
            lines.append("00001,1998-07-15,10.00")
            try replace28(f, lines.joined(separator: "\n") + "\n")
        }
    }

    @Test func tooManyRejectedRowsStopTheRun() throws {
        try expectGate("rejected_rows") { f in
            var lines = try day28(f)
            lines.append("00001,1998-06-28,ten dollars")
            try replace28(f, lines.joined(separator: "\n") + "\n")
        }
    }

    @Test func aDropInDailyTransactionsStopsTheRun() throws {
        // The 28th keeps only 10 of its ~50 rows, from as many customers: both the transaction and the customer gate fire; the first is named.
        try expectGate("transaction_drop") { f in
            let lines = try day28(f)
            try replace28(f, lines.prefix(11).joined(separator: "\n") + "\n")
        }
    }

    @Test func aDropInActiveCustomersStopsTheRun() throws {
        // Same number of rows, but all from one customer.
        try expectGate("active_customer_drop", extraConfig: "") { f in
            let lines = try day28(f)
            var out = [lines[0]]
            for (i, _) in lines.dropFirst().enumerated() { out.append("00001,1998-06-28,\(10 + i).00") }
            try replace28(f, out.joined(separator: "\n") + "\n")
        }
    }

    @Test func rejectedRowsUnderTheLimitArePublishedNotDropped() throws {
        let f = try NightlyFixture(maxAgeDays: nil, extraConfig: "")
        defer { f.remove() }
        var lines = try day28(f)
        lines.append("00001,1998-06-28,ten dollars")
        try replace28(f, lines.joined(separator: "\n") + "\n")
        let text = try String(contentsOf: f.configURL, encoding: .utf8).replacingOccurrences(of: "gates:\n", with: "gates:\n  max_rejected_share: 0.05\n")
        try text.write(to: f.configURL, atomically: true, encoding: .utf8)
        let outcome = try f.run("1998-06-28")
        #expect(outcome.summary.rejectedRows == 1)
        let rejects = String(decoding: try f.outputs("1998-06-28")["rejected_rows.csv"]!, as: UTF8.self)
        #expect(rejects.contains("1998-06-28.csv,\(lines.count),amount ten dollars is not a number"))
    }
}
