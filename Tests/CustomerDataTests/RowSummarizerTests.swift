import Foundation
import Testing
@testable import CustomerData

/// `TransactionRowSummarizer` (rows one at a time, e.g. from a database) against the file summariser.
@Suite struct RowSummarizerTests {
    /// CDNOW master rows as text fields (customer, yyyyMMdd date, amount), in file order.
    static func cdnowRows() throws -> [(String, String, String)] {
        let text = try String(contentsOf: dataset("CDNOW_master.txt"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            return (f[0], f[1], f[3])
        }
    }

    static let masterFormat = TransactionFileFormat(delimiter: .whitespace, customer: "customer_id", date: "date",
                                                    amount: "dollar_value", datePattern: try! DatePattern("yyyyMMdd"))

    @Test func rowsGiveExactlyTheFileSummaryOnCDNOW() throws {
        let file = try TransactionSummarizer.summarize(file: dataset("CDNOW_master.txt"), format: Self.masterFormat,
                                                       options: cdnowPaperOptions())
        let rows = try TransactionRowSummarizer(source: "rows", customerColumn: "customer_id", dateColumn: "date",
                                                amountColumn: "dollar_value", datePattern: try DatePattern("yyyyMMdd"),
                                                options: cdnowPaperOptions())
        for (k, (c, d, a)) in try Self.cdnowRows().enumerated() {
            try rows.add(row: k + 1, customerID: c, date: .text(d), amount: .text(a))
        }
        let run = try rows.finish()
        #expect(run.summary == file.summary)
        #expect(run.report.transactionsUsed == file.report.transactionsUsed)
        #expect(run.report.customers == file.report.customers)
    }

    @Test func typedDaysAndNumbersEqualTextFields() throws {
        let text = try TransactionRowSummarizer(source: "t", customerColumn: "c", dateColumn: "d", amountColumn: "a",
                                                options: SummaryOptions(timeUnit: .day))
        let typed = try TransactionRowSummarizer(source: "t", customerColumn: "c", dateColumn: "d", amountColumn: "a",
                                                 options: SummaryOptions(timeUnit: .day))
        let rows = [("x", "2020-01-01", "10.5"), ("y", "2020-01-03", "4"), ("x", "2020-01-09", "2.25"), ("x", "2020-01-09", "1")]
        for (k, (c, d, a)) in rows.enumerated() {
            try text.add(row: k + 1, customerID: c, date: .text(d), amount: .text(a))
            try typed.add(row: k + 1, customerID: c, date: .day(try CalendarDay(parsing: d).dayNumber), amount: .number(Double(a)!))
        }
        let summary = try text.finish().summary
        #expect(summary == (try typed.finish().summary))
        #expect(summary.customerIDs == ["x", "y"])
        #expect(summary.frequency == [1, 0])
        #expect(summary.monetaryValue == [3.25, 0])
    }

    @Test func badRowStopsWithSourceRowAndColumn() throws {
        let rows = try TransactionRowSummarizer(source: "postgresql://u@h:5432/db, table \"tx\"", customerColumn: "c",
                                                dateColumn: "d", amountColumn: "a", options: SummaryOptions())
        try rows.add(row: 1, customerID: "x", date: .text("2020-01-01"), amount: .text("1"))
        let error = inputError { try rows.add(row: 2, customerID: "x", date: .text("2020-13-01"), amount: .text("1")) }
        #expect(error?.kind == .badDate)
        #expect(error?.description.contains("table \"tx\", row 2") == true)
        #expect(error?.columnName == "d")
        #expect(inputError { try rows.add(row: 3, customerID: "", date: .text("2020-01-01"), amount: .none) }?.kind == .emptyCustomerID)
        let comma = inputError { try rows.add(row: 4, customerID: "x", date: .text("2020-01-01"), amount: .text("12,50")) }
        #expect(comma?.kind == .badAmount || comma?.kind == .ambiguousNumber)
        #expect(comma?.description.contains("--decimal-comma") == true, "\(String(describing: comma))")
    }

    @Test func textAmountsAndIdsAreReadAsInFiles() throws {
        // A Dutch number format, and an id typed composed and decomposed: one customer, as in a file.
        let rows = try TransactionRowSummarizer(source: "db", customerColumn: "c", dateColumn: "d", amountColumn: "a",
                                                datePattern: try DatePattern("dd-MM-yyyy"),
                                                numbers: NumberFormat(decimalMark: .comma, thousandsSeparator: ".", currencySymbols: ["€"]),
                                                options: SummaryOptions(timeUnit: .day))
        try rows.add(row: 1, customerID: "M\u{00FC}ller", date: .text("01-02-2020"), amount: .text("€ 1.234,50"))
        try rows.add(row: 2, customerID: "Mu\u{0308}ller", date: .text("03-02-2020"), amount: .text("12,50"))
        let summary = try rows.finish().summary
        #expect(summary.customerIDs == ["M\u{00FC}ller"])
        #expect(summary.frequency == [1])
        #expect(summary.monetaryValue == [12.5])
    }

    @Test func futureDatesAreRefusedUnlessAllowed() throws {
        let today = CalendarDay(year: 2020, month: 6, day: 1)!
        let strict = try TransactionRowSummarizer(source: "db", customerColumn: "c", dateColumn: "d", amountColumn: nil,
                                                  options: SummaryOptions(today: today))
        let error = inputError { try strict.add(row: 1, customerID: "x", date: .text("2031-01-01"), amount: .none) }
        #expect(error?.kind == .afterObservationEnd)
        #expect(error?.description.contains("--allow-future") == true)
        let lenient = try TransactionRowSummarizer(source: "db", customerColumn: "c", dateColumn: "d", amountColumn: nil,
                                                   options: SummaryOptions(allowFuture: true, today: today))
        try lenient.add(row: 1, customerID: "x", date: .text("2031-01-01"), amount: .none)
        #expect(try lenient.finish().summary.count == 1)
    }

    @Test func skippedRowsGoToTheRejectsFile() throws {
        let rejects = try makeTempDirectory().appendingPathComponent("rejects.csv")
        let options = SummaryOptions(timeUnit: .day, observationEnd: CalendarDay(year: 2020, month: 1, day: 31),
                                     negativeAmounts: .reject, skipInvalid: true, rejectsFile: rejects)
        let rows = try TransactionRowSummarizer(source: "db", customerColumn: "c", dateColumn: "d", amountColumn: "a", options: options)
        try rows.add(row: 1, customerID: "x", date: .text("2020-01-01"), amount: .number(5))
        try rows.add(row: 2, customerID: "x", date: .text("2020-02-01"), amount: .number(5))
        try rows.add(row: 3, customerID: "y", date: .text("2020-01-02"), amount: .number(-1))
        let run = try rows.finish()
        #expect(run.report.rejected == 2)
        #expect(run.summary.customerIDs == ["x"])
        let written = try readReferenceCSV(rejects)
        #expect(written.map { $0["line"] } == ["2", "3"])
    }

    @Test func noRowsIsAnError() throws {
        let rows = try TransactionRowSummarizer(source: "db", customerColumn: "c", dateColumn: "d", amountColumn: nil, options: SummaryOptions())
        #expect(inputError { _ = try rows.finish() }?.kind == .emptyFile)
    }
}
