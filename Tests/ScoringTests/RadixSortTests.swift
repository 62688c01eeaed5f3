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
}
