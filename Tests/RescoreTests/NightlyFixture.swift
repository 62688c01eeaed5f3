import CustomerData
import Foundation
import Testing
@testable import Rescore

/// A small nightly setup in a temporary folder: the history of CDNOW customers up to `maxCustomer`
/// through 1998-06-23, the daily drops of examples/nightly/incoming (1998-06-24 ... 06-30, the last
/// one gzip), the shipped CDNOW models, and a config that can be edited per test.
struct NightlyFixture {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let dir: URL
    var configURL: URL { dir.appendingPathComponent("klant.yaml") }
    var outDir: URL { dir.appendingPathComponent("out") }
    var storeURL: URL { dir.appendingPathComponent("state/klant.sqlite") }
    var incoming: URL { dir.appendingPathComponent("incoming") }

    init(maxCustomer: Int = 1500, maxAgeDays: Int? = 3, refit: [String] = [], extraConfig: String = "", history: String? = nil) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rescore-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        try fm.copyItem(at: Self.packageRoot.appendingPathComponent("examples/nightly/incoming"), to: incoming)
        try fm.copyItem(at: Self.packageRoot.appendingPathComponent("examples/nightly/actions.yaml"), to: dir.appendingPathComponent("actions.yaml"))
        let historyText = try history ?? Self.cdnowHistory(maxCustomer: maxCustomer)
        try historyText.write(to: dir.appendingPathComponent("history.txt"), atomically: true, encoding: .utf8)
        try config(maxAgeDays: maxAgeDays, refit: refit, extra: extraConfig).write(to: configURL, atomically: true, encoding: .utf8)
    }

    static func cdnowHistory(maxCustomer: Int) throws -> String {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("datasets/CDNOW_master.txt"), encoding: .utf8)
            .replacingOccurrences(of: "\r\n", with: "\n")
        var out = "customer_id date number_of_cds dollar_value\n"
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count == 4, let id = Int(f[0]), id <= maxCustomer else { continue }
            out += line + "\n"
        }
        return out
    }

    func config(maxAgeDays: Int?, refit: [String] = [], extra: String) -> String {
        let models = Self.packageRoot.appendingPathComponent("models").path
        let refitLines = (maxAgeDays.map { ["max_age_days: \($0)"] } ?? []) + refit
        return """
            drops:
              folder: incoming
              columns: [customer_id, date, amount]
            history:
              file: history.txt
              delimiter: whitespace
              date_format: yyyyMMdd
              columns: [customer_id, date, number_of_cds, dollar_value]
              amount_column: dollar_value
              through: 1998-06-23
            models:
              purchase: \(models)/cdnow-bgnbd.json
              spend: \(models)/cdnow-gamma-gamma.json
            money:
              margin: 0.3
              cost_per_order: 2
            outputs:
              dir: out
            store:
              file: state/klant.sqlite
            \(refitLines.isEmpty ? "" : "refit:\n" + refitLines.map { "  " + $0 }.joined(separator: "\n"))
            gates:
              max_transaction_drop: 0.6
              max_active_customer_drop: 0.6
            \(extra)
            """
    }

    func load() throws -> RescoreConfig { try RescoreConfig.load(path: configURL.path) }

    func run(_ asOf: String) throws -> NightlyRun.Outcome {
        try NightlyRun(config: try load(), asOf: try CalendarDay(parsing: asOf)).run()
    }

    /// The published files of one as-of date, by name.
    func outputs(_ asOf: String) throws -> [String: Data] {
        let folder = outDir.appendingPathComponent(asOf)
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    func exists(_ asOf: String) -> Bool { FileManager.default.fileExists(atPath: outDir.appendingPathComponent(asOf).path) }

    static let decide = "decide:\n  catalog: actions.yaml"

    func remove() { try? FileManager.default.removeItem(at: dir) }
}

/// Runs the `klant` executable built next to the test bundle.
struct KlantProcess {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static var executable: URL? {
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [bin.appendingPathComponent("klant")]
        var dir = bin
        for _ in 0..<4 { dir = dir.deletingLastPathComponent(); candidates.append(dir.appendingPathComponent("klant")) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func start(_ arguments: [String], stdout: FileHandle? = nil, stderr: FileHandle? = nil) throws -> Process {
        guard let executable else { throw RescoreError(.failed, "klant executable not found next to the test bundle") }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = stderr ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    static func run(_ arguments: [String]) throws -> Result {
        guard let executable else {
            Issue.record("klant executable not found next to the test bundle")
            return Result(status: -1, stdout: "", stderr: "")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

/// SplitMix64: seeded, so a failing kill schedule can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
