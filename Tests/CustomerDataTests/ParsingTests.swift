import Foundation
import Testing
@testable import CustomerData
import Models

/// File layouts, dates, quoting and the merge rules of the summariser.
@Suite struct ParsingTests {
    @Test func dayNumbersRoundTripAndMatchKnownDates() {
        #expect(daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(daysFromCivil(year: 2000, month: 3, day: 1) == 11017)
        #expect(daysFromCivil(year: 1969, month: 12, day: 31) == -1)
        for d in stride(from: -800_000, through: 800_000, by: 997) {
            let (y, m, dd) = civilFromDays(d)
            #expect(daysFromCivil(year: y, month: m, day: dd) == d)
        }
        #expect(CalendarDay(year: 1997, month: 9, day: 30)!.description == "1997-09-30")
        #expect(CalendarDay(year: 1900, month: 2, day: 29) == nil)
        #expect(CalendarDay(year: 2000, month: 2, day: 29) != nil)
    }

    @Test func datePatternsParseDayFirstMonthFirstCompactAndISODateTimes() throws {
        func day(_ text: String, _ pattern: String) throws -> Int? {
            let p = try DatePattern(pattern)
            return Array(text.utf8).withUnsafeBufferPointer { p.dayNumber($0.baseAddress!, $0.count) }
        }
        let expected = daysFromCivil(year: 1997, month: 9, day: 3)
        #expect(try day("1997-09-03", "yyyy-MM-dd") == expected)
        #expect(try day("1997-09-03T10:11:12Z", "yyyy-MM-dd") == expected)
        #expect(try day("1997-09-03 10:11:12", "yyyy-MM-dd") == expected)
        #expect(try day("19970903", "yyyyMMdd") == expected)
        #expect(try day("03/09/1997", "dd/MM/yyyy") == expected)
        #expect(try day("09/03/1997", "MM/dd/yyyy") == expected)
        #expect(try day("9/3/1997", "M/d/yyyy") == expected)
        #expect(try day("1997-09-31", "yyyy-MM-dd") == nil)
        #expect(try day("1997-09-03x", "yyyy-MM-dd") == nil)
        #expect(try day("1997/09/03", "yyyy-MM-dd") == nil)
    }

    @Test func sameDayPurchasesAreMergedAndAmountsSummed() throws {
        let run = try summarizeText("""
            customer_id,date,amount
            a,2020-01-01,10
            a,2020-01-01,5
            a,2020-01-08,4
            a,2020-01-08,6
            a,2020-01-15,20
            """)
        let s = run.summary
        #expect(s.customerIDs == ["a"])
        #expect(s.frequency == [2])
        #expect(s.recency == [14])
        #expect(s.T == [14])
        #expect(s.monetaryValue == [15])
        #expect(run.report.transactionsUsed == 5)
    }

    @Test func negativeAmountsAreNettedIntoTheDayByDefault() throws {
        let s = try summarizeText("""
            customer_id,date,amount
            a,2020-01-01,10
            a,2020-01-02,30
            a,2020-01-02,-10
            a,2020-01-03,-4
            """).summary
        #expect(s.frequency == [2])
        #expect(s.monetaryValue == [8])
    }

    @Test func customersFirstSeenAfterCalibrationEndAreCountedNotListed() throws {
        let options = SummaryOptions(timeUnit: .day, calibrationEnd: CalendarDay(year: 2020, month: 1, day: 10))
        let run = try summarizeText("""
            customer_id,date,amount
            a,2020-01-01,10
            b,2020-01-15,5
            a,2020-01-20,7
            a,2020-01-21,3
            """, options: options)
        #expect(run.summary.customerIDs == ["a"])
        #expect(run.report.customersFirstSeenAfterCalibration == 1)
        #expect(run.summary.frequency == [0] && run.summary.T == [9])
        #expect(run.summary.frequencyHoldout == [2])
        #expect(run.summary.monetaryValueHoldout == [5])
        #expect(run.summary.durationHoldout == [11])
        #expect(run.report.observationEnd == CalendarDay(year: 2020, month: 1, day: 21))
    }

    @Test func byteOrderMarkBeforeTheHeaderIsIgnored() throws {
        let s = try summarizeText("\u{FEFF}customer_id,date,amount\na,2020-01-01,1\n").summary
        #expect(s.customerIDs == ["a"])
        let table = try SummaryTable.read(from: try writeTemp("\u{FEFF}ID,frequency,recency,T\n1,0,0,3\n"))
        #expect(table.customerIDs == ["1"])
    }

    /// The progress a summary reports (for the CLI's bar) ends at 1 and does not change the summary.
    @Test func progressReachesOneWithoutChangingTheSummary() throws {
        var text = "customer_id,date,amount\n"
        for i in 0..<300_000 { text += "c\(i % 5000),2020-0\(1 + i % 9)-1\(i % 10),\(i % 97).5\n" }  // ~8 MB: two 4 MB reports
        let progress = WorkProgress()
        #expect(progress.fraction == nil)
        for threads in [1, 2] {
            let plain = try TransactionSummarizer.summarize(data: Data(text.utf8), name: "t", format: TransactionFileFormat(amount: "amount"),
                                                            options: SummaryOptions(timeUnit: .day, threads: threads))
            let reported = try TransactionSummarizer.summarize(data: Data(text.utf8), name: "t", format: TransactionFileFormat(amount: "amount"),
                                                               options: SummaryOptions(timeUnit: .day, threads: threads, progress: progress))
            #expect(progress.fraction == 1)
            #expect(reported.summary == plain.summary)
        }
        progress.update(done: 1, of: 4)
        #expect(progress.fraction == 0.25)
    }

    @Test func inMemoryDataGivesTheSameSummaryAsTheFile() throws {
        let text = "customer_id,date,amount\na,2020-01-01,1\na,2020-01-09,3\nb,2020-01-02,2\n"
        let fromFile = try summarizeText(text)
        let fromData = try TransactionSummarizer.summarize(data: Data(text.utf8), name: "<stdin>", format: TransactionFileFormat(amount: "amount"),
                                                           options: SummaryOptions(timeUnit: .day))
        #expect(fromData.summary == fromFile.summary)
        let e = inputError {
            _ = try TransactionSummarizer.summarize(data: Data("customer_id,date,amount\na,x,1\n".utf8), name: "<stdin>",
                                                    format: TransactionFileFormat(amount: "amount"))
        }
        #expect(e?.description.hasPrefix("<stdin>:2:") == true)
    }

    @Test func customerIDsKeepLeadingZeros() throws {
        let s = try summarizeText("customer_id,date,amount\n0007,2020-01-01,1\n007,2020-01-02,1\n").summary
        #expect(s.customerIDs == ["0007", "007"])
    }

    @Test func quotedFieldsFollowRFC4180() throws {
        let text = "customer_id,date,amount\r\n\"a,1\",2020-01-01,\"1.5\"\r\n\"b \"\"x\"\"\",2020-01-02,2\r\n\"c\nd\",2020-01-03,3\r\n\"a,1\",2020-01-04,4\r\n"
        let run = try summarizeText(text)
        #expect(run.summary.customerIDs == ["a,1", "b \"x\"", "c\nd"])
        #expect(run.summary.frequency == [1, 0, 0])
        #expect(run.summary.monetaryValue == [4, 0, 0])
        #expect(run.report.linesRead == 4)
    }

    @Test func delimiterIsDetectedForSemicolonTabAndPipe() throws {
        for sep in [";", "\t", "|"] {
            let text = ["customer_id", "date", "amount"].joined(separator: sep) + "\n"
                + ["a", "2020-01-01", "1"].joined(separator: sep) + "\n" + ["a", "2020-01-03", "2,5".replacingOccurrences(of: ",", with: ".")].joined(separator: sep) + "\n"
            let s = try summarizeText(text).summary
            #expect(s.frequency == [1], "separator \(sep)")
            #expect(s.monetaryValue == [2.5], "separator \(sep)")
        }
    }

    @Test func whitespaceSeparatedFileWithLeadingSpacesIsRead() throws {
        let format = TransactionFileFormat(customer: "customer_id", date: "date", amount: "dollar_value",
                                           datePattern: try DatePattern("yyyyMMdd"))
        let text = " customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n 00001 19970108  2   20.00\n"
        let run = try summarizeText(text, format: format)
        #expect(run.summary.customerIDs == ["00001"])
        #expect(run.summary.frequency == [1] && run.summary.recency == [7] && run.summary.monetaryValue == [20])
    }

    @Test func summaryWithoutAmountColumnHasZeroMonetaryValue() throws {
        let format = TransactionFileFormat(customer: "id", date: "when")
        let s = try summarizeText("id,when\nx,2020-01-01\nx,2020-01-05\n", format: format).summary
        #expect(s.frequency == [1] && s.monetaryValue == [0])
    }

    @Test func reportCountsLinesBlankLinesAndTransactions() throws {
        let run = try summarizeText("customer_id,date,amount\na,2020-01-01,1\n\nb,2020-01-02,1\n\n")
        #expect(run.report.linesRead == 2)
        #expect(run.report.blankLines == 2)
        #expect(run.report.transactionsUsed == 2)
        #expect(run.report.customers == 2)
    }

    @Test func decimalParsingMatchesSwiftDoubleParsing() {
        for text in ["0", "11.77", "-3.5", "+2", "123456789.123456", "1e3", "0.1", "99999999999999999999.5", "3.14159265358979"] {
            let parsed = Array(text.utf8).withUnsafeBufferPointer { parseDecimal($0.baseAddress!, $0.count) }
            #expect(parsed == Double(text), "\(text)")
        }
        // Runs of eight digits are read eight at a time: every length and point position around them.
        var g = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 1...24, using: &g)
            var digits = String((0..<length).map { _ in Character(String(Int.random(in: 0...9, using: &g))) })
            if Bool.random(using: &g) { digits.insert(".", at: digits.index(digits.startIndex, offsetBy: Int.random(in: 0...length, using: &g))) }
            if digits == "." { continue }
            let text = (Bool.random(using: &g) ? "-" : "") + digits
            let parsed = Array(text.utf8).withUnsafeBufferPointer { parseDecimal($0.baseAddress!, $0.count) }
            #expect(parsed == Double(text), "\(text)")
        }
        // 16 to 19 significant digits (shortest round-trip output, e.g. 30.428571428571427) are computed
        // exactly, not through Double(String): every point position, and the printed forms of random doubles.
        for _ in 0..<200_000 {
            let length = Int.random(in: 16...19, using: &g)
            var digits = String(Int.random(in: 1...9, using: &g)) + String((1..<length).map { _ in Character(String(Int.random(in: 0...9, using: &g))) })
            digits.insert(".", at: digits.index(digits.startIndex, offsetBy: Int.random(in: 0...length, using: &g)))
            if Bool.random(using: &g) { digits = "0.000" + digits.replacingOccurrences(of: ".", with: "") }
            let parsed = Array(digits.utf8).withUnsafeBufferPointer { parseDecimal($0.baseAddress!, $0.count) }
            #expect(parsed == Double(digits), "\(digits)")
        }
        for _ in 0..<200_000 {
            let x = Double.random(in: 0..<1, using: &g) * [1, 10, 100, 1e4, 1e6][Int.random(in: 0...4, using: &g)]
            let parsed = Array(x.description.utf8).withUnsafeBufferPointer { parseDecimal($0.baseAddress!, $0.count) }
            #expect(parsed == x, "\(x)")
        }
        for text in ["9007199254740993", "9007199254740993.0", "18446744073709551615", "0.30000000000000004", "1.0000000000000002",
                     "4.9406564584124654", "0.1000000000000000055511151231257827", "1234567890123456.5", "0.0000000000000000000001234567890123456"] {
            let parsed = Array(text.utf8).withUnsafeBufferPointer { parseDecimal($0.baseAddress!, $0.count) }
            #expect(parsed == Double(text), "\(text)")
        }
        for bad in ["", "-", ".", "1,5", "$3", "nan", "inf", "1.2.3", "12345678.1234567x", "1234567812345678/", "12:45678"] {
            let parsed = Array(bad.utf8).withUnsafeBufferPointer { b in b.baseAddress.flatMap { parseDecimal($0, b.count) } }
            #expect(parsed == nil, "\(bad)")
        }
    }

    @Test func shortNumbersReadFromOneLoadEqualTheByteByByteParse() {
        // Every text of 1 to 8 bytes from digits, points, signs and a few other bytes, followed by 8
        // more bytes (other digits, a delimiter): the one-load reader gives the byte-by-byte value or
        // leaves the text to it, and the format's parse with room to load gives the same as without.
        let alphabet = Array("0123456789..-+e, x".utf8)
        var g = SeededGenerator(seed: 7)
        var texts: [[UInt8]] = ["0", "7", ".5", "5.", ".", "20.99", "99999999", "9999999.", ".9999999", "1.2.3", "0.000001", "-3.5", "1e3"].map { Array($0.utf8) }
        for _ in 0..<200_000 {
            let length = Int.random(in: 1...8, using: &g)
            texts.append((0..<length).map { _ in Bool.random(using: &g) ? UInt8(48 + Int.random(in: 0...9, using: &g)) : alphabet.randomElement(using: &g)! })
        }
        let format = NumberReader(format: NumberFormat(), semicolonFile: false)
        for text in texts {
            let buffer = text + Array("12345678,".utf8)
            buffer.withUnsafeBufferPointer { b in
                let p = b.baseAddress!, n = text.count
                let expected = parseDecimal(p, n)
                if let short = parseShortDecimal(p, n) { #expect(short == expected, "\(String(decoding: text, as: UTF8.self))") }
                #expect(format.parse(p, n, readable: b.count) == format.parse(p, n), "\(String(decoding: text, as: UTF8.self))")
            }
        }
        #expect(Array("20.99,".utf8 + [0, 0, 0]).withUnsafeBufferPointer { parseShortDecimal($0.baseAddress!, 5) } == 20.99)
    }
}

/// Command-line values parse to options, with clear errors for unknown ones.
@Suite struct OptionParsingTests {
    @Test func optionValuesParse() throws {
        #expect(try Delimiter(parsing: "tab") == .tab)
        #expect(try Delimiter(parsing: ";") == .semicolon)
        #expect(Column(parsing: "3") == .number(3))
        #expect(Column(parsing: "customer") == .name("customer"))
        #expect(try NegativeAmountPolicy(parsing: "reject") == .reject)
        #expect(try CalendarDay(parsing: "30/09/1997", pattern: DatePattern("dd/MM/yyyy")) == CalendarDay(year: 1997, month: 9, day: 30))
        #expect(inputError { _ = try Delimiter(parsing: "colon") }?.kind == .badOption)
        #expect(inputError { _ = try NegativeAmountPolicy(parsing: "ignore") }?.kind == .badOption)
        let e = inputError { _ = try CalendarDay(parsing: "1997-02-30", option: "calibration end") }
        #expect(e?.kind == .badDate && e?.description.contains("calibration end") == true)
    }

    @Test func runReportDescribesTheCounts() throws {
        let run = try summarizeText("customer_id,date,amount\na,2020-01-01,1\n")
        #expect(run.report.description.contains("read 1 lines"))
        #expect(run.report.description.contains("1 customers in the summary"))
    }
}

/// `--shard k/N`: every customer in exactly one shard, the same shard on every run.
@Suite struct CustomerShardTests {
    @Test func shardsPartitionTheCustomersStably() throws {
        let ids = (0..<2000).map { "C\($0)" } + ["", "=cmd()", "Müller", "a"]
        let shards = try (1...5).map { try CustomerShard(index: $0, count: 5) }
        for id in ids { #expect(shards.filter { $0.contains(id) }.count == 1, "\(id)") }
        // Roughly even (2004 ids over 5 shards).
        for shard in shards { #expect((300...500).contains(ids.filter(shard.contains).count)) }
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c, which is 0 mod 2 and 5 mod 7 (computed independently in Python).
        #expect(try CustomerShard(index: 1, count: 2).contains("a"))
        #expect(try CustomerShard(index: 6, count: 7).contains("a"))
        #expect(try CustomerShard(parsing: "3/8") == CustomerShard(index: 3, count: 8))
        #expect(try CustomerShard(parsing: "1/1").contains("anything"))
    }

    @Test func badShardSpecificationsAreRefused() {
        for text in ["0/4", "5/4", "1/0", "-1/3", "a/b", "3", "3/8/9", ""] {
            #expect(throws: InputError.self, "\(text)") { try CustomerShard(parsing: text) }
        }
    }
}
