import Foundation
import Testing
@testable import CustomerData

/// Each kind of bad input gives a typed error whose message names the file, line and column.
@Suite struct InputErrorTests {
    let format = TransactionFileFormat(amount: "amount")

    @Test func badDateNamesLineColumnAndValue() throws {
        let e = try #require(inputError { _ = try summarizeText("customer_id,date,amount\na,2020-01-01,1\nb,2020-13-01,2\n") })
        #expect(e.kind == .badDate)
        #expect(e.line == 3)
        #expect(e.columnName == "date" && e.columnNumber == 2)
        #expect(e.description.contains("tx.csv:3"))
        #expect(e.description.contains("column \"date\" (2)"))
        #expect(e.description.contains("\"2020-13-01\""))
        #expect(e.description.contains("yyyy-MM-dd"))
    }

    @Test func nonNumericAmountNamesLineAndColumn() throws {
        let e = try #require(inputError { _ = try summarizeText("customer_id,date,amount\na,2020-01-01,$12\n") })
        #expect(e.kind == .badAmount)
        #expect(e.line == 2 && e.columnNumber == 3)
        #expect(e.description.contains("tx.csv:2: column \"amount\" (3): value \"$12\""))
    }

    @Test func missingColumnListsTheColumnsThatExist() throws {
        let e = try #require(inputError {
            _ = try summarizeText("customer_id,day,amount\na,2020-01-01,1\n")
        })
        #expect(e.kind == .missingColumn)
        #expect(e.line == 1)
        #expect(e.description.contains("\"date\""))
        #expect(e.description.contains("1: customer_id, 2: day, 3: amount"))
    }

    @Test func missingColumnNumberInHeaderlessFileSaysHowManyExist() throws {
        let f = TransactionFileFormat(hasHeader: false, customer: 1, date: 2, amount: 7)
        let e = try #require(inputError { _ = try summarizeText("a,2020-01-01,1\n", format: f) })
        #expect(e.kind == .missingColumn)
        #expect(e.columnNumber == 7)
        #expect(e.description.contains("3 columns"))
    }

    @Test func emptyFileIsAnError() throws {
        let e = try #require(inputError { _ = try summarizeText("") })
        #expect(e.kind == .emptyFile)
        #expect(e.description.contains("tx.csv:1"))
    }

    @Test func headerOnlyFileIsAnError() throws {
        let e = try #require(inputError { _ = try summarizeText("customer_id,date,amount\n\n") })
        #expect(e.kind == .headerOnly)
        #expect(e.description.contains("no data rows"))
    }

    @Test func dateAfterObservationEndIsAnErrorWithLine() throws {
        let options = SummaryOptions(timeUnit: .day, observationEnd: CalendarDay(year: 2020, month: 1, day: 31))
        let e = try #require(inputError {
            _ = try summarizeText("customer_id,date,amount\na,2020-01-01,1\na,2020-02-01,1\n", options: options)
        })
        #expect(e.kind == .afterObservationEnd)
        #expect(e.line == 3 && e.columnName == "date" && e.columnNumber == 2)
        #expect(e.description.contains("2020-01-31"))
    }

    @Test func duplicateHeaderNamesAreAnError() throws {
        let e = try #require(inputError { _ = try summarizeText("customer_id,date,date,amount\na,2020-01-01,2020-01-01,1\n") })
        #expect(e.kind == .duplicateHeader)
        #expect(e.line == 1 && e.columnNumber == 3)
        #expect(e.description.contains("also column 2"))
    }

    @Test func raggedRowIsAnErrorWithLine() throws {
        let e = try #require(inputError { _ = try summarizeText("customer_id,date,amount\na,2020-01-01,1\nb,2020-01-02\n") })
        #expect(e.kind == .raggedRow)
        #expect(e.line == 3)
        #expect(e.description.contains("tx.csv:3"))
        #expect(e.description.contains("2 fields"))
    }

    @Test func raggedRowInHeaderlessFileComparesWithTheFirstRow() throws {
        let f = TransactionFileFormat(hasHeader: false, customer: 1, date: 2, amount: 3)
        let e = try #require(inputError { _ = try summarizeText("a,2020-01-01,1\nb,2020-01-02,1,extra\n", format: f) })
        #expect(e.kind == .raggedRow && e.line == 2)
        #expect(e.description.contains("4 fields but the first row has 3"))
    }

    @Test func calibrationEndAfterObservationEndIsAnError() throws {
        let options = SummaryOptions(calibrationEnd: CalendarDay(year: 2020, month: 3, day: 1),
                                     observationEnd: CalendarDay(year: 2020, month: 2, day: 1))
        let e = try #require(inputError { _ = try summarizeText("customer_id,date,amount\na,2020-01-01,1\n", options: options) })
        #expect(e.kind == .calibrationAfterObservation)
        #expect(e.description.contains("2020-03-01") && e.description.contains("2020-02-01"))
    }

    @Test func calibrationEndAfterLastDateInFileIsAnError() throws {
        let options = SummaryOptions(calibrationEnd: CalendarDay(year: 2020, month: 3, day: 1))
        let e = try #require(inputError { _ = try summarizeText("customer_id,date,amount\na,2020-01-01,1\n", options: options) })
        #expect(e.kind == .calibrationAfterObservation)
        #expect(e.description.contains("last date in the file"))
    }

    @Test func unknownTimeUnitListsTheValidUnits() throws {
        let e = try #require(inputError { _ = try TimeUnit(parsing: "fortnight") })
        #expect(e.kind == .unknownTimeUnit)
        #expect(e.description.contains("\"fortnight\""))
        #expect(e.description.contains("day, week, month"))
        #expect(try TimeUnit(parsing: "W") == .week)
    }

    @Test func negativeAmountIsAnErrorUnderRejectPolicy() throws {
        let options = SummaryOptions(timeUnit: .day, negativeAmounts: .reject)
        let e = try #require(inputError { _ = try summarizeText("customer_id,date,amount\na,2020-01-01,-5\n", options: options) })
        #expect(e.kind == .negativeAmount)
        #expect(e.line == 2 && e.columnNumber == 3)
    }

    @Test func emptyCustomerIDIsAnError() throws {
        let e = try #require(inputError { _ = try summarizeText("customer_id,date,amount\n,2020-01-01,5\n") })
        #expect(e.kind == .emptyCustomerID)
        #expect(e.line == 2 && e.columnNumber == 1)
    }

    @Test func unterminatedQuoteIsAnErrorWithLine() throws {
        let e = try #require(inputError { _ = try summarizeText("customer_id,date,amount\na,2020-01-01,1\n\"b,2020-01-02,1\n") })
        #expect(e.kind == .badQuote)
        #expect(e.line == 3)
    }

    @Test func badDateFormatOptionIsAnError() throws {
        let e = try #require(inputError { _ = try DatePattern("yy-MM-dd") })
        #expect(e.kind == .badOption)
    }

    @Test func aTimeInTheDateFormatIsRefusedWithTheDatePartAsRemedy() throws {
        // A time after the date is ignored in the values; in the pattern its letters used to be taken
        // as literals, so every date of the file was then rejected.
        for (pattern, remedy) in [("yyyy-MM-dd HH:mm", "--date-format yyyy-MM-dd"), ("M/d/yyyy h:mm a", "--date-format M/d/yyyy"),
                                  ("yyyy-MM-ddTHH:mm:ss", "--date-format yyyy-MM-dd")] {
            let e = try #require(inputError { _ = try DatePattern(pattern) })
            #expect(e.kind == .badOption)
            #expect(e.description.contains(remedy), "\(e.description)")
        }
        #expect(try DatePattern("dd.MM.yyyy").example.isEmpty == false)   // separators stay literals
    }

    @Test func skipInvalidWithoutRejectsPathIsAnError() throws {
        let options = SummaryOptions(skipInvalid: true)
        let e = try #require(inputError { _ = try summarizeText("customer_id,date,amount\na,2020-01-01,1\n", options: options) })
        #expect(e.kind == .rejectsPathRequired)
        #expect(e.description.contains("--rejects"))
    }

    @Test func skipInvalidWritesEveryRejectedLineToTheRejectsFile() throws {
        let dir = try makeTempDirectory()
        let rejects = dir.appendingPathComponent("rejects.csv")
        let options = SummaryOptions(timeUnit: .day, observationEnd: CalendarDay(year: 2020, month: 12, day: 31),
                                     skipInvalid: true, rejectsFile: rejects)
        let text = """
            customer_id,date,amount
            a,2020-01-01,1
            b,2020-02-30,1
            c,2020-01-05,abc
            d,2021-01-01,1
            e,2020-01-01
            =cmd,2020-01-01,x
            a,2020-01-03,2

            """
        let run = try summarizeText(text, options: options)
        #expect(run.report.linesRead == 7)
        #expect(run.report.rejected == 5)
        #expect(run.report.transactionsUsed == 2)
        #expect(run.report.customers == 1)
        let written = try String(contentsOf: rejects, encoding: .utf8)
        let lines = written.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines[0] == "line,reason,original_text")
        #expect(lines[1].hasPrefix("3,"))
        #expect(lines[1].contains("b,2020-02-30,1"))
        #expect(lines[2].hasPrefix("4,") && lines[3].hasPrefix("5,") && lines[4].hasPrefix("6,") && lines[5].hasPrefix("7,"))
        #expect(lines[5].hasSuffix("'=cmd,2020-01-01,x\""))
    }

    @Test func skipInvalidWritesAnEmptyRejectsFileWhenNothingIsRejected() throws {
        let rejects = try makeTempDirectory().appendingPathComponent("rejects.csv")
        try Data("stale".utf8).write(to: rejects)
        let options = SummaryOptions(timeUnit: .day, skipInvalid: true, rejectsFile: rejects)
        _ = try summarizeText("customer_id,date,amount\na,2020-01-01,1\n", options: options)
        #expect(try String(contentsOf: rejects, encoding: .utf8) == "line,reason,original_text\n")
    }
}

/// Files that cannot be read at all.
@Suite struct UnreadableFileTests {
    @Test func missingFileIsAnInputErrorNamingThePath() throws {
        let url = try makeTempDirectory().appendingPathComponent("missing.csv")
        let e = try #require(inputError { _ = try TransactionSummarizer.summarize(file: url, format: TransactionFileFormat()) })
        #expect(e.kind == .unreadableFile && e.description.contains("missing.csv"))
    }

    @Test func directoryIsAnInputError() throws {
        let dir = try makeTempDirectory()
        let e = try #require(inputError { _ = try TransactionSummarizer.summarize(file: dir, format: TransactionFileFormat()) })
        #expect(e.kind == .unreadableFile && e.description.contains("not a regular file"))
    }
}
