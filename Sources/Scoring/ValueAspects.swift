import CustomerData
import Foundation

/// The four aspects of customer value (financial, referral, knowledge, recommendation; Kumar,
/// Petersen & Leone 2007, "How valuable is word of mouth?", HBR, and Kumar 2008, "Managing
/// Customers for Profit"): besides the financial CLV, what a customer gives.
///
/// - `referral_value`: the sum of the CLVs of the customers this customer brought in directly
///   (each referred customer counted once, see `ReferralLinks`);
/// - `knowledge_value`, `recommendation_value`: Σ count × unit value over the given components
///   (feedback, reviews; promoter score, shares);
/// - `total_value` = CLV + referral + knowledge + recommendation value.
/// Referral value credits the referrer with CLV that is also in the referred customer's own CLV, so
/// total values do not add up across customers; they rank customers.
public struct ValueAspects: Sendable {
    /// What to do with a referral link whose customer or referrer is not in the scored base.
    public enum UnknownCustomers: String, Sendable {
        /// An error listing the first such ids (the default: nothing dropped silently).
        case error
        /// Skip the link; counted in `ignoredLinks`.
        case ignore
    }

    /// A component with one count per customer, in the scored order.
    public struct Given: Sendable {
        public var component: ValueComponent
        public var counts: [Double]
        public init(component: ValueComponent, counts: [Double]) {
            self.component = component
            self.counts = counts
        }
    }

    public let referralValue: [Double]
    /// How many customers each customer brought in (among the scored base).
    public let referredCustomers: [Int]
    public let knowledgeValue: [Double]
    public let recommendationValue: [Double]
    public let totalValue: [Double]
    /// Referral links skipped under `UnknownCustomers.ignore`.
    public let ignoredLinks: Int

    /// Totals for the sidecar (`value_aspects`).
    public struct Summary: Codable, Equatable, Sendable {
        public var referralLinks: Int
        public var referrers: Int
        public var ignoredLinks: Int
        public var referralValue: Double
        public var knowledgeValue: Double
        public var recommendationValue: Double
        public var totalValue: Double

        enum CodingKeys: String, CodingKey {
            case referralLinks = "referral_links", referrers, ignoredLinks = "ignored_links"
            case referralValue = "referral_value", knowledgeValue = "knowledge_value"
            case recommendationValue = "recommendation_value", totalValue = "total_value"
        }
    }

    /// Links credited, customers credited, links skipped, and the sum of each aspect.
    public var summary: Summary {
        Summary(referralLinks: referredCustomers.reduce(0, +), referrers: referredCustomers.filter { $0 > 0 }.count,
                ignoredLinks: ignoredLinks, referralValue: CompensatedSum.total(referralValue),
                knowledgeValue: CompensatedSum.total(knowledgeValue),
                recommendationValue: CompensatedSum.total(recommendationValue), totalValue: CompensatedSum.total(totalValue))
    }

    /// Computes the aspects for customers `customerIDs` (unique) with financial `clv` (same order).
    public init(customerIDs: [String], clv: [Double], referrals: ReferralLinks? = nil,
                knowledge: [Given] = [], recommendation: [Given] = [],
                unknownCustomers: UnknownCustomers = .error) throws {
        let n = customerIDs.count
        try ValueChecks.requireCustomers(n, "the value aspects")
        try ValueChecks.requireLength(clv, n, "clv")
        try ValueChecks.requireFinite(clv, "clv")
        var index = [String: Int](minimumCapacity: n)
        for (i, id) in customerIDs.enumerated() where index.updateValue(i, forKey: id) != nil {
            throw InputError(kind: .duplicateCustomer, value: id, problem: "customer \(id) appears twice in the scored base",
                             remedy: "Give each customer once")
        }
        let (referral, brought, ignored) = try Self.referral(referrals, index: index, clv: clv, unknown: unknownCustomers)
        let knows = try Self.given(knowledge, count: n)
        let recommends = try Self.given(recommendation, count: n)
        referralValue = referral
        referredCustomers = brought
        ignoredLinks = ignored
        knowledgeValue = knows
        recommendationValue = recommends
        totalValue = (0..<n).map { clv[$0] + referral[$0] + knows[$0] + recommends[$0] }
    }

    /// Σ count × unit value per customer.
    public static func given(_ components: [Given], count n: Int) throws -> [Double] {
        var value = [Double](repeating: 0, count: n)
        for g in components {
            try ValueChecks.requireLength(g.counts, n, g.component.column)
            try ValueChecks.requireFinite(g.counts, g.component.column)
            for i in 0..<n { value[i] += g.counts[i] * g.component.unitValue }
        }
        return value
    }

    static func referral(_ links: ReferralLinks?, index: [String: Int], clv: [Double], unknown: UnknownCustomers)
        throws -> ([Double], [Int], Int) {
        var value = [Double](repeating: 0, count: clv.count)
        var brought = [Int](repeating: 0, count: clv.count)
        guard let links else { return (value, brought, 0) }
        var missing: [String] = [], ignored = 0
        for k in 0..<links.count {
            guard let referred = index[links.referred[k]], let referrer = index[links.referrers[k]] else {
                ignored += 1
                if missing.count < 5 {
                    let id = index[links.referred[k]] == nil ? links.referred[k] : links.referrers[k]
                    missing.append("\(id) (line \(links.lines[k]))")
                }
                continue
            }
            value[referrer] += clv[referred]
            brought[referrer] += 1
        }
        if ignored > 0, unknown == .error {
            throw InputError(kind: .badSummaryValue, file: links.source,
                             problem: "\(ignored) referral links name customers that are not in the scored base, e.g. " + missing.joined(separator: ", "),
                             remedy: "Fix the ids, or skip such links with the ignore policy (they are counted in the report)")
        }
        return (value, brought, ignored)
    }
}
