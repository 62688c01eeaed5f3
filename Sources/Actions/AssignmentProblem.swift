/// The arbitration problem: for each customer the actions with a positive expected net value
/// (compressed rows: candidates of customer i are `offsets[i]..<offsets[i+1]`), how many distinct
/// actions the customer may get (`slots[i]`, one unless the catalog allows more), and the shared
/// limits (budgets, channel capacities) every chosen action draws on. An assignment marks the
/// candidates taken (`taken[k]`, aligned with the candidates).
public struct AssignmentProblem: Sendable {
    public var customerCount: Int
    public var actionCount: Int
    public var offsets: [Int]
    public var candidateActions: [Int32]
    public var candidateValues: [Double]
    /// At most this many actions per customer (each action at most once).
    public var slots: [UInt8]
    public var limits: [ResourceLimit]

    public init(actionCount: Int, limits: [ResourceLimit] = []) {
        customerCount = 0
        self.actionCount = actionCount
        offsets = [0]
        candidateActions = []
        candidateValues = []
        slots = []
        self.limits = limits
    }

    /// Appends the next customer with its (action, expected net value) candidates, one per action,
    /// and the number of actions it may get; values that are not positive are dropped (no action
    /// is better).
    public mutating func appendCustomer(_ candidates: [(action: Int, value: Double)], slots: Int = 1) {
        precondition(slots >= 0 && slots <= 64, "AssignmentProblem: slots \(slots) outside 0...64")
        if slots > 0 {
            for c in candidates where c.value > 0 {
                candidateActions.append(Int32(c.action))
                candidateValues.append(c.value)
            }
        }
        offsets.append(candidateActions.count)
        self.slots.append(UInt8(slots))
        customerCount += 1
    }

    /// Total expected net value of an assignment.
    public func value(of taken: [Bool]) -> Double {
        var total = 0.0
        for k in taken.indices where taken[k] { total += candidateValues[k] }
        return total
    }

    /// Use of each limit by an assignment.
    public func usage(of taken: [Bool]) -> [Double] {
        limits.map { limit in
            var used = 0.0
            for k in taken.indices where taken[k] { used += limit.usage[Int(candidateActions[k])] }
            return used
        }
    }

    /// The actions an assignment gives customer `i`, in candidate order.
    public func actions(of i: Int, in taken: [Bool]) -> [Int32] {
        (offsets[i]..<offsets[i + 1]).filter { taken[$0] }.map { candidateActions[$0] }
    }

    /// Per action, the limits it draws on (`usage > 0`).
    func limitsUsed() -> [[Int]] {
        (0..<actionCount).map { a in limits.indices.filter { limits[$0].usage[a] > 0 } }
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

/// Room left in each limit while an assignment is built; a limit's room only shrinks, so an
/// action that no longer fits never fits again in the same run.
struct LimitRoom {
    var room: [Double]
    let used: [[Int]]
    let usage: [[Double]]

    init(_ p: AssignmentProblem) {
        room = p.limits.map(\.capacity)
        used = p.limitsUsed()
        usage = p.limits.map(\.usage)
    }

    func fits(_ a: Int) -> Bool {
        for r in used[a] where usage[r][a] > room[r] + 1e-9 { return false }
        return true
    }

    mutating func take(_ a: Int) {
        for r in used[a] { room[r] -= usage[r][a] }
    }
}
