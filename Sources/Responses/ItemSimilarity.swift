import Dispatch
import Foundation

/// Item-item cosine similarity from purchase baskets, kept as each item's top-K neighbours:
/// sim(i, j) = |buyers(i) ∩ buyers(j)| / sqrt(|buyers(i)| |buyers(j)|), the cosine of the binary
/// customer-item columns (Sarwar, Karypis, Konstan & Riedl 2001, "Item-based collaborative
/// filtering recommendation algorithms", section 3.1.1; Deshpande & Karypis 2004 keep the K most
/// similar items). Co-purchase counts are accumulated sparsely, item by item, over the customers
/// who bought it, each pair once: the work is Σ_customers |basket|²/2, not items².
public struct ItemNeighbours: Sendable, Equatable {
    /// Neighbours per item (the K of top-K).
    public var k: Int
    /// Flat, k per item, most similar first; -1 pads items with fewer than k co-purchased items.
    public var items: [Int32]
    public var similarities: [Double]
    /// Distinct buyers of each item.
    public var buyers: [Int]

    public var itemCount: Int { buyers.count }

    /// Top-`k` cosine neighbours of every item of `baskets` (each a sorted list of distinct item
    /// indices < `itemCount`), on `threads` threads. Ties in similarity go to the lower item index.
    public static func cosine(baskets: [[Int32]], itemCount: Int, k: Int, threads: Int = 2) -> ItemNeighbours {
        var buyers = [Int](repeating: 0, count: itemCount)
        for b in baskets { for i in b { buyers[Int(i)] += 1 } }
        // Baskets flattened (compressed rows), so the inner loop reads plain memory.
        var basketStart = [Int](repeating: 0, count: baskets.count + 1)
        for (c, b) in baskets.enumerated() { basketStart[c + 1] = basketStart[c] + b.count }
        var basketItems: [Int32] = []
        basketItems.reserveCapacity(basketStart[baskets.count])
        for b in baskets { basketItems.append(contentsOf: b) }
        // Customers of each item (compressed columns), each with where the item's later basket items start.
        var start = [Int](repeating: 0, count: itemCount + 1)
        for i in 0..<itemCount { start[i + 1] = start[i] + buyers[i] }
        var fill = start
        var customersOfItem = [Int32](repeating: 0, count: start[itemCount])
        var laterItems = [Int](repeating: 0, count: start[itemCount])
        for c in baskets.indices {
            for q in basketStart[c]..<basketStart[c + 1] {
                let i = Int(basketItems[q])
                customersOfItem[fill[i]] = Int32(c); laterItems[fill[i]] = q + 1; fill[i] += 1
            }
        }

        let workers = max(1, min(threads, itemCount))
        let lists = (0..<workers).map { _ in NeighbourLists(items: itemCount, k: k) }
        basketItems.withUnsafeBufferPointer { bi in
            basketStart.withUnsafeBufferPointer { bs in
                customersOfItem.withUnsafeBufferPointer { ci in
                    laterItems.withUnsafeBufferPointer { li in
                        buyers.withUnsafeBufferPointer { nb in
                            DispatchQueue.concurrentPerform(iterations: workers) { w in
                                countPairs(worker: w, workers: workers, itemCount: itemCount, itemStart: start, customersOfItem: ci,
                                           laterItems: li, basketStart: bs, basketItems: bi, buyers: nb, lists: lists[w])
                            }
                        }
                    }
                }
            }
        }
        var outItems = [Int32](repeating: -1, count: itemCount * k)
        var outSims = [Double](repeating: 0, count: itemCount * k)
        var best = TopK(k: k)
        for i in 0..<itemCount {
            best.reset()
            for list in lists { list.forEach(of: i) { best.offer(item: $0, score: $1) } }
            for (r, e) in best.sorted().enumerated() {
                outItems[i * k + r] = e.item
                outSims[i * k + r] = e.score
            }
        }
        for list in lists { list.deallocate() }
        return ItemNeighbours(k: k, items: outItems, similarities: outSims, buyers: buyers)
    }
}

extension ItemNeighbours {
    /// Co-purchase counts of the pairs (i, j > i) for items i = w, w + workers, ... (round-robin, so
    /// popular, expensive items spread over the workers): over the item's buyers, only the basket items
    /// after it (baskets are sorted), so each pair is counted once, which halves the work; each pair's
    /// similarity is offered to both items' lists. Counts go into a dense counter that is reset by a
    /// scan of the items after i (sequential reads, cheaper than a list append per co-purchase).
    static func countPairs(worker w: Int, workers: Int, itemCount: Int, itemStart: [Int],
                           customersOfItem: UnsafeBufferPointer<Int32>, laterItems: UnsafeBufferPointer<Int>,
                           basketStart: UnsafeBufferPointer<Int>, basketItems: UnsafeBufferPointer<Int32>,
                           buyers: UnsafeBufferPointer<Int>, lists: NeighbourLists) {
        let counts = UnsafeMutablePointer<Int32>.allocate(capacity: itemCount)
        counts.initialize(repeating: 0, count: itemCount)
        defer { counts.deallocate() }
        // 1/sqrt(buyers): sim(i, j) = count · (r_i · r_j), the same product for both items' lists.
        let r = (0..<itemCount).map { buyers[$0] > 0 ? 1 / Double(buyers[$0]).squareRoot() : 0 }
        for i in stride(from: w, to: itemCount, by: workers) {
            for p in itemStart[i]..<itemStart[i + 1] {
                let c = Int(customersOfItem[p])
                for q in laterItems[p]..<basketStart[c + 1] { counts[Int(basketItems[q])] &+= 1 }
            }
            let ri = r[i]
            for j in (i + 1)..<max(i + 1, itemCount) where counts[j] != 0 {
                let score = Double(counts[j]) * (ri * r[j])
                lists.offer(to: i, item: Int32(j), score: score)
                lists.offer(to: j, item: Int32(i), score: score)
                counts[j] = 0
            }
        }
    }
}

/// Every item's k best (score, item) pairs seen by one worker, in flat storage (k slots per item,
/// best first, ties to the lower item): what `TopK` keeps for one item, for all items at once.
final class NeighbourLists: @unchecked Sendable {
    let k: Int
    private let items: UnsafeMutablePointer<Int32>
    private let scores: UnsafeMutablePointer<Double>
    private let counts: UnsafeMutablePointer<Int>
    private let itemCount: Int

    init(items itemCount: Int, k: Int) {
        self.k = k; self.itemCount = itemCount
        items = .allocate(capacity: max(1, itemCount * k)); scores = .allocate(capacity: max(1, itemCount * k))
        counts = .allocate(capacity: max(1, itemCount)); counts.initialize(repeating: 0, count: itemCount)
    }

    func deallocate() { items.deallocate(); scores.deallocate(); counts.deallocate() }

    @inline(__always) func offer(to owner: Int, item: Int32, score: Double) {
        let base = owner * k
        var n = counts[owner]
        if n == k {
            guard TopK.before(score, item, scores[base + k - 1], items[base + k - 1]) else { return }
            n -= 1
        }
        var at = n
        while at > 0 && TopK.before(score, item, scores[base + at - 1], items[base + at - 1]) {
            items[base + at] = items[base + at - 1]; scores[base + at] = scores[base + at - 1]
            at -= 1
        }
        items[base + at] = item; scores[base + at] = score
        counts[owner] = n + 1
    }

    func forEach(of owner: Int, _ body: (Int32, Double) -> Void) {
        for e in 0..<counts[owner] { body(items[owner * k + e], scores[owner * k + e]) }
    }
}

/// The k best (score, item) pairs seen, higher score first, ties to the lower item: a small
/// insertion-sorted buffer (k is tens), so offering n candidates costs O(n) when most lose.
struct TopK {
    let k: Int
    private(set) var entries: [(item: Int32, score: Double)] = []

    init(k: Int) { self.k = k; entries.reserveCapacity(k + 1) }

    mutating func reset() { entries.removeAll(keepingCapacity: true) }

    /// True when (score, item) ranks before (s, i).
    @inline(__always) static func before(_ score: Double, _ item: Int32, _ s: Double, _ i: Int32) -> Bool {
        score > s || (score == s && item < i)
    }

    mutating func offer(item: Int32, score: Double) {
        if entries.count == k {
            let last = entries[k - 1]
            guard TopK.before(score, item, last.score, last.item) else { return }
            entries.removeLast()
        }
        var at = entries.count
        while at > 0 && TopK.before(score, item, entries[at - 1].score, entries[at - 1].item) { at -= 1 }
        entries.insert((item, score), at: at)
    }

    func sorted() -> [(item: Int32, score: Double)] { entries }
}
