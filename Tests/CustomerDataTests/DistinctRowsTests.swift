import Testing
@testable import CustomerData

/// Grouping rows by equal keys must equal the Dictionary-based grouping it replaces, in order of
/// first appearance, including -0.0 vs 0.0 (different bits, different groups) and many groups,
/// whether the rows are grouped in one pass or in pieces on all cores (from 131,072 rows).
@Suite struct DistinctRowsTests {
    @Test func groupsEqualADictionaryGroupingInOrderOfFirstAppearance() {
        let x: [Double] = (0..<50_000).map { Double(($0 * 7919) % 613) } + [0, -0.0, .infinity]
        let t: [Double] = (0..<50_000).map { Double(($0 * 104_729) % 37) / 3 } + [1, 1, 2]
        expectDictionaryGrouping(x, t)
        #expect(distinctRows(count: 0) { _ in (0, 0) } .firstRow.isEmpty)
    }

    /// Few groups, and many groups of which some first appear in the last pieces (keys that grow
    /// with the row number), so the pieces' groups must be joined and renumbered.
    @Test(arguments: [(300_007, 613), (300_007, 150_000)])
    func groupsInPiecesEqualTheOnePassGrouping(rows: Int, spread: Int) {
        let x: [Double] = (0..<rows).map { (i: Int) -> Double in
            let late = i > rows - 1_000 ? i : 0
            return Double((i * 7919) % spread + late)
        }
        let t: [Double] = (0..<rows).map { (i: Int) -> Double in
            switch i % 5 {
            case 0: return -0.0
            case 1: return 0
            default: return Double(i % 3)
            }
        }
        expectDictionaryGrouping(x, t)
    }

    private func expectDictionaryGrouping(_ x: [Double], _ t: [Double]) {
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
        #expect(first.count == seen.count && first.count > 600)
    }
}
