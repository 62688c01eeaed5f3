import Foundation
@testable import CustomerData

/// The package root: three levels up from this file (Tests/CustomerDataTests/TestSupport.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A shipped data set, e.g. `dataset("CDNOW_sample.txt")`.
func dataset(_ name: String) -> URL { packageRoot.appendingPathComponent("datasets").appendingPathComponent(name) }

/// A fresh temporary directory for one test.
func makeTempDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("klant-data-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Writes `text` to a file in a fresh temporary directory and returns its URL.
func writeTemp(_ text: String, name: String = "tx.csv") throws -> URL {
    let url = try makeTempDirectory().appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
}

/// Summarises inline CSV text with `customer_id,date,amount` columns by default.
func summarizeText(_ text: String, format: TransactionFileFormat = TransactionFileFormat(amount: "amount"),
                   options: SummaryOptions = SummaryOptions(timeUnit: .day)) throws -> SummaryRun {
    try TransactionSummarizer.summarize(file: try writeTemp(text), format: format, options: options)
}

/// The InputError thrown by `body`, or nil.
func inputError(_ body: () throws -> Void) -> InputError? {
    do { try body() } catch let e as InputError { return e } catch { return nil }
    return nil
}

/// The CDNOW sample: headerless, whitespace separated; master id, sample id, date (yyyyMMdd), CDs, dollars.
func cdnowSampleFormat(customerColumn: Int = 2) -> TransactionFileFormat {
    TransactionFileFormat(delimiter: .whitespace, hasHeader: false, customer: .number(customerColumn), date: 3,
                          amount: 5, datePattern: try! DatePattern("yyyyMMdd"))
}

/// The papers' periods: calibration to 1997-09-30, observation to 1998-06-30, weeks.
func cdnowPaperOptions(threads: Int = 0) -> SummaryOptions {
    SummaryOptions(timeUnit: .week, calibrationEnd: CalendarDay(year: 1997, month: 9, day: 30),
                   observationEnd: CalendarDay(year: 1998, month: 6, day: 30), threads: threads)
}

/// Rows of a CSV file as dictionaries keyed by header name (test-side reader for reference files).
func readReferenceCSV(_ url: URL) throws -> [[String: String]] {
    let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
    let header = lines[0].split(separator: ",").map(String.init)
    return lines.dropFirst().map { line in
        Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
    }
}

/// Rounds to 2 decimals like the papers' files.
func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
