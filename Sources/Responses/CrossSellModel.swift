import CustomerData
import Dispatch
import Foundation

/// A cross-sell recommender as stored on disk: the items, how many customers bought each before the
/// calibration end, and each item's top-K cosine neighbours (`ItemNeighbours`). Item-level data
/// only, never customer rows.
public struct CrossSellModel: Codable, Equatable, Sendable {
    public static let kind = ResponseModelKind.crossSell.rawValue
    public static let currentFormatVersion = 1

    public struct TrainingData: Codable, Equatable, Sendable {
        public var file: String?
        public var lines: Int
        public var purchaseLines: Int
        public var customers: Int

        enum CodingKeys: String, CodingKey {
            case file, lines, customers
            case purchaseLines = "purchase_lines"
        }
    }

    public var formatVersion: Int
    public var kind: String
    public var method: String
    /// The column the items came from (an item code, or a group column), as a reminder for scoring.
    public var itemColumn: String
    /// Last day (ISO) of the purchases the similarities were learnt from.
    public var calibrationEnd: String
    public var items: [String]
    public var buyers: [Int]
    public var neighbours: Int
    /// Flat, `neighbours` per item, most similar first, -1 padded.
    public var neighbourItems: [Int32]
    public var neighbourSimilarities: [Double]
    public var trainingData: TrainingData

    enum CodingKeys: String, CodingKey {
        case kind, method, items, buyers, neighbours
        case formatVersion = "format_version"
        case itemColumn = "item_column"
        case calibrationEnd = "calibration_end"
        case neighbourItems = "neighbour_items"
        case neighbourSimilarities = "neighbour_similarities"
        case trainingData = "training_data"
    }

    public var similarity: ItemNeighbours {
        ItemNeighbours(k: neighbours, items: neighbourItems, similarities: neighbourSimilarities, buyers: buyers)
    }

    /// Learns item-item similarities from the purchases up to `calibrationEnd` (inclusive; default
    /// the log's last day). `baskets`: the log's baskets through that day, when the caller has them
    /// already (e.g. to recommend from the same histories), so they are not built twice.
    public static func fit(_ log: PurchaseLog, calibrationEnd: CalendarDay? = nil, neighbours k: Int = 20,
                           itemColumn: String = "item", file: String? = nil, threads: Int = 2,
                           baskets given: [[Int32]]? = nil) throws -> CrossSellModel {
        guard k >= 1 else { throw ResponseError.invalidInput("--neighbours must be at least 1, got \(k)") }
        guard let end = calibrationEnd ?? log.lastDay else { throw ResponseError.invalidInput("the purchase log has no purchases") }
        precondition(given == nil || given!.count == log.customers.count, "CrossSellModel.fit: one basket per customer of the log")
        let baskets = given ?? log.baskets(through: end)
        let customers = baskets.filter { !$0.isEmpty }.count
        guard customers > 0 else {
            throw ResponseError.invalidInput("no purchases on or before the calibration end \(end); choose a later --calibration-end")
        }
        let s = ItemNeighbours.cosine(baskets: baskets, itemCount: log.items.count, k: k, threads: threads)
        return CrossSellModel(formatVersion: currentFormatVersion, kind: kind, method: "item-item cosine, top-\(k) neighbours",
                              itemColumn: itemColumn, calibrationEnd: end.description, items: log.items, buyers: s.buyers,
                              neighbours: k, neighbourItems: s.items, neighbourSimilarities: s.similarities,
                              trainingData: TrainingData(file: file, lines: log.counts.lines, purchaseLines: log.counts.used, customers: customers))
    }

    public func write(to url: URL) throws { try ResponseModelFile.write(self, to: url) }

    public static func load(from url: URL) throws -> CrossSellModel {
        let model = try ResponseModelFile.read(CrossSellModel.self, from: url, kind: .crossSell, currentVersion: currentFormatVersion)
        guard model.buyers.count == model.items.count, model.neighbourItems.count == model.items.count * model.neighbours,
              model.neighbourSimilarities.count == model.neighbourItems.count,
              model.neighbourItems.allSatisfy({ $0 >= -1 && Int($0) < model.items.count }) else {
            throw ResponseError.wrongModelFile(path: url.path, message: "is damaged: its neighbour lists do not fit its \(model.items.count) items")
        }
        return model
    }

    /// Items by popularity (buyers, then item index): the fallback when similarity gives too few candidates.
    public var popularityOrder: [Int32] {
        buyers.indices.sorted { buyers[$0] != buyers[$1] ? buyers[$0] > buyers[$1] : $0 < $1 }.map(Int32.init)
    }

    /// The model's item index of each of `log`'s items (nil: unknown to the model).
    public func itemIndices(of log: PurchaseLog) -> [Int32?] {
        let index = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1, Int32($0)) })
        return log.items.map { index[$0] }
    }
}

/// Top-n recommendations for many customers: per customer, unbought items by the summed
/// similarity to the items they bought (the neighbour lists), then by popularity to fill up.
public struct CrossSellRecommender: Sendable {
    public let similarity: ItemNeighbours
    public let popularity: [Int32]

    public init(model: CrossSellModel) { similarity = model.similarity; popularity = model.popularityOrder }
    public init(similarity: ItemNeighbours) {
        self.similarity = similarity
        let b = similarity.buyers
        popularity = b.indices.sorted { b[$0] != b[$1] ? b[$0] > b[$1] : $0 < $1 }.map(Int32.init)
    }

    /// Recommendations for each basket (model item indices): `top` (item, score) pairs, best first;
    /// popularity fill-ins have score 0. Runs on `threads` threads.
    public func recommend(baskets: [[Int32]], top: Int, threads: Int = 2) -> [[(item: Int32, score: Double)]] {
        var out = [[(item: Int32, score: Double)]](repeating: [], count: baskets.count)
        let workers = max(1, min(threads, baskets.count))
        out.withUnsafeMutableBufferPointer { o in
            let base = o.baseAddress!
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var scratch = Scratch(itemCount: similarity.itemCount, top: top)
                defer { scratch.deallocate() }
                let lo = baskets.count * w / workers, hi = baskets.count * (w + 1) / workers
                for c in lo..<hi { (base + c).initialize(to: recommend(baskets[c], top: top, scratch: &scratch)) }
            }
        }
        return out
    }

    /// Per-thread buffers: scores and owned flags over all items, reset through the touched list.
    struct Scratch {
        let score: UnsafeMutablePointer<Double>
        let owned: UnsafeMutablePointer<Bool>
        var touched: [Int32] = []
        var best: TopK
        init(itemCount: Int, top: Int) {
            score = .allocate(capacity: itemCount); score.initialize(repeating: 0, count: itemCount)
            owned = .allocate(capacity: itemCount); owned.initialize(repeating: false, count: itemCount)
            best = TopK(k: max(top, 1))
        }
        func deallocate() { score.deallocate(); owned.deallocate() }
    }

    func recommend(_ basket: [Int32], top: Int, scratch s: inout Scratch) -> [(item: Int32, score: Double)] {
        let k = similarity.k
        for i in basket { s.owned[Int(i)] = true }
        similarity.items.withUnsafeBufferPointer { ni in
            similarity.similarities.withUnsafeBufferPointer { ns in
                for i in basket {
                    let row = Int(i) * k
                    for r in 0..<k {
                        let j = Int(ni[row + r])
                        if j < 0 { break }
                        if s.score[j] == 0 { s.touched.append(Int32(j)) }
                        s.score[j] += ns[row + r]
                    }
                }
            }
        }
        s.best.reset()
        for j in s.touched {
            if !s.owned[Int(j)] { s.best.offer(item: j, score: s.score[Int(j)]) }
            s.score[Int(j)] = 0
        }
        s.touched.removeAll(keepingCapacity: true)
        var result = s.best.sorted()
        if result.count < top {
            // Popularity fill: mark the similarity picks as owned so they are not picked again.
            for e in result { s.owned[Int(e.item)] = true }
            for j in popularity where !s.owned[Int(j)] {
                result.append((j, 0))
                if result.count == top { break }
            }
            for e in result { s.owned[Int(e.item)] = false }
        }
        for i in basket { s.owned[Int(i)] = false }
        return result
    }
}
