import Foundation
import Testing
@testable import Scoring

@Suite struct RadixSortTests {
    @Test(arguments: [0, 1, 256, 257, 1000, 100_003])
    func radixSortEqualsTheStandardSort(n: Int) {
        var g = SeededValues(seed: UInt64(n) + 1)
        let special: [Double] = [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude,
                                 -.greatestFiniteMagnitude, 1e-300, -1e300]
        let values = (0..<n).map { i -> Double in
            if i < special.count && n > 256 { return special[i] }
            let u = g.uniform()
            return u < 0.3 ? (u * 100).rounded() - 15 : (g.uniform() - 0.5) * pow(10, 20 * g.uniform() - 10)
        }
        #expect(RadixSort.ascending(values) == values.sorted())
    }

    /// Ties, neighbouring doubles and signed zeros, at sizes around the digit and insertion-sort
    /// thresholds: the same bits in the same order as a comparison sort that puts -0.0 first.
    @Test(arguments: [257, 1_023, 1_024, 1_025, 16_383, 16_384, 16_385, 200_000])
    func radixSortOrdersTiesNeighboursAndSignedZerosBitForBit(n: Int) {
        var g = SeededValues(seed: UInt64(n))
        let base = 12.34
        let values = (0..<n).map { i -> Double in
            switch g.next() % 8 {
            case 0, 1, 2, 3: return i % 2 == 0 ? 0 : -0.0                                  // a large tied group, both zeros
            case 4: var x = base; for _ in 0..<(g.next() % 40) { x = x.nextUp }; return x    // keys that differ in the last bits
            case 5: return -base
            case 6: return Double(g.next() % 1_000) / 100                                  // two-decimal amounts
            default: return (g.uniform() - 0.5) * 1e6
            }
        }
        let expected = values.sorted { $0 < $1 || ($0 == $1 && $0.sign == .minus && $1.sign == .plus) }
        #expect(RadixSort.ascending(values).map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(RadixSort.ascending([Double](repeating: 7.5, count: n)) == [Double](repeating: 7.5, count: n))
    }
}
