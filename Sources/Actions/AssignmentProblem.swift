/// The arbitration problem: for each customer the actions with a positive expected net value
/// (compressed rows: candidates of customer i are `offsets[i]..<offsets[i+1]`), and the shared
/// limits (budgets, channel capacities) every chosen action draws on. One action per customer.
public struct AssignmentProblem: Sendable {
    public var customerCount: Int
    public var actionCount: Int
    public var offsets: [Int]
    public var candidateActions: [Int32]
    public var candidateValues: [Double]
    public var limits: [ResourceLimit]

    public init(actionCount: Int, limits: [ResourceLimit] = []) {
        customerCount = 0
        self.actionCount = actionCount
        offsets = [0]
        candidateActions = []
        candidateValues = []
        self.limits = limits
    }

    /// Appends the next customer with its (action, expected net value) candidates; values that
    /// are not positive are dropped (no action is better).
    public mutating func appendCustomer(_ candidates: [(action: Int, value: Double)]) {
        for c in candidates where c.value > 0 {
            candidateActions.append(Int32(c.action))
            candidateValues.append(c.value)
        }
        offsets.append(candidateActions.count)
        customerCount += 1
    }

    /// Total expected net value of an assignment (`chosen[i]` = action or -1).
    public func value(of chosen: [Int32]) -> Double {
        var total = 0.0
        for i in 0..<customerCount where chosen[i] >= 0 {
            for k in offsets[i]..<offsets[i + 1] where candidateActions[k] == chosen[i] { total += candidateValues[k] }
        }
        return total
    }

    /// Use of each limit by an assignment.
    public func usage(of chosen: [Int32]) -> [Double] {
        limits.map { limit in chosen.reduce(0.0) { $1 >= 0 ? $0 + limit.usage[Int($1)] : $0 } }
    }
}

/// A shared limit: a budget in contacts or money, or a channel's capacity. `usage[a]` is what one
/// contact of action a draws (1 for counts, the cost for money, 0 when a does not use it).
public struct ResourceLimit: Sendable, Equatable {
    public enum Kind: String, Sendable { case actionBudget, actionBudgetAmount, budgetAmount, channelCapacity }
    public var name: String
    public var kind: Kind
    public var capacity: Double
    public var usage: [Double]

    public init(name: String, kind: Kind, capacity: Double, usage: [Double]) {
        self.name = name
        self.kind = kind
        self.capacity = capacity
        self.usage = usage
    }
}
