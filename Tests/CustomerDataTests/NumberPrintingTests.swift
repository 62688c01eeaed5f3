import Foundation
import Testing
@testable import CustomerData
import Models

/// `ByteSink.appendNumber` (the exports' shortest round-trip printing, `klant_format_double` in
/// its range) writes every double exactly as the standard library's `write(to:)` does (the
/// `description` of finite values; NaN payloads as that spells them).
@Suite struct NumberPrintingTests {
    private func standard(_ x: Double) -> String {
        var text = ""
        x.write(to: &text)
        return text
    }

    private func printed(_ x: Double) -> String {
        var sink = ByteSink()
        sink.appendNumber(x)
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    @Test func edgesOfTheRangeAndOfTheNotationAreWrittenAsTheStandardLibraryWritesThem() {
        let powers = (-80...60).flatMap { e in [pow(2, Double(e)), pow(10, Double(e) / 4)] }
        let edges: [Double] = [
            0, -0.0, 1, -1, 0.1, 0.2, 0.3, 1e-4, 1e-4.nextDown, 1e-4.nextUp, 9.999999e-05, 0.00010000000000000002,
            9007199254740992, 9007199254740991, 9007199254740990, 4503599627370496.5, 1e15, 1e16, 123456789012345.6,
            1618329166737320.2, 107015006994976.62, 20.99, 67.17, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
            .infinity, -.infinity, .nan, 2.5, 0.5, 100, 1e6, 1e7, 0.001, 0.01, 7.0e-4, 123.456e-3,
        ]
        for x in edges + powers + powers.map({ -$0 }) + powers.flatMap({ [$0.nextUp, $0.nextDown] }) {
            #expect(printed(x) == standard(x), "\(x.bitPattern)")
        }
    }

    @Test func randomDoublesOfEveryShapeAreWrittenAsTheStandardLibraryWritesThem() {
        // 600,000 values: any bit pattern, uniform in [1e-4, 1e4], two decimals (amounts), eighths,
        // negatives, and values up to 1e17 across the switch to exponents; seeded, the same on every run.
        var generator = SeededGenerator(seed: 20261202)
        var mismatches: [Double] = []
        for i in 0..<600_000 {
            let x: Double
            switch i % 6 {
            case 0: x = Double(bitPattern: generator.next() & 0x7fff_ffff_ffff_ffff)
            case 1: x = Double.random(in: 0.0001...10_000, using: &generator)
            case 2: x = (Double.random(in: 0...100_000, using: &generator) * 100).rounded() / 100
            case 3: x = -Double.random(in: 0...1, using: &generator)
            case 4: x = Double(Int.random(in: 0...1_000_000, using: &generator)) / 8
            default: x = Double.random(in: 1e-5...1e17, using: &generator)
            }
            if printed(x) != standard(x) { mismatches.append(x) }
        }
        #expect(mismatches.isEmpty, "first: \(mismatches.prefix(5).map(\.bitPattern))")
    }

    @Test func numbersAfterOtherBytesAndAcrossGrowthKeepEveryByte() {
        var sink = ByteSink(), expected = ""
        for k in 0..<5_000 {
            let x = Double(k) / 7 - 300
            sink.append(44)
            sink.appendNumber(x)
            expected += "," + x.description
        }
        #expect(String(decoding: sink.bytes, as: UTF8.self) == expected)
    }
}
