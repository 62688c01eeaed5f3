import Testing
@testable import Actions

@Suite struct ControlGroupTests {
    @Test func theControlShareIsWithinSamplingErrorForEachActionAndCampaign() {
        let n = 100_000
        for (action, campaign, share) in [("call", "c1", 0.10), ("mail", "c1", 0.25), ("call", "c2", 0.05)] {
            let held = (0..<n).filter { ControlGroup.isControl(customerID: "cust-\($0)", action: action, campaignID: campaign, share: share) }.count
            let sd = (share * (1 - share) / Double(n)).squareRoot()
            #expect(abs(Double(held) / Double(n) - share) < 4 * sd, "\(action)/\(campaign): \(held) of \(n)")
        }
    }

    @Test func membershipDependsOnlyOnCustomerActionAndCampaign() {
        let ids = (0..<20_000).map { "C\($0 * 7919 % 100_003)" }
        let base = Set(ids.filter { ControlGroup.isControl(customerID: $0, action: "call", campaignID: "c1", share: 0.1) })
        // Reversed order, a subset and extra customers: the same customers are held out.
        let reversed = Set(ids.reversed().filter { ControlGroup.isControl(customerID: $0, action: "call", campaignID: "c1", share: 0.1) })
        #expect(reversed == base)
        let subset = Set(ids.prefix(5_000).filter { ControlGroup.isControl(customerID: $0, action: "call", campaignID: "c1", share: 0.1) })
        #expect(subset == base.intersection(ids.prefix(5_000)))
        // Another campaign or action draws independently: overlap near share².
        let other = Set(ids.filter { ControlGroup.isControl(customerID: $0, action: "call", campaignID: "c2", share: 0.1) })
        let overlap = Double(base.intersection(other).count) / Double(ids.count)
        #expect(abs(overlap - 0.01) < 0.004)
    }

    @Test func drawsAreUniformAcrossDeciles() {
        var counts = [Int](repeating: 0, count: 10)
        for i in 0..<50_000 { counts[Int(ControlGroup.draw(customerID: String(i), action: "a", campaignID: "x") * 10)] += 1 }
        // Chi-square with 9 degrees of freedom: the 99.9% point is 27.9.
        let chi = counts.reduce(0.0) { $0 + pow(Double($1) - 5000, 2) / 5000 }
        #expect(chi < 27.9, "\(counts)")
        #expect(!ControlGroup.isControl(customerID: "a", action: "b", campaignID: "c", share: 0))
    }
}

import Foundation
