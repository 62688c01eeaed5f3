import CustomerData
import Foundation
import Models

enum TestData {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func dataset(_ name: String) -> URL { packageRoot.appendingPathComponent("datasets").appendingPathComponent(name) }

    /// The published CDNOW summary with spend (ID, x, t_x, T, zbar; weeks).
    static func cdnowSummary() throws -> CustomerSummary {
        try SummaryTable.read(from: dataset("cdnow_customers_summary_with_transactions.csv"), timeUnit: .week)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("klant-scoring-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a peer script with the Python named by `variable` (set by `make test`); never skipped.
    static func runPeer(_ variable: String, script: String, arguments: [String]) throws {
        guard let python = ProcessInfo.processInfo.environment[variable] else {
            throw ModelError.invalidData("\(variable) is not set: run make test (it creates the peer venvs and sets it)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [packageRoot.appendingPathComponent("Tests/ScoringTests/peers/\(script)").path] + arguments
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ModelError.invalidData("peer script \(script) failed (\(process.terminationStatus)): \(String(decoding: errors, as: UTF8.self))")
        }
    }

    static func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }
}
