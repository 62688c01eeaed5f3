import Foundation
import Testing
@testable import CustomerData

/// Number formats, encodings, gzip and standard input: a Dutch export reads exactly as its plain original.
@Suite struct LocaleFormatTests {
    func parse(_ text: String, _ format: NumberFormat = NumberFormat(), semicolon: Bool = false) -> Double? {
        var t = text
        return t.withUTF8 { NumberReader(format: format, semicolonFile: semicolon).parse($0.baseAddress!, $0.count) }
    }

    @Test func decimalCommaThousandsAndCurrencyAreReadExactly() {
        let dutch = NumberFormat(decimalMark: .comma, thousandsSeparator: ".", currencySymbols: ["€", "EUR"])
        #expect(parse("12,50", dutch) == 12.5)
        #expect(parse("1.234,56", dutch) == 1234.56)
        #expect(parse("1.234.567", dutch) == 1_234_567)
        #expect(parse("-2,5", dutch) == -2.5)
        #expect(parse("€ 7,25", dutch) == 7.25)
        #expect(parse("-€ 7,25", dutch) == -7.25)
        #expect(parse("€ -7,25", dutch) == -7.25)
        #expect(parse("7,25 EUR", dutch) == 7.25)
        #expect(parse("0,1", dutch) == 0.1)          // the same double as parsing "0.1"
        #expect(parse("12.50", dutch) == nil)        // a group of two digits
        #expect(parse("1.2345,0", dutch) == nil)
        #expect(parse("12,5,0", dutch) == nil)
        let us = NumberFormat(decimalMark: .point, thousandsSeparator: ",", currencySymbols: ["$"])
        #expect(parse("$1,234.50", us) == 1234.5)
        #expect(parse("1234.5", us) == 1234.5)
        #expect(parse("1,23.5", us) == nil)
        let swiss = NumberFormat(thousandsSeparator: "'")
        #expect(parse("1'234.5", swiss) == 1234.5)
    }

    @Test func withoutOptionsACommaOrAThousandsPointInASemicolonFileIsRefused() {
        #expect(parse("12,50") == nil)
        #expect(parse("12.50") == 12.5)
        #expect(parse("1.234") == 1.234)                         // a comma file: the point is decimal
        #expect(parse("1.234", semicolon: true) == nil)          // a ; file: ambiguous
        #expect(parse("-12.500", semicolon: true) == nil)
        #expect(parse("0.125", semicolon: true) == 0.125)        // no thousands group starts with 0
        #expect(parse("1.5", semicolon: true) == 1.5)
        #expect(parse("1234.567", semicolon: true) == 1234.567)
        #expect(parse("1.234", NumberFormat(decimalMark: .point), semicolon: true) == 1.234)
        let reader = NumberReader(format: NumberFormat(), semicolonFile: true)
        #expect(reader.problem("12,50").remedy.contains("--decimal-comma"))
        #expect(reader.problem("1.234").problem.contains("ambiguous"))
        #expect(reader.problem("1.234").remedy.contains("--decimal-point"))
        #expect(reader.problem("€ 12").remedy.contains("--currency"))
        #expect(inputError { try NumberFormat(decimalMark: .comma, thousandsSeparator: ",").validate() }?.kind == .badOption)
    }

    static let original = "customer_id,date,amount\n1001,2024-03-01,12.5\n1001,2024-03-15,1234\n1002,2024-03-02,7.25\n"
        + "1001,2024-03-15,-2.5\n1003,2024-03-20,1000000.01\nj\u{00FC}rgen,2024-03-03,3\njürgen,2024-03-09,4\n"
    static let dutch = "\u{FEFF}Klant ID;Datum;Bedrag\r\n1001;01-03-2024;12,50\r\n1001;15-03-2024;\u{20AC} 1.234,00\r\n1002;2-3-2024;7,25\r\n"
        + "1001;15-03-2024;-2,50\r\n1003;20-03-2024;1.000.000,01\r\nj\u{00FC}rgen;03-03-2024;3\r\nju\u{0308}rgen;9-3-2024;4\r\n"
    static let dutchFormat = TransactionFileFormat(delimiter: .auto, customer: "Klant ID", date: "Datum", amount: "Bedrag",
                                                   datePattern: try! DatePattern("d-M-yyyy"),
                                                   numbers: NumberFormat(decimalMark: .comma, thousandsSeparator: ".", currencySymbols: ["\u{20AC}"]))
    static let options = SummaryOptions(timeUnit: .day, calibrationEnd: CalendarDay(year: 2024, month: 3, day: 10),
                                        observationEnd: CalendarDay(year: 2024, month: 3, day: 31))

    func gzip(_ data: Data, name: String) throws -> URL {
        let dir = try makeTempDirectory()
        let plain = dir.appendingPathComponent(name)
        try data.write(to: plain)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-9", plain.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return URL(fileURLWithPath: plain.path + ".gz")
    }

    @Test func aDutchExportAsGzipWithBOMAndCRLFGivesExactlyTheSummaryOfTheOriginal() throws {
        let expected = try summarizeText(Self.original, options: Self.options)
        #expect(expected.summary.count == 3)   // 1003 first buys after the calibration end
        let gz = try gzip(Data(Self.dutch.utf8), name: "export.csv")
        for threads in [1, 2] {
            var options = Self.options
            options.threads = threads
            let run = try TransactionSummarizer.summarize(file: gz, format: Self.dutchFormat, options: options)
            #expect(run.summary == expected.summary)
            #expect(run.report.linesRead == expected.report.linesRead)
        }
        // The same bytes uncompressed, and in Windows-1252 (no BOM there), give the same summary too.
        let plain = try writeTemp(Self.dutch, name: "export.csv")
        #expect(try TransactionSummarizer.summarize(file: plain, format: Self.dutchFormat, options: Self.options).summary == expected.summary)
        let cp1252Text = String(Self.dutch.dropFirst()).precomposedStringWithCanonicalMapping
        let cp1252 = try makeTempDirectory().appendingPathComponent("export-1252.csv")
        try cp1252Text.data(using: .windowsCP1252)!.write(to: cp1252)
        var format = Self.dutchFormat
        format.encoding = .windows1252
        #expect(try TransactionSummarizer.summarize(file: cp1252, format: format, options: Self.options).summary == expected.summary)
        // Read as UTF-8 by mistake, the Windows-1252 bytes are named as such.
        #expect(inputError { _ = try TransactionSummarizer.summarize(file: cp1252, format: Self.dutchFormat, options: Self.options) }?.kind == .badEncoding)
    }

    @Test func theDutchExportWithoutNumberOptionsIsAnErrorSuggestingThem() throws {
        var format = Self.dutchFormat
        format.numbers = NumberFormat()
        let e = inputError { _ = try TransactionSummarizer.summarize(file: try writeTemp(Self.dutch), format: format, options: Self.options) }
        #expect(e?.line == 2)
        #expect(e?.value == "12,50")
        #expect(e?.remedy.contains("--decimal-comma") == true)
    }

    @Test func chunkBoundariesInsideQuotedFieldsAndLongGzipInputsGiveTheMappedFileSummary() throws {
        // Many rows, quoted fields with newlines and delimiters, several gzip members concatenated.
        var text = "customer_id,note,date,amount\n"
        var generator = SystemRandomNumberGenerator()
        for i in 0..<60_000 {
            let id = "c\(Int.random(in: 0..<5_000, using: &generator))"
            let note = i % 7 == 0 ? "\"line one\nline \"\"two\"\", with comma\"" : "plain"
            text += "\(id),\(note),2023-\(String(format: "%02d", 1 + i % 12))-\(String(format: "%02d", 1 + i % 28)),\(Double(i % 1000) / 4)\n"
        }
        let format = TransactionFileFormat(amount: "amount")
        let options = SummaryOptions(timeUnit: .week, calibrationEnd: CalendarDay(year: 2023, month: 9, day: 30), observationEnd: CalendarDay(year: 2023, month: 12, day: 31))
        let plain = try writeTemp(text)
        let expected = try TransactionSummarizer.summarize(file: plain, format: format, options: options)
        let gz = try gzip(Data(text.utf8), name: "tx.csv")
        let stream = try InputSource.open(gz.path)
        let reader = ChunkReader(stream: stream, encoding: .utf8, chunkSize: 1 << 16)
        var offsets = 0, chunks = 0
        while let chunk = try reader.next() {
            #expect(chunk.offset == offsets)
            offsets += chunk.file.count
            chunks += 1
        }
        #expect(offsets == text.utf8.count)
        #expect(chunks > 10)
        let run = try TransactionSummarizer.summarize(file: gz, format: format, options: options)
        #expect(run.summary == expected.summary)
        #expect(run.report.linesRead == 60_000)
        // Two gzip members one after the other read as one file.
        let half = text.utf8.count / 2
        let cut = text.utf8.index(text.utf8.startIndex, offsetBy: half)
        let lineEnd = text.utf8[cut...].firstIndex(of: 10)!
        let first = Data(text.utf8[..<text.utf8.index(after: lineEnd)]), second = Data(text.utf8[text.utf8.index(after: lineEnd)...])
        var joined = try Data(contentsOf: try gzip(first, name: "a.csv"))
        joined.append(try Data(contentsOf: try gzip(second, name: "b.csv")))
        let twoMembers = try makeTempDirectory().appendingPathComponent("joined.csv.gz")
        try joined.write(to: twoMembers)
        #expect(try TransactionSummarizer.summarize(file: twoMembers, format: format, options: options).summary == expected.summary)
    }

    @Test func aTruncatedOrCorruptGzipIsAnErrorNotAShortSummary() throws {
        let gz = try gzip(Data(Self.original.utf8), name: "tx.csv")
        let bytes = try Data(contentsOf: gz)
        let truncated = try makeTempDirectory().appendingPathComponent("t.csv.gz")
        try bytes.prefix(bytes.count - 12).write(to: truncated)
        let e = inputError { _ = try TransactionSummarizer.summarize(file: truncated, format: TransactionFileFormat(amount: "amount")) }
        #expect(e?.kind == .unreadableFile)
        #expect(e?.problem.contains("ends early") == true || e?.problem.contains("corrupt") == true)
    }

    @Test func summariesAndCustomerTablesTakeTheSameFormat() throws {
        let summary = "customer_id;frequency;recency;T;monetary_value\r\na;2;10,5;20;1.234,5\r\nb;0;0;7,25;0\r\n"
        let format = TableTextFormat(numbers: NumberFormat(decimalMark: .comma, thousandsSeparator: "."))
        let gz = try gzip(Data(summary.utf8), name: "s.csv")
        let read = try SummaryTable.read(path: gz.path, timeUnit: .week, format: format)
        #expect(read == CustomerSummary(customerIDs: ["a", "b"], frequency: [2, 0], recency: [10.5, 0], T: [20, 7.25], monetaryValue: [1234.5, 0]))
        #expect(inputError { _ = try SummaryTable.read(path: gz.path) }?.value == "10,5")
        let table = try CustomerTable(path: gz.path, format: format)
        #expect(try table.column(named: "recency") == ["10.5", "0"])
        #expect(try table.column(named: "monetary_value") == ["1234.5", "0"])
        #expect(try table.column(named: "customer_id") == ["a", "b"])
        let e = inputError { _ = try CustomerTable(path: gz.path) }
        #expect(e?.kind == .ambiguousNumber && e?.line == 2 && e?.columnName == "recency")
    }
}
