import Foundation
import Testing
@testable import Scoring

/// Selected order statistics must equal the values at those positions of the sorted array, for
/// every shape that takes another path through the radix select: small inputs (sorted), spread
/// values (several levels), heavy ties (a bucket of one key) and extreme magnitudes.
@Suite struct OrderStatisticsTests {
    static func values(_ n: Int, seed: UInt64, tiedShare: Double) -> [Double] {
        var g = SeededValues(seed: seed)
        let special: [Double] = [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude,
                                 -.greatestFiniteMagnitude, 1e-300, -1e300]
        return (0..<n).map { i -> Double in
            if i < special.count && n > 256 { return special[i] }
            let u = g.uniform()
            if u < tiedShare { return 0 }
            return u < tiedShare + 0.2 ? (u * 100).rounded() - 15 : (g.uniform() - 0.5) * pow(10, 20 * g.uniform() - 10)
        }
    }

    @Test(arguments: [(1, 0.0), (257, 0.1), (8_191, 0.0), (8_192, 0.0), (100_003, 0.0), (100_003, 0.6), (300_000, 0.95)])
    func selectedValuesEqualTheSortedArrayAtThosePositions(n: Int, tiedShare: Double) {
        let values = Self.values(n, seed: UInt64(n) + 7, tiedShare: tiedShare)
        let sorted = values.sorted()
        let positions = Array(Set([0, n / 2, (n - 1) / 2, n / 5, n - 1, (9 * n) / 10, min(n - 1, 1)]))
        let selected = OrderStatistics.values(values, atSortedPositions: positions)
        for (p, v) in zip(positions, selected) {
            #expect(v == sorted[p], "position \(p) of \(n)")
        }
    }

    @Test func bucketsOfOneRepeatedValueNeedNoDeeperLevel() {
        // 200,000 copies of one value and a few others: the tied bucket is answered from its bounds.
        let values = [Double](repeating: 3.25, count: 200_000) + [1, 2, 4, 5]
        #expect(OrderStatistics.values(values, atSortedPositions: [0, 1, 2, 100_000, 200_002, 200_003]) == [1, 2, 3.25, 3.25, 4, 5])
    }

    @Test func quantileByOrderStatisticsEqualsNumpyDefinitionSeven() {
        // numpy.quantile([7, 1, 3, 9, 5, 2], [0.5, 0.8, 0.25]) -> [4.0, 7.0, 2.25]
        let values: [Double] = [7, 1, 3, 9, 5, 2]
        #expect(SortedRanks.quantile(of: values, 0.5) == 4)
        #expect(SortedRanks.quantile(of: values, 0.8) == 7)
        #expect(SortedRanks.quantile(of: values, 0.25) == 2.25)
        #expect(SortedRanks.quantile(of: values, 1) == 9)
        #expect(SortedRanks.quantile(of: values, 0) == 1)
    }
}
