import CustomerData
import Foundation
import Responses

/// The pictures of a cross-sell model (item-item cosine neighbours): the most bought items, the most
/// similar item pairs among items with enough buyers, how similar each item's nearest neighbour is,
/// and, given `klant evaluate --out` tables, precision, recall and hit rate @k against popularity.
public enum CrossSellSection {
    /// How many items and pairs the charts list.
    public static let topCount = 20

    /// An item pair from the neighbour lists (cosine is symmetric: each pair once, `first` < `second`).
    public struct Pair: Sendable, Equatable {
        public var first: Int, second: Int
        public var similarity: Double
    }

    /// Items bought by at least this many customers count for the pair and neighbour charts: a pair of
    /// items one customer bought together has cosine 1 and says nothing. 1% of the customers, at least 10.
    public static func minimumBuyers(customers: Int) -> Int { max(10, customers / 100) }

    /// Item indices by buyers (most first; ties by index).
    public static func topItems(_ model: CrossSellModel, count: Int = topCount) -> [Int] {
        Array(model.popularityOrder.prefix(count).map(Int.init))
    }

    /// The most similar pairs of the neighbour lists among items with at least `minimumBuyers` buyers,
    /// most similar first (ties by item indices).
    public static func topPairs(_ model: CrossSellModel, minimumBuyers: Int, count: Int = topCount) -> [Pair] {
        var seen = Set<Int>(), pairs: [Pair] = []
        let n = model.items.count, k = model.neighbours
        for i in 0..<n where model.buyers[i] >= minimumBuyers {
            for r in 0..<k {
                let j = Int(model.neighbourItems[i * k + r])
                if j < 0 { break }
                guard model.buyers[j] >= minimumBuyers else { continue }
                let (a, b) = (min(i, j), max(i, j))
                if seen.insert(a * n + b).inserted { pairs.append(Pair(first: a, second: b, similarity: model.neighbourSimilarities[i * k + r])) }
            }
        }
        pairs.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : ($0.first, $0.second) < ($1.first, $1.second) }
        return Array(pairs.prefix(count))
    }

    /// Each item's most similar neighbour (items with at least `minimumBuyers` buyers and a neighbour),
    /// counted in tenths of similarity: [0, 0.1), ..., [0.9, 1].
    public static func nearestNeighbourCounts(_ model: CrossSellModel, minimumBuyers: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: 10)
        for i in model.items.indices where model.buyers[i] >= minimumBuyers && model.neighbourItems[i * model.neighbours] >= 0 {
            counts[min(9, max(0, Int(model.neighbourSimilarities[i * model.neighbours] * 10)))] += 1
        }
        return counts
    }

    /// One row of a `klant evaluate --out` table of a cross-sell model.
    public struct EvaluationRow: Sendable, Equatable {
        public var ranking: String
        public var k: Int
        public var precision: Double
        public var recall: Double
        public var hitRate: Double
        public var customers: Int
    }

    public static func readEvaluation(path: String) throws -> [EvaluationRow] {
        let table = try TableReader(path: path)
        func column(_ name: String) throws -> Int { try table.requiredColumn(name, purpose: "the cross-sell evaluation (klant evaluate --top K --out)") }
        let c = try ["ranking", "k", "precision", "recall", "hit_rate", "customers"].map(column)
        var rows: [EvaluationRow] = []
        try table.forEachRow { r in
            rows.append(EvaluationRow(ranking: r.text(c[0]), k: Int(try r.number(c[1])), precision: try r.number(c[2]), recall: try r.number(c[3]),
                                      hitRate: try r.number(c[4]), customers: Int(try r.number(c[5]))))
        }
        guard rows.contains(where: { $0.ranking == "model" }) else {
            throw ReportError.input("the cross-sell evaluation \(path) has no 'model' row; give the table klant evaluate --model <cross-sell model> --out wrote")
        }
        return rows
    }

    public static func make(model: CrossSellModel, name: String, evaluations: [URL]) throws -> ReportSection {
        let id = RepeatPurchaseSection.slug(name)
        var section = ReportSection(id: id, title: "\(name): cross-sell model")
        let customers = Int(model.training.customers)
        section.intro.append("\(model.method.prefix(1).uppercased() + model.method.dropFirst()), learnt from the purchases through \(model.calibrationEnd) of \(NumberFormat.integer(customers)) customers\(model.training.source.map { " in \($0)" } ?? "") (items: column \(model.itemColumn)).")
        let withNeighbour = model.items.indices.filter { model.neighbourItems[$0 * model.neighbours] >= 0 }.count
        section.blocks.append(.metrics([
            Metric("items", .number(Double(model.items.count), .integer)),
            Metric("customers", .number(Double(customers), .integer)),
            Metric("neighbours per item", .number(Double(model.neighbours), .integer)),
            Metric("items with a co-purchased item", .number(Double(withNeighbour), .integer)),
        ]))
        let top = topItems(model)
        section.blocks.append(.figure(Figure(
            id: "\(id)-top-items", title: "Most bought items",
            caption: "Customers who bought each item up to \(model.calibrationEnd), the \(top.count) most bought: what the popularity ranking (the baseline) recommends first.",
            chart: BarChart(categories: top.map { model.items[$0] }, series: [.init(name: "customers", values: top.map { Double(model.buyers[$0]) })],
                            categoryLabel: "item", valueLabel: "customers", horizontal: true, valueStyle: .integer))))
        let minimum = minimumBuyers(customers: customers)
        let pairs = topPairs(model, minimumBuyers: minimum)
        if pairs.isEmpty {
            section.blocks.append(.note("No pair of items bought by at least \(minimum) customers each was bought together: no pair chart."))
        } else {
            var t = DataTable(columns: ["item", "similar item", "cosine similarity", "buyers of item", "buyers of similar item"])
            for p in pairs {
                t.append([.text(model.items[p.first]), .text(model.items[p.second]), .number(p.similarity, .decimals(3)),
                          .number(Double(model.buyers[p.first]), .integer), .number(Double(model.buyers[p.second]), .integer)])
            }
            section.blocks.append(.table(id: "\(id)-top-pairs", title: "Most similar item pairs (items with at least \(minimum) buyers)", t))
            section.blocks.append(.figure(Figure(
                id: "\(id)-pair-similarity", title: "Most similar item pairs",
                caption: "Cosine similarity of the \(pairs.count) most similar pairs among items bought by at least \(minimum) customers (1% of the customers, at least 10): the share of their buyers they have in common, |A ∩ B| / √(|A| |B|).",
                chart: BarChart(categories: pairs.map { "\(model.items[$0.first]) + \(model.items[$0.second])" },
                                series: [.init(name: "cosine similarity", values: pairs.map(\.similarity))],
                                categoryLabel: "item pair", valueLabel: "cosine similarity", horizontal: true, valueStyle: .decimals(3)))))
            let counts = nearestNeighbourCounts(model, minimumBuyers: minimum)
            section.blocks.append(.figure(Figure(
                id: "\(id)-nearest-neighbour", title: "Similarity of each item's nearest neighbour",
                caption: "Items bought by at least \(minimum) customers, by the cosine similarity of their most similar item, in tenths. Items far to the left have no strong companion: their recommendations lean on the rest of the basket.",
                chart: BarChart(categories: (0..<10).map { "\(NumberFormat.fixed(Double($0) / 10, decimals: 1))–\(NumberFormat.fixed(Double($0 + 1) / 10, decimals: 1))" },
                                series: [.init(name: "items", values: counts.map(Double.init))],
                                categoryLabel: "similarity of the nearest neighbour", valueLabel: "items", valueStyle: .integer))))
        }
        let rows = try evaluations.flatMap { try readEvaluation(path: $0.path) }.sorted { ($0.k, $0.ranking) < ($1.k, $1.ranking) }
        if !rows.isEmpty { section.blocks += evaluationBlocks(rows, id: id) }
        else { section.blocks.append(.note("Give klant evaluate's table for this model (--cross-sell-evaluation FILE, from klant evaluate --model … --top K --out FILE) to see precision, recall and hit rate against popularity.")) }
        return section
    }

    static func evaluationBlocks(_ rows: [EvaluationRow], id: String) -> [ReportBlock] {
        var t = DataTable(columns: ["ranking", "k", "precision@k", "recall@k", "hit rate@k", "customers"])
        for r in rows {
            t.append([.text(r.ranking), .number(Double(r.k), .integer), .number(r.precision, .percent(2)), .number(r.recall, .percent(2)),
                      .number(r.hitRate, .percent(2)), .number(Double(r.customers), .integer)])
        }
        var blocks: [ReportBlock] = [.table(id: "\(id)-evaluation", title: "Recommendations vs what customers bought next", t)]
        let ks = Array(Set(rows.map(\.k))).sorted()
        let rankings = ["model", "popularity"].filter { r in rows.contains { $0.ranking == r } }
        let caption = "Customers who bought before the cut-off and bought new items after it: precision = share of the k recommendations they bought, recall = share of their new items among the recommendations, hit rate = share of customers with at least one recommended item bought."
        if ks.count == 1 {
            let k = ks[0]
            blocks.append(.figure(Figure(
                id: "\(id)-metrics-at-k", title: "Precision, recall and hit rate @\(k): model vs popularity",
                caption: caption,
                chart: BarChart(categories: ["precision@\(k)", "recall@\(k)", "hit rate@\(k)"],
                                series: rankings.map { name in
                                    let r = rows.first { $0.ranking == name }!
                                    return .init(name: name, values: [r.precision, r.recall, r.hitRate])
                                },
                                categoryLabel: "measure", valueLabel: "share", valueStyle: .percent(1), valuePercent: true))))
        } else {
            blocks.append(.figure(Figure(
                id: "\(id)-hit-rate", title: "Hit rate by number of recommendations k: model vs popularity",
                caption: caption,
                chart: LineChart(series: rankings.map { name in
                                     let r = rows.filter { $0.ranking == name }
                                     return .init(name: name, x: r.map { Double($0.k) }, y: r.map(\.hitRate))
                                 },
                                 xLabel: "recommendations per customer (k)", yLabel: "hit rate", yPercent: true))))
        }
        return blocks
    }
}
