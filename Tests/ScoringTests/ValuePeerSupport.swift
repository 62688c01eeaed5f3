import Foundation
import Testing

/// The package root: this file is Tests/ScoringTests/ValuePeerSupport.swift.
let valuePackageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

struct ValuePeerError: Error, CustomStringConvertible {
    var description: String
}

/// Runs Tests/ScoringTests/peers/value_peer.py with the numpy/pandas interpreter of the ML peers
/// (env KLANT_ML_PYTHON, exported by `make test`) and decodes its JSON output. Fails, never skips,
/// when the interpreter is not configured.
func runValuePeer<T: Decodable>(_ type: T.Type, _ arguments: [String]) throws -> T {
    guard let python = ProcessInfo.processInfo.environment["KLANT_ML_PYTHON"], !python.isEmpty else {
        throw ValuePeerError(description: "KLANT_ML_PYTHON is not set: run the tests with `make test` (it installs the numpy/pandas venv and exports KLANT_ML_PYTHON), or export KLANT_ML_PYTHON=<venv>/bin/python")
    }
    let script = valuePackageRoot.appendingPathComponent("Tests/ScoringTests/peers/value_peer.py")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script.path] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ValuePeerError(description: "value_peer.py \(arguments.first ?? "") failed: \(String(decoding: errData, as: UTF8.self))")
    }
    return try JSONDecoder().decode(T.self, from: data)
}

/// Writes columns to a temporary CSV for the peer (full round-trip precision) and returns its path.
func writeValueCSV(_ columns: [(String, [Double])]) throws -> String {
    var text = columns.map(\.0).joined(separator: ",") + "\n"
    for i in columns[0].1.indices {
        text += columns.map { "\($0.1[i])" }.joined(separator: ",") + "\n"
    }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("klant-value-\(UUID().uuidString).csv")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// A small seeded generator (SplitMix64) so test data are the same on every run.
struct SeededValues {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// A seeded shuffle of 0..<n.
    mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, Int(next() % UInt64(i + 1))) }
        return p
    }
}

/// |a − b| ≤ tolerance · max(|b|, 1).
func nearlyEqual(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { abs(a - b) <= tolerance * max(abs(b), 1) }
