import Foundation
import Models
import Testing

/// `score(horizons:)` computes in one pass what `score(horizon:)` gives horizon by horizon.
@Suite("score at many horizons")
struct HorizonScoresTests {
    /// 12 monthly steps (365.25/12 days in weeks) and a few others, in weeks.
    static let horizons = (1...12).map { Double($0) * 365.25 / 12 / 7 } + [1, 0.5, 104, 0]

    static func models() throws -> [any RepeatPurchaseModel] {
        [try BetaGeometricNBD(r: 0.2426, alpha: 4.4137, a: 0.7930, b: 2.4262),
         try ModifiedBetaGeometricNBD(r: 0.525, alpha: 6.183, a: 0.891, b: 1.614),
         try ParetoNBD(parameters: [0.5533, 10.5776, 0.6061, 11.6650]),
         try BetaGeometricBetaBinomial(parameters: [1.204, 0.750, 0.657, 2.783])]
    }

    @Test("equals per-horizon score(horizon:) to 1e-12 relative on the CDNOW customers, for every family")
    func equalsPerHorizonCalls() throws {
        let s = try TestData.cdnowSummary()
        for model in try Self.models() {
            let kind = type(of: model).kind.rawValue
            // BG/BB counts discrete opportunities: its customers have whole-number recency and T.
            let (frequency, recency, T) = type(of: model).kind == .bgbb
                ? (s.frequency.map { min($0, 6) }, s.frequency.map { min($0, 6) }, s.frequency.map { _ in 6.0 })
                : (s.frequency, s.recency, s.T)
            let all = model.score(horizons: Self.horizons, frequency: frequency, recency: recency, T: T)
            #expect(all.count == frequency.count && all.horizons == Self.horizons, "\(kind)")
            for (h, horizon) in Self.horizons.enumerated() where horizon > 0 {
                let one = model.score(horizon: horizon, frequency: frequency, recency: recency, T: T)
                #expect(all.probabilityAlive == one.probabilityAlive || zip(all.probabilityAlive, one.probabilityAlive).allSatisfy { abs($0 - $1) <= 1e-12 * abs($1) }, "\(kind)")
                let values = all.expectedPurchases(horizon: h)
                let worst = zip(values, one.expectedPurchases).map { abs($0 - $1) / max(abs($1), 1e-300) }.max() ?? 0
                #expect(worst <= 1e-12, "\(kind) at horizon \(horizon): relative difference \(worst)")
            }
            // Horizon 0: nobody buys in no time.
            #expect(all.expectedPurchases(horizon: Self.horizons.count - 1).allSatisfy { $0 == 0 }, "\(kind)")
            // Per customer, the horizons are contiguous and increase with the horizon.
            let first = all.expectedPurchases(customer: 0)
            #expect(first.count == Self.horizons.count && zip(first.prefix(11), first.dropFirst().prefix(11)).allSatisfy { $0 < $1 }, "\(kind)")
        }
    }

    @Test("no customers or no horizons give empty results")
    func emptyInputs() throws {
        for model in try Self.models() {
            let none = model.score(horizons: [1, 2], frequency: [], recency: [], T: [])
            #expect(none.count == 0 && none.expectedPurchases.isEmpty)
            let noHorizons = model.score(horizons: [], frequency: [1, 0], recency: [1, 0], T: [2, 2])
            #expect(noHorizons.probabilityAlive.count == 2 && noHorizons.expectedPurchases.isEmpty)
        }
    }
}
