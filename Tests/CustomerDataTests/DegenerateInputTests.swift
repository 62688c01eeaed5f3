import Foundation
import Testing
@testable import CustomerData

/// Inputs that used to be misread silently: future dates, Unicode ids in two forms, binary files,
/// customers observed for no time, summaries without repeat buyers.
@Suite struct DegenerateInputTests {
    let today = CalendarDay(year: 2026, month: 12, day: 1)!

    @Test func rowsDatedAfterTodayAreAnErrorWithTheirCountUnlessAllowed() throws {
        let text = "customer_id,date,amount\nA,2020-01-01,5\nB,2031-01-01,1\nA,2020-02-01,5\nC,2032-05-05,1\n"
        let e = inputError { _ = try summarizeText(text, options: SummaryOptions(timeUnit: .day, today: today)) }
        #expect(e?.kind == .afterObservationEnd)
        #expect(e?.line == 3)
        #expect(e?.value == "2031-01-01")
        #expect(e?.problem.contains("today (2026-12-01)") == true)
        #expect(e?.problem.contains("2 rows") == true)
        #expect(e?.remedy.contains("--allow-future") == true)
        // Allowed: the last date ends the observation, as before.
        let allowed = try summarizeText(text, options: SummaryOptions(timeUnit: .day, allowFuture: true, today: today))
        #expect(allowed.report.observationEnd == CalendarDay(year: 2032, month: 5, day: 5))
        // Skipped into a rejects file, they are listed there.
        let rejects = try makeTempDirectory().appendingPathComponent("rejects.csv")
        let skipped = try summarizeText(text, options: SummaryOptions(timeUnit: .day, skipInvalid: true, rejectsFile: rejects, today: today))
        #expect(skipped.report.rejected == 2)
        #expect(skipped.summary.customerIDs == ["A"])
        #expect(skipped.report.observationEnd == CalendarDay(year: 2020, month: 2, day: 1))
    }

    @Test func rowsAfterAGivenObservationEndAreCountedToo() throws {
        let text = "customer_id,date\nA,2020-01-01\nA,2020-03-01\nB,2020-04-01\n"
        let e = inputError { _ = try summarizeText(text, format: TransactionFileFormat(),
                                                   options: SummaryOptions(timeUnit: .day, observationEnd: CalendarDay(year: 2020, month: 2, day: 1))) }
        #expect(e?.line == 3)
        #expect(e?.problem.contains("the observation end 2020-02-01 (2 rows") == true)
    }

    @Test func composedAndDecomposedIdsAreOneCustomerInNFC() throws {
        let composed = "j\u{00FC}rgen", decomposed = "ju\u{0308}rgen"
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        let long = String(repeating: "x", count: 30)
        let text = "customer_id,date,amount\n\(composed),2020-01-01,5\n\(decomposed),2020-02-01,7\nB,2020-01-03,2\n"
            + "\(long)\u{00E9},2020-01-01,1\n\(long)e\u{0301},2020-01-05,1\n"
        for threads in [1, 2] {
            let run = try summarizeText(text, options: SummaryOptions(timeUnit: .day, threads: threads))
            #expect(run.summary.customerIDs.map { Array($0.utf8) } == [Array(composed.utf8), Array("B".utf8), Array("\(long)\u{00E9}".utf8)])
            #expect(run.summary.frequency == [1, 0, 1])
            // The summary reads back (ids unique after normalisation).
            let csv = SummaryTable.csv(run.summary).data
            #expect(try SummaryTable.parse(csv, path: "s.csv", timeUnit: .day) == run.summary)
        }
        // A summary written elsewhere with both forms is a duplicate, named as such.
        let both = Data("customer_id,frequency,recency,T\n\(composed),0,0,5\n\(decomposed),0,0,5\n".utf8)
        #expect(inputError { _ = try SummaryTable.parse(both, path: "s.csv") }?.kind == .duplicateCustomer)
    }

    @Test func binaryInputIsRecognisedBeforeTheHeader() throws {
        var bytes: [UInt8] = Array("customer_id,date\n".utf8) + [0, 1, 2, 0, 0xFF, 10]
        let url = try makeTempDirectory().appendingPathComponent("bin.csv")
        try Data(bytes).write(to: url)
        let e = inputError { _ = try TransactionSummarizer.summarize(file: url, format: TransactionFileFormat()) }
        #expect(e?.kind == .binaryFile)
        #expect(e?.problem.contains("NUL byte") == true)
        bytes = [0x50, 0x4B, 0x03, 0x04] + Array("rest".utf8)
        try Data(bytes).write(to: url)
        #expect(inputError { _ = try TransactionSummarizer.summarize(file: url, format: TransactionFileFormat()) }?.problem.contains("zip") == true)
        #expect(inputError { _ = try SummaryTable.parse(Data(bytes), path: "s.csv") }?.kind == .binaryFile)
        // UTF-16 text is named as such.
        let utf16 = Data([0xFF, 0xFE] + Array("id,date\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        try utf16.write(to: url)
        #expect(inputError { _ = try TransactionSummarizer.summarize(file: url, format: TransactionFileFormat()) }?.problem.contains("UTF-16") == true)
    }

    @Test func customersFirstSeenOnTheCalibrationEndAreCountedAndLeftOutOfFits() throws {
        let text = "customer_id,date\nA,2020-01-01\nA,2020-01-05\nB,2020-01-10\nC,2020-01-12\n"
        let run = try summarizeText(text, format: TransactionFileFormat(),
                                    options: SummaryOptions(timeUnit: .day, calibrationEnd: CalendarDay(year: 2020, month: 1, day: 10),
                                                            observationEnd: CalendarDay(year: 2020, month: 1, day: 20)))
        #expect(run.report.customersWithZeroT == 1)
        #expect(run.summary.zeroTRows == [1])
        let (kept, dropped) = run.summary.droppingZeroT()
        #expect(dropped == 1 && kept.customerIDs == ["A"])
    }

    @Test func aSummaryWithoutRepeatBuyersIsRefusedWithoutPenaltyAdvice() throws {
        let none = CustomerSummary(customerIDs: ["a", "b"], frequency: [0, 0], recency: [0, 0], T: [5, 6])
        let e = inputError { try none.requireRepeatBuyers(source: "s.csv") }
        #expect(e?.kind == .noValidRows)
        #expect(e?.file == "s.csv")
        #expect(e?.description.contains("penaliz") == false)
        #expect(e?.problem.contains("none of the 2 customers made a repeat purchase") == true)
        let some = CustomerSummary(customerIDs: ["a", "b"], frequency: [0, 1], recency: [0, 2], T: [5, 6])
        #expect(inputError { try some.requireRepeatBuyers(source: nil) } == nil)
    }
}

/// The hash table behind the summary reader's duplicate check.
@Suite struct UniqueIDsTests {
    @Test func equalHashesOfDifferentIdsAreNotDuplicatesAndRealDuplicatesAreFound() {
        var set = UniqueIDs(expected: 4)
        let ids = (0..<10_000).map { "id\($0)" }
        // Every id gets one of only 16 hashes: collisions everywhere, the table grows several times.
        for (k, id) in ids.enumerated() {
            #expect(set.insert(hash: UInt64(k % 16) << 40, index: k, equals: { ids[$0] == id }) == nil)
        }
        #expect(set.insert(hash: UInt64(1234 % 16) << 40, index: ids.count, equals: { ids[$0] == "id1234" }) == 1234)
        // A summary with a repeated id names both lines.
        let text = "customer_id,frequency,recency,T\na,0,0,5\nb,1,2,5\n\na,0,0,6\n"
        let e = inputError { _ = try SummaryTable.parse(Data(text.utf8), path: "s.csv") }
        #expect(e?.kind == .duplicateCustomer && e?.line == 5 && e?.problem.contains("line 2") == true)
    }

    @Test func theFirstRepeatInIndexOrderIsFoundWhenTheIdsAreCheckedInBuckets() {
        // 200,000 ids (checked in 256 buckets by hash) with repeats in different buckets; the first
        // repeat in index order is row 150,000 (a copy of row 7), whichever bucket finds its own first.
        var ids = (0..<200_000).map { "c\($0)" }
        ids[150_000] = "c7"; ids[170_000] = "c8"; ids[190_000] = "c150001"
        func hashes(_ ids: [String]) -> [UInt64] { ids.map { id in var id = id; return id.withUTF8 { hashBytes($0.baseAddress!, $0.count) } } }
        #expect(UniqueIDs.firstRepeat(ids: ids, hashes: hashes(ids))! == (150_000, 7))
        ids[150_000] = "c150000"
        #expect(UniqueIDs.firstRepeat(ids: ids, hashes: hashes(ids))! == (170_000, 8))
        ids = Array(ids[0..<160_000])
        #expect(UniqueIDs.firstRepeat(ids: ids, hashes: hashes(ids)) == nil)
    }
}
