/// Chooses up to `slots[i]` distinct actions per customer (one unless the catalog allows more) to
/// maximise total expected net value under shared limits (budgets, channel capacities) by
/// Lagrangian relaxation: each limit r gets a price λ_r, an action's contact then costs
/// π_a = Σ_r λ_r·u_ra extra, and every customer independently takes the (up to slots) actions
/// with the best positive v_ia − π_a. The dual
///     L(λ) = Σ_i (sum of the slots_i largest positive v_ia − π_a) + Σ_r λ_r·C_r
/// bounds every feasible assignment from above (Fisher 1981, "The Lagrangian relaxation method
/// for solving integer programming problems", Management Science 27). Prices are found by exact
/// coordinate minimisation (a selection for count limits, bisection for money limits), the
/// primal is repaired to fit every limit and topped up greedily, and the greedy assignment is
/// computed too; the better of the two is kept. λ_r is the limit's shadow price. The passes over
/// customers run in fixed chunks on every core (`CustomerChunks`), with the same results.
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
        let taken = useGreedy ? greedy : lagrangian
        return Assignment(taken: taken, value: max(greedyValue, lagrangianValue), lagrangianValue: lagrangianValue,
                          greedyValue: greedyValue, upperBound: bestBound, shadowPrices: bestLambda,
                          usage: p.usage(of: taken), method: useGreedy ? "greedy" : "lagrangian")
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
        var total = CustomerChunks.sum(p.customerCount) { range in
            var sum = 0.0
            var scratch: [Double] = []
            for i in range {
                let k0 = p.offsets[i], k1 = p.offsets[i + 1], slots = Int(p.slots[i])
                if slots == 1 {
                    var best = 0.0
                    for k in k0..<k1 { best = max(best, p.candidateValues[k] - pi[Int(p.candidateActions[k])]) }
                    sum += best
                } else if slots > 1 && k1 > k0 {
                    scratch.removeAll(keepingCapacity: true)
                    for k in k0..<k1 { scratch.append(p.candidateValues[k] - pi[Int(p.candidateActions[k])]) }
                    sum += largestPositiveSum(&scratch, slots)
                }
            }
            return sum
        }
        for (r, limit) in p.limits.enumerated() { total += lambda[r] * limit.capacity }
        return total
    }

    /// The sum of the `count` largest positive values (reorders `x`).
    static func largestPositiveSum(_ x: inout [Double], _ count: Int) -> Double {
        x.sort(by: >)
        var sum = 0.0
        for v in x.prefix(count) where v > 0 { sum += v }
        return sum
    }

    /// One chunk of customers seen by a coordinate step on limit r: for count limits the prices at
    /// which a customer gives up one more r-contact; for money limits each customer's r-lines
    /// (c = v − other penalties, usage u) and their K-th best value outside r.
    private struct CoordinateChunk {
        var thresholds: [Double] = []
        var lineStart: [Int] = [0]
        var lineC: [Double] = []
        var lineU: [Double] = []
        /// Per customer with lines: the best values outside r, descending (at most slots of them;
        /// customer j's are `outside[outsideStart[j]..<outsideStart[j+1]]`).
        var outsideStart: [Int] = [0]
        var outside: [Double] = []
        var slots: [Int] = []

        /// Customer j's use of the limit at `price`: its (up to slots) best values among its lines
        /// (c − price·u) and its outside values, a line taken only when it beats them.
        func usage(of j: Int, at price: Double, scratch reduced: inout [(value: Double, use: Double)]) -> Double {
            let start = lineStart[j], end = lineStart[j + 1]
            let outside = self.outside[outsideStart[j]..<outsideStart[j + 1]]
            if slots[j] == 1 {
                var best = outside[outside.startIndex], u = 0.0
                for k in start..<end {
                    let value = lineC[k] - price * lineU[k]
                    if value > best { best = value; u = lineU[k] }
                }
                return u
            }
            reduced.removeAll(keepingCapacity: true)
            for k in start..<end { reduced.append((lineC[k] - price * lineU[k], lineU[k])) }
            reduced.sort { $0.value != $1.value ? $0.value > $1.value : $0.use < $1.use }
            var total = 0.0, li = 0, oi = outside.startIndex
            for _ in 0..<slots[j] {
                let line = li < reduced.count ? reduced[li].value : -Double.infinity
                let out = oi < outside.endIndex ? outside[oi] : 0
                if line > out && line > 0 { total += reduced[li].use; li += 1 } else if out > 0 { oi += 1 } else { break }
            }
            return total
        }
    }

    /// The λ_r minimising L along coordinate r with the other prices fixed: the smallest price at
    /// which the customers who still prefer r-actions fit in C_r.
    ///
    /// With slots K, a customer keeps m r-actions while the m-th best r-value c_m beats the
    /// (K−m+1)-th best value outside r (0 when there are fewer), so it gives up its m-th r-contact
    /// at the price (c_m − b_{K−m+1}) / u.
    static func coordinateMinimum(_ p: AssignmentProblem, _ lambda: [Double], _ r: Int) -> Double {
        let limit = p.limits[r]
        var other = penalties(p, lambda)
        for a in 0..<p.actionCount { other[a] -= lambda[r] * limit.usage[a] }
        let used = (0..<p.actionCount).filter { limit.usage[$0] > 0 }
        guard !used.isEmpty else { return 0 }
        let firstUse = limit.usage[used[0]]
        let uniform = used.allSatisfy { limit.usage[$0] == firstUse }
        let chunks = CustomerChunks.map(p.customerCount) { range -> CoordinateChunk in
            var chunk = CoordinateChunk()
            var lines: [Double] = [], lineUses: [Double] = [], outside: [Double] = []
            for i in range {
                let slots = Int(p.slots[i])
                guard slots > 0 else { continue }
                lines.removeAll(keepingCapacity: true)
                lineUses.removeAll(keepingCapacity: true)
                outside.removeAll(keepingCapacity: true)
                var bestOutside = 0.0, bestLine = -Double.infinity
                for k in p.offsets[i]..<p.offsets[i + 1] {
                    let a = Int(p.candidateActions[k]), c = p.candidateValues[k] - other[a]
                    let u = limit.usage[a]
                    if u > 0 {
                        if slots == 1 && uniform { bestLine = max(bestLine, c) } else { lines.append(c); lineUses.append(u) }
                    } else if slots == 1 {
                        bestOutside = max(bestOutside, c)
                    } else if c > 0 {
                        outside.append(c)
                    }
                }
                if slots == 1 && uniform {
                    if bestLine > bestOutside { chunk.thresholds.append((bestLine - bestOutside) / firstUse) }
                    continue
                }
                guard !lines.isEmpty else { continue }
                if slots > 1 {
                    outside.sort(by: >)
                    if outside.count > slots { outside.removeLast(outside.count - slots) }
                } else {
                    outside.append(bestOutside)
                }
                if uniform {
                    lines.sort(by: >)
                    for m in 1...min(slots, lines.count) {
                        let b = slots - m < outside.count ? outside[slots - m] : 0
                        if lines[m - 1] > b { chunk.thresholds.append((lines[m - 1] - b) / firstUse) }
                    }
                } else {
                    chunk.lineC.append(contentsOf: lines)
                    chunk.lineU.append(contentsOf: lineUses)
                    chunk.lineStart.append(chunk.lineC.count)
                    chunk.outside.append(contentsOf: outside)
                    chunk.outsideStart.append(chunk.outside.count)
                    chunk.slots.append(slots)
                }
            }
            return chunk
        }
        if uniform {
            var thresholds = chunks.flatMap(\.thresholds)
            let slots = Int((limit.capacity / firstUse + 1e-9).rounded(.down))
            guard thresholds.count > slots else { return 0 }
            return kthLargest(&thresholds, slots + 1)
        }
        // Money limits: usage(λ) falls as λ rises; bisect for the smallest λ with usage ≤ C.
        // Per chunk: the customers still in the bisection, and their usage at a price.
        var active: [[Int]] = chunks.map { Array(0..<$0.slots.count) }
        func usages(_ price: Double) -> [[Double]] {
            CustomerChunks.map(chunks.count, size: 1) { range -> [Double] in
                let chunk = chunks[range.lowerBound]
                var reduced: [(value: Double, use: Double)] = []
                return active[range.lowerBound].map { chunk.usage(of: $0, at: price, scratch: &reduced) }
            }
        }
        func total(_ uses: [[Double]]) -> Double { uses.reduce(0) { $0 + $1.reduce(0, +) } }
        var hi = 0.0
        for chunk in chunks {
            for j in 0..<chunk.slots.count {
                let start = chunk.outsideStart[j], slots = chunk.slots[j]
                let b = slots <= chunk.outsideStart[j + 1] - start ? chunk.outside[start + slots - 1] : 0
                for k in chunk.lineStart[j]..<chunk.lineStart[j + 1] { hi = max(hi, (chunk.lineC[k] - b) / chunk.lineU[k]) }
            }
        }
        var usesLo = usages(0)
        guard total(usesLo) > limit.capacity else { return 0 }
        var usesHi = usages(hi)
        // A customer's usage only falls as the price rises (its best value is a maximum of lines in
        // the price: convex, with slope −usage), so one that uses the same at lo and hi uses that
        // throughout [lo, hi] and leaves the bisection.
        var fixed = 0.0
        var lo = 0.0
        for _ in 0..<64 {
            for c in chunks.indices {
                var keep: [Int] = []
                for m in active[c].indices {
                    if usesLo[c][m] == usesHi[c][m] { fixed += usesLo[c][m] } else { keep.append(m) }
                }
                if keep.count < active[c].count {
                    active[c] = keep.map { active[c][$0] }
                    usesLo[c] = keep.map { usesLo[c][$0] }
                    usesHi[c] = keep.map { usesHi[c][$0] }
                }
            }
            let mid = 0.5 * (lo + hi)
            let usesMid = usages(mid)
            if fixed + total(usesMid) > limit.capacity { lo = mid; usesLo = usesMid } else { hi = mid; usesHi = usesMid }
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

    /// Marks each customer's relaxed choice at penalties π: the (up to slots) candidates with the
    /// best positive reduced value v − π (ties: the earlier candidate).
    static func relaxedChoice(_ p: AssignmentProblem, _ pi: [Double]) -> [Bool] {
        let parts = CustomerChunks.map(p.customerCount) { range -> [Bool] in
            let base = p.offsets[range.lowerBound]
            var taken = [Bool](repeating: false, count: p.offsets[range.upperBound] - base)
            var order: [(value: Double, k: Int)] = []
            for i in range {
                let k0 = p.offsets[i], k1 = p.offsets[i + 1], slots = Int(p.slots[i])
                if slots == 1 {
                    var best = 0.0, bestK = -1
                    for k in k0..<k1 {
                        let reduced = p.candidateValues[k] - pi[Int(p.candidateActions[k])]
                        if reduced > best { best = reduced; bestK = k }
                    }
                    if bestK >= 0 { taken[bestK - base] = true }
                } else if slots > 1 {
                    order.removeAll(keepingCapacity: true)
                    for k in k0..<k1 {
                        let reduced = p.candidateValues[k] - pi[Int(p.candidateActions[k])]
                        if reduced > 0 { order.append((reduced, k)) }
                    }
                    order.sort { $0.value != $1.value ? $0.value > $1.value : $0.k < $1.k }
                    for c in order.prefix(slots) { taken[c.k - base] = true }
                }
            }
            return taken
        }
        return Array(parts.joined())
    }

    /// The relaxed choice at prices λ made feasible: customers keep their relaxed actions when
    /// every limit they use has room (those drawing on over-full limits are admitted in order of
    /// their margin over the best alternative), then leftover room and slots are filled greedily
    /// by expected net value.
    static func recover(_ p: AssignmentProblem, _ lambda: [Double]) -> [Bool] {
        let pi = penalties(p, lambda)
        var taken = relaxedChoice(p, pi)
        var room = LimitRoom(p)
        let demand = p.usage(of: taken)
        let full = (0..<p.limits.count).filter { demand[$0] > p.limits[$0].capacity + 1e-9 }
        let usesFull = (0..<p.actionCount).map { a in full.contains { p.limits[$0].usage[a] > 0 } }
        var count = [UInt8](repeating: 0, count: p.customerCount)
        // Candidates drawing on an over-full limit are admitted by their margin over the best action
        // outside the customer's choice that avoids every over-full limit (what is lost when turned away).
        var contested: [(margin: Double, customer: Int, k: Int)] = []
        for i in 0..<p.customerCount {
            let k0 = p.offsets[i], k1 = p.offsets[i + 1]
            var alternative = -1.0
            for k in k0..<k1 where taken[k] {
                let a = Int(p.candidateActions[k])
                guard usesFull[a] else { room.take(a); count[i] += 1; continue }
                if alternative < 0 {
                    alternative = 0
                    for j in k0..<k1 where !taken[j] && !usesFull[Int(p.candidateActions[j])] {
                        alternative = max(alternative, p.candidateValues[j] - pi[Int(p.candidateActions[j])])
                    }
                }
                contested.append((p.candidateValues[k] - pi[a] - alternative, i, k))
            }
        }
        contested.sort { $0.margin != $1.margin ? $0.margin > $1.margin : ($0.customer, $0.k) < ($1.customer, $1.k) }
        for c in contested {
            let a = Int(p.candidateActions[c.k])
            if room.fits(a) { room.take(a); count[c.customer] += 1 } else { taken[c.k] = false }
        }
        // Top up: the candidates of customers with free slots that still fit, by expected net value.
        var pending: [(value: Double, customer: Int, action: Int32, k: Int)] = []
        for i in 0..<p.customerCount where count[i] < p.slots[i] {
            for k in p.offsets[i]..<p.offsets[i + 1] where !taken[k] && room.fits(Int(p.candidateActions[k])) {
                pending.append((p.candidateValues[k], i, p.candidateActions[k], k))
            }
        }
        if !full.isEmpty || !pending.isEmpty {
            pending.sort { $0.value != $1.value ? $0.value > $1.value : ($0.customer, $0.action) < ($1.customer, $1.action) }
            for c in pending where count[c.customer] < p.slots[c.customer] && room.fits(Int(c.action)) {
                taken[c.k] = true
                count[c.customer] += 1
                room.take(Int(c.action))
            }
        }
        return taken
    }
}
