extension LagrangianArbitration {
    /// Greedy in order of expected net value: each customer's candidates, best first, taken while
    /// they fit and the customer has slots left. Candidates are visited lazily through a max-heap
    /// keyed by each customer's next candidate; an action that no longer fits never fits again
    /// (room only shrinks), so its candidates are skipped, and the walk ends when no action fits.
    public static func greedyAssignment(_ p: AssignmentProblem) -> [Bool] {
        var room = LimitRoom(p)
        var taken = [Bool](repeating: false, count: p.candidateValues.count)
        // Each customer's candidates by value, descending (ties: lower action first).
        let order = CustomerChunks.map(p.customerCount) { range -> [Int] in
            var part = Array(p.offsets[range.lowerBound]..<p.offsets[range.upperBound])
            let base = p.offsets[range.lowerBound]
            for i in range where p.offsets[i + 1] - p.offsets[i] > 1 {
                // Insertion sort: a customer has a handful of candidates.
                for x in (p.offsets[i] + 1)..<p.offsets[i + 1] {
                    let k = part[x - base]
                    var y = x - 1
                    while y >= p.offsets[i] && above(p, k, part[y - base]) {
                        part[y + 1 - base] = part[y - base]
                        y -= 1
                    }
                    part[y + 1 - base] = k
                }
            }
            return part
        }.flatMap { $0 }
        var dead = [Bool](repeating: false, count: p.actionCount)
        var alive = p.actionCount
        var heap = MaxHeap()
        heap.items.reserveCapacity(p.customerCount)
        for i in 0..<p.customerCount where p.offsets[i + 1] > p.offsets[i] && p.slots[i] > 0 {
            heap.items.append(.init(value: p.candidateValues[order[p.offsets[i]]], customer: Int32(i), position: Int32(p.offsets[i])))
        }
        heap.heapify()
        var count = [UInt8](repeating: 0, count: p.customerCount)
        while alive > 0, let top = heap.pop() {
            let i = Int(top.customer), k = order[Int(top.position)], a = Int(p.candidateActions[k])
            if !dead[a] {
                if room.fits(a) {
                    taken[k] = true
                    room.take(a)
                    count[i] += 1
                } else {
                    dead[a] = true
                    alive -= 1
                }
            }
            guard count[i] < p.slots[i] else { continue }
            var next = Int(top.position) + 1
            while next < p.offsets[i + 1] && dead[Int(p.candidateActions[order[next]])] { next += 1 }
            if next < p.offsets[i + 1] {
                heap.push(.init(value: p.candidateValues[order[next]], customer: top.customer, position: Int32(next)))
            }
        }
        return taken
    }

    /// Candidate k before candidate j: higher value, then lower action.
    private static func above(_ p: AssignmentProblem, _ k: Int, _ j: Int) -> Bool {
        p.candidateValues[k] != p.candidateValues[j] ? p.candidateValues[k] > p.candidateValues[j] : p.candidateActions[k] < p.candidateActions[j]
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
