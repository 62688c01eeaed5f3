import Dispatch
import Foundation

/// Item-item cosine similarity from purchase baskets, kept as each item's top-K neighbours:
/// sim(i, j) = |buyers(i) ∩ buyers(j)| / sqrt(|buyers(i)| |buyers(j)|), the cosine of the binary
/// customer-item columns (Sarwar, Karypis, Konstan & Riedl 2001, "Item-based collaborative
/// filtering recommendation algorithms", section 3.1.1; Deshpande & Karypis 2004 keep the K most
/// similar items). Co-purchase counts are accumulated sparsely, item by item, over the customers
/// who bought it: the work is Σ_customers |basket|², not items².
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
        // Customers of each item (compressed columns).
        var start = [Int](repeating: 0, count: itemCount + 1)
        for i in 0..<itemCount { start[i + 1] = start[i] + buyers[i] }
        var fill = start
        var customersOfItem = [Int32](repeating: 0, count: start[itemCount])
        for (c, b) in baskets.enumerated() { for i in b { customersOfItem[fill[Int(i)]] = Int32(c); fill[Int(i)] += 1 } }

        // Baskets flattened (compressed rows), so the inner loop reads plain memory.
        var basketStart = [Int](repeating: 0, count: baskets.count + 1)
        for (c, b) in baskets.enumerated() { basketStart[c + 1] = basketStart[c] + b.count }
        var basketItems: [Int32] = []
        basketItems.reserveCapacity(basketStart[baskets.count])
        for b in baskets { basketItems.append(contentsOf: b) }

        var outItems = [Int32](repeating: -1, count: itemCount * k)
        var outSims = [Double](repeating: 0, count: itemCount * k)
        let workers = max(1, min(threads, itemCount))
        outItems.withUnsafeMutableBufferPointer { oi in
            outSims.withUnsafeMutableBufferPointer { os in
                basketItems.withUnsafeBufferPointer { bi in
                    basketStart.withUnsafeBufferPointer { bs in
                        customersOfItem.withUnsafeBufferPointer { ci in
                            buyers.withUnsafeBufferPointer { nb in
                                let oiBase = oi.baseAddress!, osBase = os.baseAddress!
                                DispatchQueue.concurrentPerform(iterations: workers) { w in
                                    neighboursOfItems(worker: w, workers: workers, itemCount: itemCount, k: k, itemStart: start,
                                                      customersOfItem: ci, basketStart: bs, basketItems: bi, buyers: nb,
                                                      outItems: oiBase, outSimilarities: osBase)
                                }
                            }
                        }
                    }
                }
            }
        }
        return ItemNeighbours(k: k, items: outItems, similarities: outSims, buyers: buyers)
    }
}

extension ItemNeighbours {
    /// The top-k neighbours of items w, w + workers, ... (round-robin, so popular, expensive items
    /// spread over the workers): co-purchase counts over the item's buyers' baskets into a dense
    /// counter, reset through the list of touched items.
    static func neighboursOfItems(worker w: Int, workers: Int, itemCount: Int, k: Int, itemStart: [Int],
                                  customersOfItem: UnsafeBufferPointer<Int32>, basketStart: UnsafeBufferPointer<Int>,
                                  basketItems: UnsafeBufferPointer<Int32>, buyers: UnsafeBufferPointer<Int>,
                                  outItems: UnsafeMutablePointer<Int32>, outSimilarities: UnsafeMutablePointer<Double>) {
        let counts = UnsafeMutablePointer<Int32>.allocate(capacity: itemCount)
        counts.initialize(repeating: 0, count: itemCount)
        defer { counts.deallocate() }
        // 1/sqrt(buyers): sim(i, j) = count · r_i · r_j.
        let r = (0..<itemCount).map { buyers[$0] > 0 ? 1 / Double(buyers[$0]).squareRoot() : 0 }
        var best = TopK(k: k)
        for i in stride(from: w, to: itemCount, by: workers) {
            // The hot loop only counts; the dense scan below finds the touched items (items² reads
            // in all, sequential, cheaper than a branch and a list append per co-purchase).
            for p in itemStart[i]..<itemStart[i + 1] {
                let c = Int(customersOfItem[p])
                for q in basketStart[c]..<basketStart[c + 1] { counts[Int(basketItems[q])] &+= 1 }
            }
            best.reset()
            counts[i] = 0
            let ri = r[i]
            for j in 0..<itemCount where counts[j] != 0 {
                best.offer(item: Int32(j), score: Double(counts[j]) * ri * r[j])
                counts[j] = 0
            }
            for (r, e) in best.sorted().enumerated() {
                outItems[i * k + r] = e.item
                outSimilarities[i * k + r] = e.score
            }
        }
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
