import Foundation
import CustomerData

/// The package root: this file is Tests/ResponsesTests/TestSupport.swift.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let hillstromURL = packageRoot.appendingPathComponent("datasets/hillstrom.csv")
let telcoURL = packageRoot.appendingPathComponent("datasets/telco_churn.csv")
let peerDirectory = packageRoot.appendingPathComponent("Tests/ResponsesTests/peers")

struct PeerError: Error, CustomStringConvertible { var description: String }

/// Runs a peer script with the scikit-uplift/implicit interpreter (env KLANT_UPLIFT_PYTHON, set by
/// `make test`) and returns its stdout. Fails (not skips) when the interpreter is not configured.
func runUpliftPeer(_ script: String, _ arguments: [String]) throws -> Data {
    guard let python = ProcessInfo.processInfo.environment["KLANT_UPLIFT_PYTHON"], !python.isEmpty else {
        throw PeerError(description: "KLANT_UPLIFT_PYTHON is not set: run the tests with `make test` (it installs scikit-uplift and implicit in .venv-peers-uplift and exports KLANT_UPLIFT_PYTHON)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [peerDirectory.appendingPathComponent(script).path] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PeerError(description: "\(script) failed (\(process.terminationStatus)): \(String(decoding: errData, as: UTF8.self))")
    }
    return data
}

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("klant-responses-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Builds a table from CSV text (tests of bad input).
func table(_ csv: String) throws -> CustomerTable { try CustomerTable(csv: Data(csv.utf8), source: "test.csv") }

/// Writes the given rows of `table` as CSV (RFC 4180 quoting through CSVWriter).
func writeRows(_ table: CustomerTable, _ rows: [Int], to url: URL) throws {
    var out = CSVWriter(header: table.columnNames)
    for i in rows { out.append(table.columns.map { .text($0[i]) }) }
    try out.text.write(to: url, atomically: true, encoding: .utf8)
}

/// The largest |a - b| / max(1, |a|, |b|) over two equally long arrays (infinity when the lengths differ):
/// relative for large values, absolute near zero.
func largestRelativeDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1) / max(1, abs($1.0), abs($1.1))) }
}
