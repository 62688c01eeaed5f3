import Foundation
import Models

/// A money amount that is either the same for every customer or read per customer from a column.
public enum PerCustomer: Sendable, Equatable {
    case constant(Double)
    case values([Double])

    public subscript(i: Int) -> Double {
        switch self {
        case .constant(let v): return v
        case .values(let v): return v[i]
        }
    }

    /// The values for customers at `rows` (a shard or a join).
    public func selecting(rows: [Int]) -> PerCustomer {
        switch self {
        case .constant: return self
        case .values(let v): return .values(rows.map { v[$0] })
        }
    }
}

/// The money side of customer value: what a customer's orders earn and what serving her costs.
public struct Economics: Sendable, Equatable {
    /// Share of revenue kept as profit (0.3 = 30%), or per customer.
    public var margin: PerCustomer
    /// Cost of handling one order (picking, payment, shipping not charged to the customer).
    public var costPerOrder: Double
    /// Cost of serving a customer for one horizon step while she is alive (account, mailings).
    public var costPerPeriod: PerCustomer
    /// One-off cost of acquiring the customer, charged to her historic value.
    public var acquisitionCost: PerCustomer

    /// Throws for a margin rate outside [0, 1] (unless `allowNegativeMargin`, which permits any finite
    /// rate below 0) and for negative or non-finite costs.
    public init(margin: PerCustomer, costPerOrder: Double = 0, costPerPeriod: PerCustomer = .constant(0),
                acquisitionCost: PerCustomer = .constant(0), allowNegativeMargin: Bool = false, count: Int) throws {
        for i in 0..<(margin.isConstant ? min(count, 1) : count) {
            let m = margin[i]
            guard m.isFinite, m <= 1, m >= 0 || allowNegativeMargin else {
                throw ModelError.invalidParameters("""
                    margin \(m)\(margin.isConstant ? "" : " (customer row \(i + 1))") must be a rate between 0 and 1 (0.3 = 30% of revenue); \
                    a negative margin (selling at a loss) needs --allow-negative-margin
                    """)
            }
        }
        guard costPerOrder >= 0, costPerOrder.isFinite else {
            throw ModelError.invalidParameters("the cost per order must be a finite amount >= 0, got \(costPerOrder)")
        }
        for (name, cost) in [("cost per period", costPerPeriod), ("acquisition cost", acquisitionCost)] {
            for i in 0..<(cost.isConstant ? min(count, 1) : count) where !(cost[i] >= 0 && cost[i].isFinite) {
                throw ModelError.invalidParameters("the \(name) must be a finite amount >= 0, got \(cost[i])\(cost.isConstant ? "" : " at customer row \(i + 1)")")
            }
        }
        self.margin = margin
        self.costPerOrder = costPerOrder
        self.costPerPeriod = costPerPeriod
        self.acquisitionCost = acquisitionCost
    }
}

extension PerCustomer {
    var isConstant: Bool { if case .constant = self { return true } else { return false } }
}
