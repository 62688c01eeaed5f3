/// Chooses one action per customer to maximise total expected net value under shared limits
/// (budgets, channel capacities) by Lagrangian relaxation: each limit r gets a price λ_r, an
/// action's contact then costs π_a = Σ_r λ_r·u_ra extra, and every customer independently takes
/// the action with the best positive v_ia − π_a. The dual
///     L(λ) = Σ_i max(0, max_a v_ia − π_a) + Σ_r λ_r·C_r
/// bounds every feasible assignment from above (Fisher 1981, "The Lagrangian relaxation method
/// for solving integer programming problems", Management Science 27). Prices are found by exact
/// coordinate minimisation (a selection for count limits, bisection for money limits), the
/// primal is repaired to fit every limit and topped up greedily, and the greedy assignment is
/// computed too; the better of the two is kept. λ_r is the limit's shadow price.
public enum LagrangianArbitration {
    public static func solve(_ p: AssignmentProblem, maxRounds: Int = 30) -> Assignment {
        let limitCount = p.limits.count
        var lambda = [Double](repeating: 0, count: limitCount)
        var bestBound = dual(p, lambda)
        var bestLambda = lambda
        if limitCount > 0 {
            for _ in 0..<maxRounds {
                var change = 0.0
                for r in 0..<limitCount {
                    let updated = coordinateMinimum(p, lambda, r)
                    change = max(change, abs(updated - lambda[r]) / (1 + abs(lambda[r])))
                    lambda[r] = updated
                }
                let bound = dual(p, lambda)
                let improvement = bestBound - bound
                if bound < bestBound { bestBound = bound; bestLambda = lambda }
                // Converged, or coordinate steps no longer lower the dual (a kink of L).
                if change < 1e-9 || improvement <= 1e-12 * max(1, abs(bestBound)) { break }
            }
        }
        let lagrangian = recover(p, bestLambda)
        let lagrangianValue = p.value(of: lagrangian)
        let greedy = greedyAssignment(p)
        let greedyValue = p.value(of: greedy)
        let useGreedy = greedyValue > lagrangianValue
        let chosen = useGreedy ? greedy : lagrangian
        return Assignment(chosen: chosen, value: max(greedyValue, lagrangianValue), lagrangianValue: lagrangianValue,
                          greedyValue: greedyValue, upperBound: bestBound, shadowPrices: bestLambda,
                          usage: p.usage(of: chosen), method: useGreedy ? "greedy" : "lagrangian")
    }

    /// π_a = Σ_r λ_r·u_ra.
    static func penalties(_ p: AssignmentProblem, _ lambda: [Double]) -> [Double] {
        var pi = [Double](repeating: 0, count: p.actionCount)
        for (r, limit) in p.limits.enumerated() where lambda[r] != 0 {
            for a in 0..<p.actionCount { pi[a] += lambda[r] * limit.usage[a] }
        }
        return pi
    }

    /// The Lagrangian dual L(λ), an upper bound on every feasible assignment's value.
    public static func dual(_ p: AssignmentProblem, _ lambda: [Double]) -> Double {
        let pi = penalties(p, lambda)
        var total = 0.0
        p.candidateValues.withUnsafeBufferPointer { v in
            p.candidateActions.withUnsafeBufferPointer { act in
                for i in 0..<p.customerCount {
                    var best = 0.0
                    for k in p.offsets[i]..<p.offsets[i + 1] { best = max(best, v[k] - pi[Int(act[k])]) }
                    total += best
                }
            }
        }
        for (r, limit) in p.limits.enumerated() { total += lambda[r] * limit.capacity }
        return total
    }

    /// The λ_r minimising L along coordinate r with the other prices fixed: the smallest price at
    /// which the customers who still prefer an r-action fit in C_r.
    static func coordinateMinimum(_ p: AssignmentProblem, _ lambda: [Double], _ r: Int) -> Double {
        let limit = p.limits[r]
        var other = penalties(p, lambda)
        for a in 0..<p.actionCount { other[a] -= lambda[r] * limit.usage[a] }
        let used = (0..<p.actionCount).filter { limit.usage[$0] > 0 }
        guard !used.isEmpty else { return 0 }
        let firstUse = limit.usage[used[0]]
        let uniform = used.allSatisfy { limit.usage[$0] == firstUse }
        // Per customer: b = best value outside r (or 0), and the r-candidates' c = v - other penalties.
        var thresholds: [Double] = []
        var lineStart: [Int] = [0], lineC: [Double] = [], lineU: [Double] = [], lineB: [Double] = []
        for i in 0..<p.customerCount {
            var b = 0.0, bestLine = -Double.infinity
            let before = lineC.count
            for k in p.offsets[i]..<p.offsets[i + 1] {
                let a = Int(p.candidateActions[k]), c = p.candidateValues[k] - other[a]
                let u = limit.usage[a]
                if u > 0 {
                    if uniform { bestLine = max(bestLine, c) } else { lineC.append(c); lineU.append(u) }
                } else {
                    b = max(b, c)
                }
            }
            if uniform {
                if bestLine > b { thresholds.append((bestLine - b) / firstUse) }
            } else if lineC.count > before {
                lineB.append(b)
                lineStart.append(lineC.count)
            }
        }
        if uniform {
            let slots = Int((limit.capacity / firstUse + 1e-9).rounded(.down))
            guard thresholds.count > slots else { return 0 }
            return kthLargest(&thresholds, slots + 1)
        }
        // Money limits: usage(λ) falls as λ rises; bisect for the smallest λ with usage ≤ C.
        func usage(_ price: Double) -> Double {
            var total = 0.0
            for j in 0..<lineB.count {
                var best = lineB[j], u = 0.0
                for k in lineStart[j]..<lineStart[j + 1] {
                    let reduced = lineC[k] - price * lineU[k]
                    if reduced > best { best = reduced; u = lineU[k] }
                }
                total += u
            }
            return total
        }
        guard usage(0) > limit.capacity else { return 0 }
        var hi = 0.0
        for j in 0..<lineB.count {
            for k in lineStart[j]..<lineStart[j + 1] { hi = max(hi, (lineC[k] - lineB[j]) / lineU[k]) }
        }
        var lo = 0.0
        for _ in 0..<64 {
            let mid = 0.5 * (lo + hi)
            if usage(mid) > limit.capacity { lo = mid } else { hi = mid }
            if hi - lo <= 1e-12 * max(1, hi) { break }
        }
        return hi
    }

    /// The k-th largest value (1-based) by quickselect; reorders `x`.
    static func kthLargest(_ x: inout [Double], _ k: Int) -> Double {
        var lo = 0, hi = x.count - 1
        let target = k - 1
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        while lo < hi {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let pivot = x[lo + Int((state >> 33) % UInt64(hi - lo + 1))]
            var i = lo, j = hi
            while i <= j {
                while x[i] > pivot { i += 1 }
                while x[j] < pivot { j -= 1 }
                if i <= j { x.swapAt(i, j); i += 1; j -= 1 }
            }
            if target <= j { hi = j } else if target >= i { lo = i } else { return x[target] }
        }
        return x[target]
    }

    /// The relaxed choice at prices λ made feasible: customers keep their best reduced action when
    /// every limit it uses has room (those drawing on over-full limits are admitted in order of
    /// reduced value, else fall back to their next action that fits), then leftover room is filled
    /// greedily by expected net value.
    static func recover(_ p: AssignmentProblem, _ lambda: [Double]) -> [Int32] {
        let pi = penalties(p, lambda)
        var chosen = [Int32](repeating: -1, count: p.customerCount)
        var reducedOfChoice = [Double](repeating: 0, count: p.customerCount)
        for i in 0..<p.customerCount {
            var best = 0.0
            for k in p.offsets[i]..<p.offsets[i + 1] {
                let reduced = p.candidateValues[k] - pi[Int(p.candidateActions[k])]
                if reduced > best { best = reduced; chosen[i] = p.candidateActions[k] }
            }
            reducedOfChoice[i] = best
        }
        var room = p.limits.map(\.capacity)
        let demand = p.usage(of: chosen)
        let full = (0..<p.limits.count).filter { demand[$0] > room[$0] + 1e-9 }
        func usesFull(_ a: Int32) -> Bool { full.contains { p.limits[$0].usage[Int(a)] > 0 } }
        func fits(_ a: Int) -> Bool { p.limits.indices.allSatisfy { p.limits[$0].usage[a] <= room[$0] + 1e-9 } }
        func take(_ a: Int) { for r in p.limits.indices { room[r] -= p.limits[r].usage[a] } }
        // Customers drawing on an over-full limit are admitted by their margin over the best action
        // that avoids every over-full limit (what they lose when turned away).
        var contested: [(margin: Double, customer: Int)] = []
        for i in 0..<p.customerCount where chosen[i] >= 0 {
            guard usesFull(chosen[i]) else { take(Int(chosen[i])); continue }
            var alternative = 0.0
            for k in p.offsets[i]..<p.offsets[i + 1] where !usesFull(p.candidateActions[k]) {
                alternative = max(alternative, p.candidateValues[k] - pi[Int(p.candidateActions[k])])
            }
            contested.append((reducedOfChoice[i] - alternative, i))
        }
        contested.sort { $0.margin != $1.margin ? $0.margin > $1.margin : $0.customer < $1.customer }
        for (_, i) in contested {
            let a = Int(chosen[i])
            if fits(a) { take(a) } else { chosen[i] = -1 }
        }
        // Top up: the unassigned customers' candidates that still fit, by expected net value.
        var pending: [(value: Double, customer: Int, action: Int32)] = []
        for i in 0..<p.customerCount where chosen[i] < 0 {
            for k in p.offsets[i]..<p.offsets[i + 1] where fits(Int(p.candidateActions[k])) {
                pending.append((p.candidateValues[k], i, p.candidateActions[k]))
            }
        }
        if !full.isEmpty || !pending.isEmpty {
            pending.sort { $0.value != $1.value ? $0.value > $1.value : ($0.customer, $0.action) < ($1.customer, $1.action) }
            for c in pending where chosen[c.customer] < 0 && fits(Int(c.action)) {
                chosen[c.customer] = c.action
                take(Int(c.action))
            }
        }
        return chosen
    }

    /// Greedy in order of expected net value: each customer's best candidate that still fits.
    /// (Candidates are visited lazily through a max-heap keyed by each customer's next candidate.)
    public static func greedyAssignment(_ p: AssignmentProblem) -> [Int32] {
        var room = p.limits.map(\.capacity)
        var chosen = [Int32](repeating: -1, count: p.customerCount)
        // Each customer's candidates by value, descending (ties: lower action first).
        var order = Array(0..<p.candidateValues.count)
        for i in 0..<p.customerCount where p.offsets[i + 1] - p.offsets[i] > 1 {
            order[p.offsets[i]..<p.offsets[i + 1]].sort {
                p.candidateValues[$0] != p.candidateValues[$1] ? p.candidateValues[$0] > p.candidateValues[$1] : p.candidateActions[$0] < p.candidateActions[$1]
            }
        }
        var heap = MaxHeap()
        for i in 0..<p.customerCount where p.offsets[i + 1] > p.offsets[i] {
            heap.items.append(.init(value: p.candidateValues[order[p.offsets[i]]], customer: Int32(i), position: Int32(p.offsets[i])))
        }
        heap.heapify()
        let noLimits = p.limits.isEmpty
        while let top = heap.pop() {
            let k = order[Int(top.position)], a = Int(p.candidateActions[k])
            if noLimits || p.limits.indices.allSatisfy({ p.limits[$0].usage[a] <= room[$0] + 1e-9 }) {
                chosen[Int(top.customer)] = Int32(a)
                for r in p.limits.indices { room[r] -= p.limits[r].usage[a] }
            } else if Int(top.position) + 1 < p.offsets[Int(top.customer) + 1] {
                let next = Int(top.position) + 1
                heap.push(.init(value: p.candidateValues[order[next]], customer: top.customer, position: Int32(next)))
            }
        }
        return chosen
    }
}

/// A binary max-heap of (value, customer) with ties broken by the lower customer index, so the
/// greedy order does not depend on the heap's layout.
struct MaxHeap {
    struct Item { var value: Double; var customer: Int32; var position: Int32 }
    var items: [Item] = []

    private func above(_ a: Item, _ b: Item) -> Bool {
        a.value != b.value ? a.value > b.value : a.customer < b.customer
    }

    mutating func heapify() {
        guard items.count > 1 else { return }
        for i in stride(from: items.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }

    mutating func push(_ item: Item) {
        items.append(item)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard above(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Item? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            siftDown(0)
        }
        return first
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = items.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < n && above(items[l], items[m]) { m = l }
            if r < n && above(items[r], items[m]) { m = r }
            if m == i { return }
            items.swapAt(i, m)
            i = m
        }
    }
}
