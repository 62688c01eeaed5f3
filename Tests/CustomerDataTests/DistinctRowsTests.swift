import Testing
@testable import CustomerData

/// Grouping rows by equal keys must equal the Dictionary-based grouping it replaces, in order of
/// first appearance, including -0.0 vs 0.0 (different bits, different groups) and many groups.
@Suite struct DistinctRowsTests {
    @Test func groupsEqualADictionaryGroupingInOrderOfFirstAppearance() {
        let x: [Double] = (0..<50_000).map { Double(($0 * 7919) % 613) } + [0, -0.0, .infinity]
        let t: [Double] = (0..<50_000).map { Double(($0 * 104_729) % 37) / 3 } + [1, 1, 2]
        let (first, group) = distinctRows(count: x.count) { (x[$0].bitPattern, t[$0].bitPattern) }
        struct Key: Hashable { let x: UInt64, t: UInt64 }
        var seen: [Key: Int32] = [:], expectedFirst: [Int32] = []
        let expectedGroup = x.indices.map { i -> Int32 in
            let key = Key(x: x[i].bitPattern, t: t[i].bitPattern)
            if let g = seen[key] { return g }
            seen[key] = Int32(expectedFirst.count)
            expectedFirst.append(Int32(i))
            return Int32(expectedFirst.count - 1)
        }
        #expect(group == expectedGroup && first == expectedFirst)
        #expect(first.count == seen.count && first.count > 1_000)
        #expect(distinctRows(count: 0) { _ in (0, 0) } .firstRow.isEmpty)
    }
}
