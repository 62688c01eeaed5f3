import CustomerData
import Foundation
import GRDB
import Testing
@testable import Rescore
@testable import Store

/// The per-customer totals the store keeps for the daily summary: after every run they give the
/// summary of the full transaction log (re-delivered files, repeated rows, same-day purchases,
/// returns and a drop delivered late included), and updating them day by day gives the same bits as
/// rebuilding them from every stored row.
@Suite(.serialized) struct CustomerTotalsTests {
    /// The summary `klant summarize` makes of every file in the fixture through `asOf` (history and
    /// drops, each row counted once by its hash), customers in id order: the reference.
    func fullLogSummary(_ f: NightlyFixture, asOf: String) throws -> CustomerSummary {
        let config = try f.load(), day = try CalendarDay(parsing: asOf)
        var files: [ParsedTransactions] = []
        if let history = config.history {
            files.append(ParsedTransactions.read(history.file, layout: history.layout, latest: day, through: history.through))
        }
        for drop in try DropFile.list(folder: config.dropsFolder, through: day) {
            files.append(ParsedTransactions.read(drop.url, layout: config.dropLayout, latest: drop.day))
        }
        let summarizer = try TransactionRowSummarizer(source: "fixture files", customerColumn: "customer_id", dateColumn: "date", amountColumn: "amount",
                                                      options: SummaryOptions(timeUnit: .week, observationEnd: day, today: day))
        var seen = Set<Int64>(), row = 0
        for file in files {
            for r in file.rows where seen.insert(r.hash).inserted {
                row += 1
                try summarizer.add(row: row, customerID: r.customerID, date: .day(r.day.dayNumber), amount: .number(r.amount))
            }
        }
        let summary = try summarizer.finish().summary
        return summary.selecting(rows: summary.customerIDs.indices.sorted { summary.customerIDs[$0] < summary.customerIDs[$1] })
    }

    /// The summary the run uses (from the stored totals, read only).
    func storeSummary(_ f: NightlyFixture, asOf: String) throws -> CustomerSummary {
        let step = ScoreStep(config: try f.load(), asOf: try CalendarDay(parsing: asOf))
        return try KlantStore(path: f.storeURL.path).queue.read { db in try step.summary(db, unit: .week).summary }
    }

    /// Counts, recency and T exactly; monetary value to 1e-12 relative (the reference adds up in
    /// file order, the totals exactly).
    func expectSame(_ a: CustomerSummary, _ b: CustomerSummary, _ what: String) {
        #expect(a.customerIDs == b.customerIDs, "\(what): customers")
        #expect(a.frequency == b.frequency, "\(what): frequency")
        #expect(a.recency == b.recency, "\(what): recency")
        #expect(a.T == b.T, "\(what): T")
        let worst = zip(a.monetaryValue, b.monetaryValue).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= 1e-12, "\(what): monetary value differs by \(worst)")
    }

    func state(_ f: NightlyFixture) throws -> CustomerTotals.State {
        try KlantStore(path: f.storeURL.path).queue.read { try CustomerTotals.state($0) }
    }

    /// The stored totals and a rebuild from the stored rows, which must agree to the bit.
    func storedAndRebuilt(_ f: NightlyFixture) throws -> (stored: [CustomerTotal], rebuilt: [CustomerTotal], ids: Bool) {
        try KlantStore(path: f.storeURL.path).queue.read { db in
            let stored = try CustomerTotals.readAll(db)
            let rebuilt = try CustomerTotals.rebuild(db, through: Int32.max)
            return (stored.totals, rebuilt.totals, stored.ids == rebuilt.ids)
        }
    }

    func lines(_ url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func write(_ lines: [String], to url: URL) throws {
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func dailyTotalsEqualTheFullLogSummaryThroughRedeliveriesDuplicatesReturnsAndALateDrop() throws {
        let f = try NightlyFixture(maxAgeDays: nil)
        defer { f.remove() }
        let drop = { (day: String) in f.incoming.appendingPathComponent("\(day).csv") }
        // The 26th's drop arrives late (after the 28th has run), with a row for a customer who
        // bought before and after it: whether the 26th is a new purchase day needs the stored rows.
        let late = try lines(drop("1998-06-26"))
        try FileManager.default.removeItem(at: drop("1998-06-26"))
        let day28 = try lines(drop("1998-06-28"))
        let history = try String(contentsOf: f.dir.appendingPathComponent("history.txt"), encoding: .utf8)
        let historic = Set(history.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) })
        let spanning = try #require(day28.dropFirst().map { String($0.prefix { $0 != "," }) }.first { historic.contains($0) })
        // A row repeated inside the 25th's drop, and on the 27th a second purchase and a return on a customer's purchase day.
        var day25 = try lines(drop("1998-06-25"))
        day25.append(day25[1])
        try write(day25, to: drop("1998-06-25"))
        var day27 = try lines(drop("1998-06-27"))
        let buyer27 = String(day27[1].prefix { $0 != "," })
        day27 += ["\(buyer27),1998-06-27,4.10", "\(buyer27),1998-06-27,-3.35"]
        try write(day27, to: drop("1998-06-27"))

        for day in ["1998-06-24", "1998-06-25", "1998-06-27", "1998-06-28"] {
            _ = try f.run(day)
            expectSame(try storeSummary(f, asOf: day), try fullLogSummary(f, asOf: day), day)
            #expect(try state(f).valid, "\(day): the totals were updated, not rebuilt")
        }
        // The 28th re-delivered with one more row, and the late 26th: the 29th ingests both.
        try write(day28 + ["\(buyer27),1998-06-28,7.77"], to: drop("1998-06-28"))
        try write(late + ["\(spanning),1998-06-26,5.25"], to: drop("1998-06-26"))
        let outcome = try f.run("1998-06-29")
        #expect(outcome.filesRead.sorted() == ["1998-06-26.csv", "1998-06-28.csv", "1998-06-29.csv"])
        expectSame(try storeSummary(f, asOf: "1998-06-29"), try fullLogSummary(f, asOf: "1998-06-29"), "1998-06-29 after the late drop")
        #expect(try state(f).valid, "the run rebuilt the totals and kept them")
        _ = try f.run("1998-06-30")
        expectSame(try storeSummary(f, asOf: "1998-06-30"), try fullLogSummary(f, asOf: "1998-06-30"), "1998-06-30")
        // A backfilled earlier as-of date reads the rows through it (the totals hold through the 30th).
        _ = try f.run("1998-06-27")
        expectSame(try storeSummary(f, asOf: "1998-06-27"), try fullLogSummary(f, asOf: "1998-06-27"), "1998-06-27 backfilled")
        let (stored, rebuilt, sameIDs) = try storedAndRebuilt(f)
        #expect(sameIDs && stored == rebuilt, "day-by-day totals equal a rebuild from every row, bit for bit")
    }

    @Test func aLateRowInsideAPurchaseSpanRebuildsTheTotalsAndTheOutputsEqualAnInOrderStore() throws {
        // In order: every drop on its day. Late: the 26th arrives with the 29th.
        let inOrder = try NightlyFixture(maxAgeDays: nil)
        defer { inOrder.remove() }
        let late = try NightlyFixture(maxAgeDays: nil)
        defer { late.remove() }
        let aside = late.dir.appendingPathComponent("1998-06-26.csv")
        try FileManager.default.moveItem(at: late.incoming.appendingPathComponent("1998-06-26.csv"), to: aside)
        for day in ["1998-06-24", "1998-06-25", "1998-06-26", "1998-06-27", "1998-06-28", "1998-06-29"] {
            _ = try inOrder.run(day)
        }
        for day in ["1998-06-24", "1998-06-25", "1998-06-27", "1998-06-28"] { _ = try late.run(day) }
        try FileManager.default.moveItem(at: aside, to: late.incoming.appendingPathComponent("1998-06-26.csv"))
        _ = try late.run("1998-06-29")
        let a = try inOrder.outputs("1998-06-29"), b = try late.outputs("1998-06-29")
        #expect(a["scores.csv"] == b["scores.csv"])
        #expect(a["scores.csv.meta.json"] == b["scores.csv.meta.json"])
    }

    @Test func aStoreWithoutTrustedTotalsRebuildsThemAndPublishesTheSameFiles() throws {
        let f = try NightlyFixture(maxAgeDays: nil)
        defer { f.remove() }
        _ = try f.run("1998-06-30")
        let published = try f.outputs("1998-06-30")
        // As a store migrated from before the totals: rows stored, no totals, state untrusted.
        try KlantStore(path: f.storeURL.path).queue.write { db in
            try db.execute(sql: "DELETE FROM customer_total; UPDATE customer_total_state SET valid = 0")
        }
        _ = try f.run("1998-06-30")
        #expect(try f.outputs("1998-06-30") == published)
        #expect(try state(f).valid)
        let (stored, rebuilt, sameIDs) = try storedAndRebuilt(f)
        #expect(sameIDs && stored == rebuilt && !stored.isEmpty)
    }

    @Test func aDayStrictlyInsideThePurchaseSpanIsLeftToARebuild() throws {
        var t = CustomerTotal(day: 10, amount: ExactAmount.fixed(5))
        #expect(try t.add(day: 20, amount: ExactAmount.fixed(3)))
        #expect(try t.add(day: 20, amount: ExactAmount.fixed(-1)))
        #expect(try t.add(day: 10, amount: ExactAmount.fixed(2)))
        let before = t
        #expect(try !t.add(day: 15, amount: ExactAmount.fixed(1)))
        #expect(t == before)
        #expect(try t.add(day: 4, amount: ExactAmount.fixed(0.5)))
        #expect(t.firstDay == 4 && t.lastDay == 20 && t.purchaseDays == 3 && t.transactions == 5)
        #expect(ExactAmount.double(t.firstDayAmount) == 0.5 && ExactAmount.double(t.amount) == 9.5)
    }

    @Test func exactSumsDoNotDependOnTheOrderOfTheRows() {
        var rng = SplitMix64(state: 7)
        let amounts = (0..<2000).map { _ in Double(Int.random(in: -5000...90000, using: &rng)) / 100 + 1e-7 * Double(Int.random(in: 0...9, using: &rng)) }
        func total(_ values: [Double]) -> Int128 { values.reduce(Int128(0)) { $0 + ExactAmount.fixed($1) } }
        let forward = total(amounts)
        #expect(total(amounts.reversed()) == forward)
        #expect(total(amounts.shuffled(using: &rng)) == forward)
        // And the sum is the correctly rounded one (plain Double sums differ by order).
        #expect(abs(ExactAmount.double(forward) - amounts.reduce(0, +)) < 1e-6)
        #expect(ExactAmount.join(hi: ExactAmount.split(forward).hi, lo: ExactAmount.split(forward).lo) == forward)
        #expect(ExactAmount.join(hi: ExactAmount.split(-forward).hi, lo: ExactAmount.split(-forward).lo) == -forward)
    }

    @Test func anAmountOutOfRangeIsARejectedRowWithItsReason() throws {
        let layout = RescoreConfig.TableLayout(delimiter: ",", datePattern: .iso, columns: ["customer_id", "date", "amount"],
                                               customerColumn: "customer_id", dateColumn: "date", amountColumn: "amount")
        var parsed = ParsedTransactions(name: "t.csv")
        parsed.parse(Array("customer_id,date,amount\nA1,1998-06-28,2e15\nA2,1998-06-28,-1e16\nA3,1998-06-28,999999999999999\n".utf8),
                     layout: layout, latest: try CalendarDay(parsing: "1998-06-28"), through: nil)
        #expect(parsed.rows.map(\.customerID) == ["A3"])
        #expect(parsed.rejected.map(\.line) == [2, 3])
        #expect(parsed.rejected.allSatisfy { $0.reason.contains("out of range") }, "\(parsed.rejected)")
    }
}
