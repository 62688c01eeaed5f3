import CustomerData
import Foundation
import Testing
@testable import Scoring

@Suite struct RankBinsTests {
    /// The rule from its definition: bin = ⌊bins · (customers strictly worse) / n⌋ + 1.
    static func byDefinition(_ values: [Double], bins: Int, direction: RankBins.Direction) -> [UInt8] {
        let sorted = values.sorted()
        return values.map { x in
            let below = sorted.prefix { $0 < x }.count
            let above = sorted.count - sorted.prefix { $0 <= x }.count
            return UInt8(bins * (direction == .ascending ? below : above) / values.count + 1)
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 7, 10, 11, 99, 1000])
    func learntCutsReproduceTheMinRankRule(n: Int) {
        var g = SeededValues(seed: UInt64(n))
        let values = (0..<n).map { _ in (20 * g.uniform()).rounded() }  // many ties
        for bins in [5, 10] {
            for direction in [RankBins.Direction.ascending, .descending] {
                let cuts = RankBins(learning: values, bins: bins, direction: direction)
                #expect(cuts.bins(values) == Self.byDefinition(values, bins: bins, direction: direction), "n \(n) bins \(bins) \(direction)")
            }
        }
    }

    @Test func aShardScoredWithTheFullBaseCutsMatchesTheFullScoring() throws {
        let d = try RFMScoresTests.cdnow()
        let full = try RFMScores(frequency: d.f, recency: d.r, T: d.T, monetaryValue: d.m)
        let shard = Array(stride(from: 1, to: d.f.count, by: 3))
        let part = try RFMScores(frequency: shard.map { d.f[$0] }, recency: shard.map { d.r[$0] }, T: shard.map { d.T[$0] },
                                 monetaryValue: shard.map { d.m[$0] }, boundaries: full.boundaries)
        #expect(shard.indices.allSatisfy { part.code(at: $0) == full.code(at: shard[$0]) })
        let net = d.m.enumerated().map { $0.element * d.f[$0.offset] - 3 }
        let cuts = try ProfitDecile.boundaries(netValue: net)
        let partDeciles = try ProfitDecile.deciles(netValue: shard.map { net[$0] }, boundaries: cuts)
        let fullDeciles = try ProfitDecile.deciles(netValue: net)
        #expect(shard.indices.allSatisfy { partDeciles[$0] == fullDeciles[shard[$0]] })
    }

    @Test func boundariesRoundTripThroughJSON() throws {
        let d = try RFMScoresTests.cdnow()
        let s = try RFMScores(frequency: d.f, recency: d.r, T: d.T, monetaryValue: d.m)
        let data = try JSONEncoder().encode(s.boundaries)
        #expect(try JSONDecoder().decode(RFMScores.Boundaries.self, from: data) == s.boundaries)
        #expect(s.boundaries.recency.direction == .descending && s.boundaries.recency.cuts.count == 4)
    }

    @Test func cutsOutOfOrderAreRefused() {
        #expect(throws: InputError.self) { try RankBins(cuts: [3, 1], direction: .ascending) }
        #expect(throws: InputError.self) { try RankBins(cuts: [1, 3], direction: .descending) }
        #expect(throws: InputError.self) { try RankBins(cuts: [], direction: .ascending) }
        #expect(throws: InputError.self) { try RankBins(cuts: [.nan], direction: .ascending) }
        #expect(throws: Never.self) { try RankBins(cuts: [1, 1, 2], direction: .ascending) }
    }
}
