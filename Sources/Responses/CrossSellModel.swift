import CustomerData
import Dispatch
import Foundation
import Models

/// A cross-sell recommender as stored on disk, in the one model-file format (`Models.ModelFileFormat`:
/// format version, kind, producer, training data, convergence, notes): the items, how many customers
/// bought each before the calibration end, and each item's top-K cosine neighbours (`ItemNeighbours`).
/// Item-level data only, never customer rows. Files of format version 1 (the former own header,
/// `training_data`) still read.
public struct CrossSellModel: Codable, Equatable, Sendable {
    public static let kind = ResponseModelKind.crossSell.rawValue
    /// The format version this build writes (shared by every model kind).
    public static var currentFormatVersion: Int { ModelFileFormat.currentVersion }

    // Header (the same fields as every model file).
    public var formatVersion: Int
    public var kind: ModelKind
    public var producer: String
    /// Customers with purchases through the calibration end (`customers`), lines of the log (`rows`),
    /// a fingerprint of the purchases learnt from, and the log's file name.
    public var training: ModelTraining
    /// Counting, not iterating: always converged (kept so every model file has the same header).
    public var convergence: Convergence
    public var notes: [String] = []

    // Payload.
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
    /// Purchase lines of the log (all days; returns, cancellations and blank customers left out).
    public var purchaseLines: Int

    enum CodingKeys: String, ModelFileCodingKey {
        case kind, producer, training, convergence, notes, method, items, buyers, neighbours
        case formatVersion = "format_version"
        case itemColumn = "item_column"
        case calibrationEnd = "calibration_end"
        case neighbourItems = "neighbour_items"
        case neighbourSimilarities = "neighbour_similarities"
        case purchaseLines = "purchase_lines"
        /// Format version 1 only.
        case trainingData = "training_data"
    }

    public init(method: String, itemColumn: String, calibrationEnd: String, items: [String], buyers: [Int], neighbours: Int,
                neighbourItems: [Int32], neighbourSimilarities: [Double], purchaseLines: Int, training: ModelTraining) {
        formatVersion = Self.currentFormatVersion
        kind = .crossSell
        producer = ModelFileFormat.producer
        self.training = training
        convergence = Self.counted
        self.method = method; self.itemColumn = itemColumn; self.calibrationEnd = calibrationEnd; self.items = items
        self.buyers = buyers; self.neighbours = neighbours; self.neighbourItems = neighbourItems
        self.neighbourSimilarities = neighbourSimilarities; self.purchaseLines = purchaseLines
    }

    static let counted = Convergence(converged: true, iterations: 0, evaluations: 0, gradientNorm: 0, newtonDecrement: 0,
                                     message: "counted in one pass (no iteration)")

    /// A fingerprint of the purchases the model learnt from (customer, item, day of every line kept).
    static func fingerprint(_ log: PurchaseLog) -> String {
        var hash = FNV1a()
        for l in log.customerOfLine.indices {
            hash.add(UInt64(UInt32(bitPattern: log.customerOfLine[l])) << 32 | UInt64(UInt32(bitPattern: log.itemOfLine[l])))
            hash.add(UInt64(UInt32(bitPattern: log.dayOfLine[l])))
        }
        for item in log.items { hash.add(bytes: item.utf8); hash.add(0) }
        return "fnv1a64:" + hash.hex
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
        return CrossSellModel(method: "item-item cosine, top-\(k) neighbours",
                              itemColumn: itemColumn, calibrationEnd: end.description, items: log.items, buyers: s.buyers,
                              neighbours: k, neighbourItems: s.items, neighbourSimilarities: s.similarities, purchaseLines: log.counts.used,
                              training: ModelTraining(customers: Double(customers), rows: log.counts.lines, fingerprint: fingerprint(log), source: file))
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

extension CrossSellModel {
    /// Decodes the current layout, or version 1: `kind` and `format_version` with the training data
    /// under `training_data` ({file, lines, purchase_lines, customers}), no producer, convergence,
    /// notes or fingerprint.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        kind = try c.decode(ModelKind.self, forKey: .kind)
        method = try c.decode(String.self, forKey: .method)
        itemColumn = try c.decode(String.self, forKey: .itemColumn)
        calibrationEnd = try c.decode(String.self, forKey: .calibrationEnd)
        items = try c.decode([String].self, forKey: .items)
        buyers = try c.decode([Int].self, forKey: .buyers)
        neighbours = try c.decode(Int.self, forKey: .neighbours)
        neighbourItems = try c.decode([Int32].self, forKey: .neighbourItems)
        neighbourSimilarities = try c.decode([Double].self, forKey: .neighbourSimilarities)
        let header: ModelFileHeaderFields
        if formatVersion >= 2 {
            header = try c.decodeModelHeader()
            purchaseLines = try c.decode(Int.self, forKey: .purchaseLines)
        } else {
            let v1 = try c.decode(TrainingDataV1.self, forKey: .trainingData)
            header = .versionOne(training: ModelTraining(customers: Double(v1.customers), rows: v1.lines, fingerprint: "", source: v1.file),
                                 convergence: Self.counted)
            purchaseLines = v1.purchase_lines
        }
        (producer, training, convergence, notes) = (header.producer, header.training, header.convergence, header.notes)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        // Always the current layout, so a model read from a version 1 file is written as version 2.
        try c.encodeModelHeader(kind: kind, producer: producer, training: training, convergence: convergence, notes: notes)
        try c.encode(method, forKey: .method)
        try c.encode(itemColumn, forKey: .itemColumn)
        try c.encode(calibrationEnd, forKey: .calibrationEnd)
        try c.encode(items, forKey: .items)
        try c.encode(buyers, forKey: .buyers)
        try c.encode(neighbours, forKey: .neighbours)
        try c.encode(neighbourItems, forKey: .neighbourItems)
        try c.encode(neighbourSimilarities, forKey: .neighbourSimilarities)
        try c.encode(purchaseLines, forKey: .purchaseLines)
    }

    /// `training_data` of format version 1.
    private struct TrainingDataV1: Decodable {
        var file: String?
        var lines: Int
        var purchase_lines: Int
        var customers: Int
    }
}
