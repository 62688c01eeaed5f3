import Foundation
import Testing
@testable import CustomerData

/// The same input gives the same summary however it is read and written.
@Suite struct ConsistencyTests {
    @Test func parallelParseEqualsSingleThreadParseOnCDNOWMaster() throws {
        let format = TransactionFileFormat(customer: "customer_id", date: "date", amount: "dollar_value",
                                           datePattern: try DatePattern("yyyyMMdd"))
        func run(_ threads: Int) throws -> SummaryRun {
            var options = cdnowPaperOptions(threads: threads)
            options.timeUnit = .day
            return try TransactionSummarizer.summarize(file: dataset("CDNOW_master.txt"), format: format, options: options)
        }
        let single = try run(1)
        for threads in [2, 3, 5] {
            let parallel = try run(threads)
            #expect(parallel.summary.customerIDs == single.summary.customerIDs, "\(threads) threads")
            #expect(parallel.summary.frequency == single.summary.frequency)
            #expect(parallel.summary.recency == single.summary.recency)
            #expect(parallel.summary.T == single.summary.T)
            #expect(parallel.summary.frequencyHoldout == single.summary.frequencyHoldout)
            #expect(zip(parallel.summary.monetaryValue, single.summary.monetaryValue).allSatisfy { abs($0 - $1) < 1e-9 })
            #expect(parallel.report == single.report)
        }
    }

    @Test func parallelParseReportsTheSameFirstErrorLine() throws {
        var text = "customer_id,date,amount\n"
        for i in 0..<60_000 { text += "c\(i % 977),2020-01-\(10 + i % 19),\(i % 50).25\n" }
        text += "bad,2020-02-31,1\n"
        for i in 0..<60_000 { text += "c\(i % 977),2020-03-\(10 + i % 19),1\n" }
        let url = try writeTemp(text)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        for threads in [1, 2, 4] {
            let e = inputError {
                _ = try TransactionSummarizer.summarize(file: url, format: TransactionFileFormat(amount: "amount"),
                                                        options: SummaryOptions(threads: threads))
            }
            #expect(e?.kind == .badDate && e?.line == 60_002, "\(threads) threads")
        }
    }

    @Test func customerWithManyPurchaseDaysCountsEveryDistinctDay() throws {
        // More distinct days than an entry holds inline (16), in scrambled order, with same-day repeats.
        var rows: [String] = []
        for k in 0..<40 { rows.append("big,\(CalendarDay(dayNumber: 18_262 + (k * 7) % 40))") }
        for k in 0..<10 { rows.append("big,\(CalendarDay(dayNumber: 18_262 + k * 3)),1") }
        rows = rows.map { $0.split(separator: ",").count == 2 ? $0 + ",2" : $0 }
        let text = "customer_id,date,amount\n" + rows.joined(separator: "\n") + "\nsmall,2020-01-05,1\n"
        for threads in [1, 2, 3] {
            let options = SummaryOptions(timeUnit: .day, calibrationEnd: CalendarDay(dayNumber: 18_262 + 29), threads: threads)
            let s = try summarizeText(text, options: options).summary
            #expect(s.customerIDs == ["big", "small"], "\(threads) threads")
            #expect(s.frequency[0] == 29 && s.frequencyHoldout?[0] == 10)
            #expect(s.recency[0] == 29 && s.T[0] == 29)
            // Repeat calibration days: 29 days of 2 each, plus 1 extra on the 9 multiples of 3 in 3...27.
            #expect(abs(s.monetaryValue[0] - (29.0 * 2 + 9) / 29) < 1e-12)
        }
    }

    @Test func quotedFileGivesTheSameSummaryOnAnyThreadCount() throws {
        var text = "customer_id,date,amount\n"
        for i in 0..<5_000 { text += "\"id \(i % 313), \"\"q\"\"\nline\",2020-0\(1 + i % 9)-1\(i % 10),\"\(i % 17).5\"\n" }
        let url = try writeTemp(text)
        let format = TransactionFileFormat(amount: "amount")
        let single = try TransactionSummarizer.summarize(file: url, format: format, options: SummaryOptions(threads: 1))
        let parallel = try TransactionSummarizer.summarize(file: url, format: format, options: SummaryOptions(threads: 2))
        #expect(single.summary.count == 313)
        #expect(single.summary.customerIDs[0] == "id 0, \"q\"\nline")
        #expect(parallel.summary == single.summary)
        #expect(parallel.report == single.report)
    }

    @Test func summaryWriteThenReadIsExact() throws {
        let run = try TransactionSummarizer.summarize(file: dataset("CDNOW_sample.txt"), format: cdnowSampleFormat(),
                                                      options: cdnowPaperOptions())
        let url = try makeTempDirectory().appendingPathComponent("summary.csv")
        try SummaryTable.write(run.summary, to: url)
        let back = try SummaryTable.read(from: url, timeUnit: .week)
        #expect(back == run.summary)
        let header = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")[0]
        #expect(header == "customer_id,frequency,recency,T,monetary_value,frequency_holdout,monetary_value_holdout,duration_holdout")
    }

    @Test func summaryWithAwkwardIDsRoundTripsExactly() throws {
        let ids = ["=1+2", "-5", "'=x", "''=y", "a,b", "q\"uote", " padded ", "plain", "@home", "'"]
        let n = ids.count
        let s = CustomerSummary(customerIDs: ids, frequency: (0..<n).map { Double($0 % 3) },
                                recency: (0..<n).map { $0 % 3 == 0 ? 0 : 0.1 * Double($0) },
                                T: (0..<n).map { 1.0 / 3.0 + Double($0) }, monetaryValue: (0..<n).map { Double($0) / 7 },
                                timeUnit: .month)
        let url = try makeTempDirectory().appendingPathComponent("s.csv")
        try SummaryTable.write(s, to: url)
        #expect(try SummaryTable.read(from: url, timeUnit: .month) == s)
    }
}
