import Foundation
@testable import Actions

func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("klant-actions-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// A small table: numbers a, b (b missing in row 2) and text segment.
func sampleTable() -> RuleTable {
    var t = RuleTable(rowCount: 4)
    t.set("a", .number([1, 2, 3, 4]))
    t.set("b", .number([10, .nan, 30, 40]))
    t.set("segment", .text(TextColumn(["top", "retain", "", "top"])))
    return t
}

/// Deterministic pseudo-random numbers (SplitMix64) for property tests.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
