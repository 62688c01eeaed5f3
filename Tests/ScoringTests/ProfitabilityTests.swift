import CustomerData
import Foundation
import Testing
@testable import Scoring

@Suite struct ProfitabilityTests {
    /// A base with profitable customers, break-evens and loss-makers (acquisition costs).
    static func base(_ n: Int, seed: UInt64) -> (revenue: [Double], profit: [Double]) {
        var g = SeededValues(seed: seed)
        var revenue: [Double] = [], profit: [Double] = []
        for _ in 0..<n {
            let u = g.uniform()
            let r = u < 0.1 ? 0 : (2000 * pow(g.uniform(), 3)).rounded() / 4  // skewed, with ties
            revenue.append(r)
            profit.append(0.3 * r - 25 * g.uniform() - (u < 0.15 ? 40 : 0))
        }
        return (revenue, profit)
    }

    @Test func everyNumberMatchesNumpyAndPandas() throws {
        let (revenue, profit) = Self.base(1_003, seed: 7)
        let p = try ProfitabilityPicture(revenue: revenue, netValue: profit)
        struct Peer: Decodable {
            var revenue_share_top5pct, profit_share_top20pct, gini, loss_amount: Double
            var profitable, break_even, loss_making: Int
            var lorenz_grid, peak: [Double]
            var deciles: [Int]
            var decile_table: [String: [Double]]
        }
        let path = try writeValueCSV([("revenue", revenue), ("profit", profit)])
        let peer = try runValuePeer(Peer.self, ["profit", path, "0.05"])
        #expect(nearlyEqual(p.revenueShareTop, peer.revenue_share_top5pct, 1e-12))
        #expect(nearlyEqual(p.profitShareTop, peer.profit_share_top20pct, 1e-12))
        #expect(nearlyEqual(p.gini, peer.gini, 1e-12))
        #expect(nearlyEqual(p.lossAmount, peer.loss_amount, 1e-12))
        #expect(p.profitableCustomers == peer.profitable && p.breakEvenCustomers == peer.break_even
            && p.lossMakingCustomers == peer.loss_making)
        #expect(p.peakCustomerShare == peer.peak[0] && nearlyEqual(p.peakProfitShare, peer.peak[1], 1e-12))
        let grid = p.lorenz.filter { $0[0] != p.peakCustomerShare || peer.lorenz_grid.count == p.lorenz.count }
        #expect(grid.count == 101)
        for (point, y) in zip(grid, peer.lorenz_grid) { #expect(nearlyEqual(point[1], y, 1e-12)) }
        #expect(try ProfitDecile.deciles(netValue: profit).map(Int.init) == peer.deciles)
        for row in p.deciles {
            let expected = peer.decile_table["\(row.decile)"] ?? [0, 0, 0]
            #expect(Double(row.customers) == expected[0] && nearlyEqual(row.netValue, expected[1], 1e-12)
                && nearlyEqual(row.revenue, expected[2], 1e-12))
        }
    }

    @Test func aHandComputedBase() throws {
        // 4 customers. Revenue 100, 50, 30, 20 (total 200); profit 40, 10, 1, -11 (total 40).
        let p = try ProfitabilityPicture(revenue: [30, 100, 20, 50], netValue: [1, 40, -11, 10],
                                         options: .init(revenueTopFraction: 0.25, profitTopFraction: 0.5))
        #expect(p.revenueShareTop == 0.5)          // the top customer: 100 / 200
        #expect(p.profitShareTop == 50.0 / 40)     // the top two: 50 / 40
        // Bands 5% of revenue: 1.5, 5, 1, 2.5 → 1 breaks even, 40 and 10 profitable, -11 loses.
        #expect(p.profitableCustomers == 2 && p.breakEvenCustomers == 1 && p.lossMakingCustomers == 1)
        #expect(p.lossAmount == 11)
        // Gini: sorted 20, 30, 50, 100: Σ(2i - 5)x = -3*20 - 30 + 50 + 300 = 260; / (4 * 200).
        #expect(abs(p.gini - 260.0 / 800) < 1e-15)
        // Whale curve: 0, 40, 50, 51, 40 over 40 — peak 51/40 at 3/4, ends exactly at 1.
        #expect(p.lorenz == [[0, 0], [0.25, 1], [0.5, 1.25], [0.75, 51.0 / 40], [1, 1]])
        #expect(p.peakCustomerShare == 0.75 && p.peakProfitShare == 51.0 / 40)
        #expect(p.lorenzScale == "total_profit")
    }

    @Test func theWhaleCurveRisesAboveOneAndEndsExactly() throws {
        let (revenue, profit) = Self.base(50_000, seed: 9)
        let p = try ProfitabilityPicture(revenue: revenue, netValue: profit)
        #expect(p.lossMakingCustomers > 0 && p.peakProfitShare > 1)
        #expect(p.lorenz.first! == [0, 0] && p.lorenz.last! == [1, 1])
        #expect(p.lorenz.count == 102)  // 101 grid points and the exact peak
        #expect(p.lorenz.contains([p.peakCustomerShare, p.peakProfitShare]))
        #expect(zip(p.lorenz, p.lorenz.dropFirst()).allSatisfy { $0.0[0] < $0.1[0] })
        #expect(p.lorenz.allSatisfy { $0[1] <= p.peakProfitShare })
    }

    @Test func groupsPartitionTheBaseAndDecileSharesAddUp() throws {
        let (revenue, profit) = Self.base(20_011, seed: 1)
        let p = try ProfitabilityPicture(revenue: revenue, netValue: profit,
                                         options: .init(breakEven: .init(amount: 2, revenueFraction: 0.1)))
        #expect(p.profitableCustomers + p.breakEvenCustomers + p.lossMakingCustomers == p.customers)
        #expect(abs(p.profitableShare + p.breakEvenShare + p.lossMakingShare - 1) < 1e-12)
        #expect(p.deciles.map(\.customers).reduce(0, +) == p.customers)
        #expect(abs(p.deciles.map(\.netValueShare).reduce(0, +) - 1) < 1e-12)
        #expect(abs(p.deciles.map(\.revenueShare).reduce(0, +) - 1) < 1e-12)
        #expect(zip(p.deciles, p.deciles.dropFirst()).allSatisfy { $0.0.netValue / Double($0.0.customers) >= $0.1.netValue / Double($0.1.customers) })
    }

    @Test func decilesHonourTiesAndRowOrder() throws {
        // 20 customers, values 0...9 twice: each pair shares a decile, decile 1 the largest.
        let v = (0..<20).map { Double($0 % 10) }
        let d = try ProfitDecile.deciles(netValue: v)
        #expect(d == v.map { UInt8(10 - Int($0)) })
        // Heavy ties: 7 equal values at the top all get decile 1.
        let tied = [Double](repeating: 5, count: 7) + [1, 2, 3]
        #expect(try ProfitDecile.deciles(netValue: tied) == [1, 1, 1, 1, 1, 1, 1, 10, 9, 8])
        var g = SeededValues(seed: 2)
        let (_, profit) = Self.base(5_000, seed: 4)
        let rounded = profit.map { $0.rounded() }
        let base = try ProfitDecile.deciles(netValue: rounded)
        let perm = g.permutation(rounded.count)
        let shuffled = try ProfitDecile.deciles(netValue: perm.map { rounded[$0] })
        #expect(perm.indices.allSatisfy { shuffled[$0] == base[perm[$0]] })
    }

    @Test func negativeRevenueCountsAsZeroInTheGini() throws {
        let p = try ProfitabilityPicture(revenue: [-10, 0, 10, 30], netValue: [1, 1, 1, 1])
        let q = try ProfitabilityPicture(revenue: [0, 0, 10, 30], netValue: [1, 1, 1, 1])
        #expect(p.gini == q.gini && p.negativeRevenueCustomers == 1)
        #expect(try ProfitabilityPicture(revenue: [0, 0], netValue: [0, 0]).gini == 0)
    }

    @Test func aBaseThatLosesMoneyIsScaledByThePositiveProfit() throws {
        let p = try ProfitabilityPicture(revenue: [10, 10, 10], netValue: [5, -10, -20])
        #expect(p.lorenzScale == "positive_profit")
        #expect(p.lorenz.first! == [0, 0] && p.lorenz[1][1] == 1 && p.lorenz.last![1] == -5)
        #expect(try ProfitabilityPicture(revenue: [1], netValue: [0]).lorenzScale == "none")
    }

    @Test func theSidecarObjectHasTheContractKeys() throws {
        let (revenue, profit) = Self.base(300, seed: 3)
        let p = try ProfitabilityPicture(revenue: revenue, netValue: profit)
        let data = try JSONEncoder().encode(p)
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        for key in ["customers", "revenue_share_top5pct", "profit_share_top20pct", "loss_making_customers",
                    "loss_amount", "gini", "lorenz", "break_even_customers", "break_even_share", "break_even_tolerance", "deciles"] {
            #expect(object[key] != nil, "\(key)")
        }
        #expect((object["lorenz"] as! [[Double]]).allSatisfy { $0.count == 2 })
        #expect(try JSONDecoder().decode(ProfitabilityPicture.self, from: data) == p)
    }

    @Test func badInputsAreClearErrors() {
        #expect(throws: InputError.self) { try ProfitabilityPicture(revenue: [], netValue: []) }
        #expect(throws: InputError.self) { try ProfitabilityPicture(revenue: [1], netValue: [1, 2]) }
        #expect(throws: InputError.self) { try ProfitabilityPicture(revenue: [1, .nan], netValue: [1, 2]) }
        #expect(throws: InputError.self) { try ProfitabilityPicture(revenue: [1], netValue: [1], options: .init(revenueTopFraction: 0)) }
        #expect(throws: InputError.self) { try ProfitabilityPicture(revenue: [1], netValue: [1], options: .init(breakEven: .init(amount: -1))) }
        #expect(throws: InputError.self) { try ProfitabilityPicture(revenue: [1], netValue: [1], options: .init(lorenzPoints: 1)) }
        #expect(throws: InputError.self) { try ProfitDecile.deciles(netValue: [.infinity]) }
    }
}
