import CustomerData
import Foundation

/// How well recommendations from the purchases up to a cut-off day predict the new items each
/// customer bought afterwards, beside the popularity baseline (the k most bought items the
/// customer does not have). Customers count when they bought before the cut-off and bought at
/// least one item after it that they had not bought before.
public struct CrossSellEvaluation: Sendable {
    public struct Scores: Sendable, Equatable {
        /// Mean over customers of hits / k.
        public var precision: Double
        /// Mean over customers of hits / new items bought.
        public var recall: Double
        /// Share of customers with at least one hit.
        public var hitRate: Double
    }

    public var k: Int
    public var cutoff: CalendarDay
    public var customers: Int
    public var model: Scores
    public var popularity: Scores
    /// Purchases of items the model does not know (bought after its training, or never), counted.
    public var unknownItemPurchases: Int

    /// Evaluates `model` on `log` split at `cutoff` (default: the model's calibration end).
    public init(model crossSell: CrossSellModel, log: PurchaseLog, cutoff requested: CalendarDay? = nil, k: Int = 5, threads: Int = 2) throws {
        let model = crossSell
        guard k >= 1 else { throw ResponseError.invalidInput("--top must be at least 1, got \(k)") }
        let cut = try requested ?? CalendarDay(parsing: model.calibrationEnd, option: "calibration end")
        let index = model.itemIndices(of: log)
        var unknown = 0
        // History in model indices (unknown items cannot be scored); future new items by log item.
        let history = log.baskets(through: cut), future = log.baskets(after: cut)
        var evaluated: [Int] = [], baskets: [[Int32]] = [], newItems: [Set<Int32>] = []
        for c in log.customers.indices where !history[c].isEmpty {
            let owned = Set(history[c])
            let new = future[c].filter { !owned.contains($0) }
            guard !new.isEmpty else { continue }
            evaluated.append(c)
            var basket: [Int32] = []
            for i in history[c] { if let m = index[Int(i)] { basket.append(m) } else { unknown += 1 } }
            baskets.append(basket.sorted())
            newItems.append(Set(new.compactMap { index[Int($0)] }))
        }
        guard !evaluated.isEmpty else {
            throw ResponseError.invalidInput("no customer bought a new item after \(cut) who had bought before it: nothing to evaluate; choose an earlier cut-off (--as-of) or a log that runs past it")
        }
        let denominators = evaluated.indices.map { e -> Int in
            let c = evaluated[e], owned = Set(history[c])
            return future[c].filter { !owned.contains($0) }.count
        }
        let recommender = CrossSellRecommender(model: model)
        let recommended = recommender.recommend(baskets: baskets, top: k, threads: threads)
        let popular = CrossSellRecommender(similarity: ItemNeighbours(k: 1, items: [Int32](repeating: -1, count: model.items.count),
                                                                      similarities: [Double](repeating: 0, count: model.items.count),
                                                                      buyers: model.buyers))
        let baseline = popular.recommend(baskets: baskets, top: k, threads: threads)
        self.k = k; cutoff = cut; customers = evaluated.count; unknownItemPurchases = unknown
        self.model = Self.scores(recommended, newItems: newItems, denominators: denominators, k: k)
        popularity = Self.scores(baseline, newItems: newItems, denominators: denominators, k: k)
    }

    static func scores(_ lists: [[(item: Int32, score: Double)]], newItems: [Set<Int32>], denominators: [Int], k: Int) -> Scores {
        var p = 0.0, r = 0.0, h = 0.0
        for (e, list) in lists.enumerated() {
            let hits = Double(list.filter { newItems[e].contains($0.item) }.count)
            p += hits / Double(k); r += hits / Double(denominators[e]); h += hits > 0 ? 1 : 0
        }
        let n = Double(lists.count)
        return Scores(precision: p / n, recall: r / n, hitRate: h / n)
    }

    public var report: String {
        var lines = ["cross-sell evaluation: history through \(cutoff), new items bought afterwards; \(customers) customers with history and new purchases"]
        lines.append("              precision@\(k)   recall@\(k)   hit rate")
        lines.append(String(format: "model         %12.4f %10.4f %10.4f", model.precision, model.recall, model.hitRate))
        lines.append(String(format: "popularity    %12.4f %10.4f %10.4f", popularity.precision, popularity.recall, popularity.hitRate))
        lines.append(String(format: "model / popularity precision: %.2fx", model.precision / max(popularity.precision, 1e-300)))
        if unknownItemPurchases > 0 { lines.append("\(unknownItemPurchases) history items unknown to the model were left out of the baskets") }
        return lines.joined(separator: "\n")
    }

    /// Streams the table: ranking (model | popularity), k, precision, recall, hit_rate, customers.
    public func write(to path: String, format: TableFormat? = nil) throws {
        let out = try TableWriter(path: path, header: ["ranking", "k", "precision", "recall", "hit_rate", "customers"], format: format)
        for (name, s) in [("model", model), ("popularity", popularity)] {
            try out.append([.text(name), .integer(k), .number(s.precision), .number(s.recall), .number(s.hitRate), .integer(customers)])
        }
        try out.commit()
    }
}

/// Recommendations for the customers of a purchase log, as of a day: rows customer_id, rank, item, score.
public struct CrossSellRecommendations: Sendable {
    public var customers: [String]
    public var lists: [[(item: Int32, score: Double)]]
    public var items: [String]
    /// Customers with no purchase of an item the model knows (recommended by popularity only).
    public var coldCustomers: Int
    public var unknownItemPurchases: Int

    /// Recommends `top` unbought items to every customer of `log` with purchases up to `asOf`
    /// (default: the model's calibration end).
    public init(model: CrossSellModel, log: PurchaseLog, asOf: CalendarDay? = nil, top: Int, threads: Int = 2) throws {
        guard top >= 1 else { throw ResponseError.invalidInput("--top must be at least 1, got \(top)") }
        let day = try asOf ?? CalendarDay(parsing: model.calibrationEnd, option: "calibration end")
        let index = model.itemIndices(of: log)
        let history = log.baskets(through: day)
        var names: [String] = [], baskets: [[Int32]] = [], unknown = 0, cold = 0
        for c in log.customers.indices where !history[c].isEmpty {
            var basket: [Int32] = []
            for i in history[c] { if let m = index[Int(i)] { basket.append(m) } else { unknown += 1 } }
            if basket.isEmpty { cold += 1 }
            names.append(log.customers[c]); baskets.append(basket.sorted())
        }
        guard !names.isEmpty else { throw ResponseError.invalidInput("no customer has purchases on or before \(day): nothing to recommend from; give a later --as-of") }
        customers = names; items = model.items; coldCustomers = cold; unknownItemPurchases = unknown
        lists = CrossSellRecommender(model: model).recommend(baskets: baskets, top: top, threads: threads)
    }

    public static let header = ["customer_id", "rank", "item", "score"]

    /// Streams rows customer_id, rank, item, score (CSV or JSON lines; `-` = stdout), atomically.
    public func write(to path: String, format: TableFormat? = nil) throws {
        let out = try TableWriter(path: path, header: Self.header, format: format)
        for row in rows { try out.append(row) }
        try out.commit()
    }

    /// The rows under `header`, made one at a time (for any sink: a file, a database table).
    public var rows: some Sequence<[CSVCell]> {
        lists.indices.lazy.flatMap { c in
            lists[c].enumerated().map { r, e -> [CSVCell] in
                [.text(customers[c]), .integer(r + 1), .text(items[Int(e.item)]), .number(e.score)]
            }
        }
    }

    public var report: String {
        var s = "recommended for \(customers.count) customers"
        if coldCustomers > 0 { s += "; \(coldCustomers) customers bought only items unknown to the model (popular items recommended)" }
        if unknownItemPurchases > 0 { s += "; \(unknownItemPurchases) purchases of items unknown to the model ignored" }
        return s
    }
}
