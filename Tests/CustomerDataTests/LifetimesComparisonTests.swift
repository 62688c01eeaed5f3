import Foundation
import Testing
@testable import CustomerData

/// Runs lifetimes 0.11.3 (Python, from `$KLANT_PEER_PYTHON`) on a transaction file and reads its summary.
/// Fails (never skips) when the peer Python is not configured.
func lifetimesSummary(of file: URL, calibrationEnd: String? = nil, observationEnd: String? = nil) throws -> CustomerSummary {
    guard let python = ProcessInfo.processInfo.environment["KLANT_PEER_PYTHON"], !python.isEmpty else {
        throw PeerUnavailable(message: "KLANT_PEER_PYTHON is not set: run `make test` (it creates the peer venv with lifetimes and sets KLANT_PEER_PYTHON)")
    }
    let out = try makeTempDirectory().appendingPathComponent("lifetimes.csv")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    let script = packageRoot.appendingPathComponent("Tests/CustomerDataTests/peers/lifetimes_summary.py").path
    process.arguments = [script, file.path, out.path] + [calibrationEnd, observationEnd].compactMap { $0 }
    let stderr = Pipe()
    process.standardError = stderr
    try process.run()
    let errText = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PeerUnavailable(message: "lifetimes script failed (exit \(process.terminationStatus)): \(errText)")
    }
    var names = SummaryColumnNames()
    names.frequency = ["frequency", "frequency_cal"]
    names.recency = ["recency", "recency_cal"]
    names.T = ["T", "T_cal"]
    names.monetaryValue = ["monetary_value", "monetary_value_cal"]
    return try SummaryTable.read(from: out, timeUnit: .day, columns: names)
}

/// The peer library could not be run; the test fails with this message.
struct PeerUnavailable: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Index of each customer id.
func rows(_ s: CustomerSummary) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: s.customerIDs.enumerated().map { ($0.element, $0.offset) })
}

@Suite struct LifetimesComparisonTests {
    let master = dataset("CDNOW_master.txt")
    let format = TransactionFileFormat(delimiter: .auto, customer: "customer_id", date: "date", amount: "dollar_value",
                                       datePattern: try! DatePattern("yyyyMMdd"))

    @Test func masterSummaryMatchesLifetimesDailySummary() throws {
        let ours = try TransactionSummarizer.summarize(file: master, format: format, options: SummaryOptions(timeUnit: .day)).summary
        let theirs = try lifetimesSummary(of: master)
        #expect(ours.count == 23570)
        #expect(theirs.count == ours.count)
        let index = rows(ours)
        var mismatches: [String] = []
        for j in 0..<theirs.count {
            guard let i = index[theirs.customerIDs[j]] else { mismatches.append("missing \(theirs.customerIDs[j])"); continue }
            let pairs = [(ours.frequency[i], theirs.frequency[j]), (ours.recency[i], theirs.recency[j]),
                         (ours.T[i], theirs.T[j]), (ours.monetaryValue[i], theirs.monetaryValue[j])]
            if pairs.contains(where: { abs($0.0 - $0.1) > 1e-9 }) {
                mismatches.append("\(theirs.customerIDs[j]): ours \(pairs.map(\.0)) lifetimes \(pairs.map(\.1))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(3))")
    }

    /// lifetimes' calibration_and_holdout_data: calibration columns and frequency_holdout agree exactly.
    /// (Its monetary_value_holdout is a mean over raw rows, ours over merged days, so it is not compared.)
    @Test func masterCalibrationAndHoldoutMatchesLifetimes() throws {
        let options = SummaryOptions(timeUnit: .day, calibrationEnd: CalendarDay(year: 1997, month: 9, day: 30),
                                     observationEnd: CalendarDay(year: 1998, month: 6, day: 30))
        let ours = try TransactionSummarizer.summarize(file: master, format: format, options: options).summary
        let theirs = try lifetimesSummary(of: master, calibrationEnd: "1997-09-30", observationEnd: "1998-06-30")
        #expect(theirs.count == ours.count)
        let index = rows(ours)
        var mismatches: [String] = []
        for j in 0..<theirs.count {
            guard let i = index[theirs.customerIDs[j]] else { mismatches.append("missing \(theirs.customerIDs[j])"); continue }
            let pairs = [(ours.frequency[i], theirs.frequency[j]), (ours.recency[i], theirs.recency[j]),
                         (ours.T[i], theirs.T[j]), (ours.monetaryValue[i], theirs.monetaryValue[j]),
                         (ours.frequencyHoldout![i], theirs.frequencyHoldout![j]),
                         (ours.durationHoldout![i], theirs.durationHoldout![j])]
            if pairs.contains(where: { abs($0.0 - $0.1) > 1e-9 }) {
                mismatches.append("\(theirs.customerIDs[j]): ours \(pairs.map(\.0)) lifetimes \(pairs.map(\.1))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(3))")
    }
}
