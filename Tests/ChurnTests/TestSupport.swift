import Foundation
import Testing
import CustomerData
@testable import Churn

/// The package root: this file is Tests/ChurnTests/TestSupport.swift, three levels below it.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let telcoURL = packageRoot.appendingPathComponent("datasets/telco_churn.csv")
let peerDirectory = packageRoot.appendingPathComponent("Tests/ChurnTests/peers")

struct PeerError: Error, CustomStringConvertible {
    var description: String
}

/// Runs a peer script with the scikit-learn/statsmodels interpreter (env KLANT_ML_PYTHON, set by
/// `make test`) and returns its stdout. Fails (not skips) when the interpreter is not configured.
func runMLPeer(_ script: String, _ arguments: [String]) throws -> Data {
    guard let python = ProcessInfo.processInfo.environment["KLANT_ML_PYTHON"], !python.isEmpty else {
        throw PeerError(description: "KLANT_ML_PYTHON is not set: run the tests with `make test` (it installs the scikit-learn/statsmodels venv and exports KLANT_ML_PYTHON), or export KLANT_ML_PYTHON=<venv>/bin/python")
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

/// |a − b| ≤ tolerance · max(|b|, floor).
func close(_ a: Double, _ b: Double, relative tolerance: Double, floor: Double = 1e-3) -> Bool {
    abs(a - b) <= tolerance * max(abs(b), floor)
}

/// The Telco design used by the peer tests (mirrored in peers/churn_telco_peer.py): id customerID,
/// TotalCharges excluded (11 blanks, and ≈ tenure x MonthlyCharges), target Churn = "Yes",
/// auto-typed columns, most-frequent reference levels, duplicate dummies dropped.
func telcoEncodingOptions() -> EncodingOptions {
    EncodingOptions(target: "Churn", positive: "Yes", idColumn: "customerID", exclude: ["TotalCharges"])
}

func telcoTable() throws -> CustomerTable { try CustomerTable(contentsOf: telcoURL) }

/// Builds a table from CSV text (tests of bad input).
func table(_ csv: String) throws -> CustomerTable { try CustomerTable(csv: Data(csv.utf8), source: "test.csv") }
