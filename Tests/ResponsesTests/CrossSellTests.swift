import Foundation
import Testing
import CustomerData
import Models
@testable import Responses

let retailURL = packageRoot.appendingPathComponent("datasets/online_retail.csv.gz")
let retailColumns = PurchaseLogColumns(customer: "CustomerID", item: "StockCode", date: "InvoiceDate", quantity: "Quantity", invoice: "InvoiceNo")

/// Cross-sell on UCI Online Retail: the split before 2011-09-01 against implicit 0.7.3's item-item
/// cosine recommender and the popularity baseline.
@Suite struct CrossSellRetailTests {
    @Test func retailSplitMatchesImplicitAndBeatsPopularity() throws {
        let log = try PurchaseLog(contentsOf: retailURL, columns: retailColumns)
        // The shipped file's documented counts: 541,909 lines, 135,080 without a customer id.
        #expect(log.counts.lines == 541_909 && log.counts.blankCustomer == 135_080)
        let cutoff = try CalendarDay(parsing: "2011-08-31")
        let model = try CrossSellModel.fit(log, calibrationEnd: cutoff, neighbours: 20, itemColumn: "StockCode")
        let evaluation = try CrossSellEvaluation(model: model, log: log, k: 5)
        #expect(evaluation.customers == 1891)
        // Popularity: about 0.054 (the data set's README); the recommender at least 1.8x that.
        #expect(abs(evaluation.popularity.precision - 0.054) < 0.002)
        #expect(evaluation.model.precision >= 1.8 * evaluation.popularity.precision)
        #expect(evaluation.model.precision >= 1.8 * 0.054)

        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let modelURL = dir.appendingPathComponent("cross-sell.json")
        try model.write(to: modelURL)
        struct Peer: Decodable {
            var max_similarity_difference: Double; var items_differing: Int; var items_compared: Int
            var customers: Int; var precision: Double; var recall: Double; var hit_rate: Double
        }
        let peer = try JSONDecoder().decode(Peer.self, from: runUpliftPeer("crosssell_retail_peer.py", [retailURL.path, "2011-08-31", modelURL.path]))
        // The same cosine neighbour lists (values as sorted multisets: ties may order differently).
        #expect(peer.items_compared > 3000 && peer.items_differing == 0)
        #expect(peer.max_similarity_difference < 1e-9)
        #expect(peer.customers == evaluation.customers)
        // Recommendations differ only where ties or fill-ins (popularity here, arbitrary there) decide.
        #expect(abs(evaluation.model.precision - peer.precision) < 0.005)
        #expect(abs(evaluation.model.recall - peer.recall) < 0.002)
        #expect(abs(evaluation.model.hitRate - peer.hit_rate) < 0.01)
    }
}

/// Cross-sell on small logs computed by hand, and every bad input.
@Suite struct CrossSellTests {
    // Customers: a buys x, y; b buys x, y, z; c buys y, z, w; d buys x, w.
    let csv = """
        InvoiceNo,StockCode,Quantity,InvoiceDate,CustomerID
        1,x,1,2011-01-01 10:00,a
        1,y,2,2011-01-01 10:00,a
        2,x,1,2011-01-02 09:00,b
        2,y,1,2011-01-02 09:00,b
        2,z,1,2011-01-02 09:00,b
        3,y,1,2011-01-03 09:00,c
        3,z,1,2011-01-03 09:00,c
        3,w,1,2011-01-03 09:00,c
        4,x,1,2011-01-04 09:00,d
        4,w,1,2011-01-04 09:00,d
        C5,z,-1,2011-01-04 09:00,a
        6,w,-2,2011-01-04 09:00,a
        7,q,1,2011-01-04 09:00,
        8,z,1,2011-02-01 09:00,a
        """

    func log() throws -> PurchaseLog { try PurchaseLog(table: table(csv), columns: retailColumns) }

    @Test func cancellationsReturnsAndBlankCustomersAreNotPurchases() throws {
        let log = try log()
        #expect(log.counts == { var c = PurchaseLog.Counts(); c.lines = 14; c.cancelled = 1; c.returns = 1; c.blankCustomer = 1; c.used = 11; return c }())
        #expect(!log.items.contains("q"))
    }

    @Test func cosineSimilaritiesByHand() throws {
        let log = try log()
        let model = try CrossSellModel.fit(log, calibrationEnd: try CalendarDay(parsing: "2011-01-31"), neighbours: 3)
        let i = { (name: String) in model.items.firstIndex(of: name)! }
        func neighbours(_ name: String) -> [String: Double] {
            var out: [String: Double] = [:]
            for r in 0..<3 where model.neighbourItems[i(name) * 3 + r] >= 0 {
                out[model.items[Int(model.neighbourItems[i(name) * 3 + r])]] = model.neighbourSimilarities[i(name) * 3 + r]
            }
            return out
        }
        // x: {a, b, d}, y: {a, b, c}, z: {b, c}, w: {c, d}.
        let x = neighbours("x")
        #expect(abs(x["y"]! - 2 / 3) < 1e-15 && abs(x["z"]! - 1 / 6.0.squareRoot()) < 1e-15 && abs(x["w"]! - 1 / 6.0.squareRoot()) < 1e-15)
        #expect(abs(neighbours("z")["y"]! - 2 / 6.0.squareRoot()) < 1e-15)
        #expect(model.buyers[i("x")] == 3 && model.buyers[i("w")] == 2)
        // Most similar first.
        #expect(model.items[Int(model.neighbourItems[i("x") * 3])] == "y")
    }

    @Test func recommendationsSkipOwnedItemsAndFillUpByPopularity() throws {
        let log = try log()
        let model = try CrossSellModel.fit(log, calibrationEnd: try CalendarDay(parsing: "2011-01-31"), neighbours: 1)
        let recs = try CrossSellRecommendations(model: model, log: log, top: 2)
        let a = recs.lists[recs.customers.firstIndex(of: "a")!].map { (model.items[Int($0.item)], $0.score) }
        // a owns x, y; one neighbour each: x -> y (owned), y -> z (2/√6). The second place is filled
        // by popularity (w, 2 buyers) with score 0.
        #expect(a.map(\.0) == ["z", "w"])
        #expect(abs(a[0].1 - 2 / 6.0.squareRoot()) < 1e-15 && a[1].1 == 0)
        let d = recs.lists[recs.customers.firstIndex(of: "d")!].map { model.items[Int($0.item)] }
        #expect(!d.contains("x") && !d.contains("w") && d.count == 2)
    }

    @Test func evaluationCountsHitsOfNewItemsAfterTheCutoff() throws {
        let log = try log()
        let model = try CrossSellModel.fit(log, calibrationEnd: try CalendarDay(parsing: "2011-01-31"), neighbours: 3)
        let e = try CrossSellEvaluation(model: model, log: log, k: 1)
        // Only a buys later (z, new to a): a's top item by similarity to x, y is z (sum 1/√6 + 2/√6 > w's).
        #expect(e.customers == 1)
        #expect(e.model == CrossSellEvaluation.Scores(precision: 1, recall: 1, hitRate: 1))
    }

    @Test func modelFileHoldsItemsOnlyAndRoundTrips() throws {
        let model = try CrossSellModel.fit(try log(), calibrationEnd: try CalendarDay(parsing: "2011-01-31"), neighbours: 2)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("cs.json")
        try model.write(to: url)
        #expect(try CrossSellModel.load(from: url) == model)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(!text.contains("\"a\"") && !text.contains("\"d\""))   // no customer ids
        // The one model-file header: format version, kind, producer, training, convergence, notes.
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect(json["format_version"] as? Int == 2 && json["kind"] as? String == "cross-sell")
        #expect((json["producer"] as? String)?.hasPrefix("klant ") == true && json["notes"] is [Any] && json["training_data"] == nil)
        let training = try #require(json["training"] as? [String: Any])
        #expect(training["customers"] as? Double == 4 && training["rows"] as? Int == 14)
        #expect((training["fingerprint"] as? String)?.hasPrefix("fnv1a64:") == true)
        #expect((json["convergence"] as? [String: Any])?["converged"] as? Bool == true && json["purchase_lines"] as? Int == 11)
        #expect(try ModelFileFormat.header(of: Data(contentsOf: url), source: url.path).kind == .crossSell)
        // Another log gives another fingerprint.
        var other = try log()
        other.dayOfLine[0] += 1
        #expect(try CrossSellModel.fit(other, calibrationEnd: try CalendarDay(parsing: "2011-01-31"), neighbours: 2).training.fingerprint
                != model.training.fingerprint)
    }

    @Test func aFileOfFormatVersion1LoadsAndRecommendsLikeItsRefit() throws {
        // fixtures/cross-sell-v1.json: this suite's log, fitted (through 2011-01-31, 3 neighbours) before the shared header.
        let old = try CrossSellModel.load(from: packageRoot.appendingPathComponent("Tests/ResponsesTests/fixtures/cross-sell-v1.json"))
        #expect(old.formatVersion == 1 && old.kind == .crossSell && old.purchaseLines == 11)
        #expect(old.training.customers == 4 && old.training.rows == 14 && old.training.source == "cs-small.csv")
        let refit = try CrossSellModel.fit(try log(), calibrationEnd: try CalendarDay(parsing: "2011-01-31"), neighbours: 3)
        #expect(old.items == refit.items && old.buyers == refit.buyers && old.neighbourItems == refit.neighbourItems)
        #expect(zip(old.neighbourSimilarities, refit.neighbourSimilarities).allSatisfy { abs($0 - $1) < 1e-15 })
        var reread = try JSONDecoder().decode(CrossSellModel.self, from: ModelFileFormat.encoder().encode(old))
        #expect(reread.formatVersion == 2)
        reread.formatVersion = 1
        #expect(reread == old)
    }

    @Test func unknownItemsAndCustomersAtPredictionTimeAreCountedNotFatal() throws {
        let model = try CrossSellModel.fit(try log(), calibrationEnd: try CalendarDay(parsing: "2011-01-31"), neighbours: 2)
        let later = try PurchaseLog(table: table("CustomerID,StockCode,InvoiceDate\nnew,x,2011-03-01\nnew,unseen,2011-03-01\nother,unseen,2011-03-02\n"),
                                    columns: PurchaseLogColumns(customer: "CustomerID", item: "StockCode", date: "InvoiceDate"))
        let recs = try CrossSellRecommendations(model: model, log: later, asOf: try CalendarDay(parsing: "2011-03-31"), top: 2)
        #expect(recs.customers == ["new", "other"])
        #expect(recs.unknownItemPurchases == 2 && recs.coldCustomers == 1)
        #expect(recs.lists.allSatisfy { $0.count == 2 })
    }

    @Test func badInputNamesTheLineAndColumn() throws {
        let cases = [("CustomerID,StockCode,InvoiceDate\na,x,2011-13-45\n", "line 2, column 'InvoiceDate'"),
                     ("CustomerID,StockCode,InvoiceDate,Quantity\na,x,2011-01-01,lots\n", "column 'Quantity'"),
                     ("CustomerID,StockCode,InvoiceDate\na,,2011-01-01\n", "blank item"),
                     ("CustomerID,Item,InvoiceDate\na,x,2011-01-01\n", "no column 'StockCode'")]
        for (text, message) in cases {
            let error = #expect(throws: ResponseError.self) {
                try PurchaseLog(table: table(text), columns: PurchaseLogColumns(customer: "CustomerID", item: "StockCode", date: "InvoiceDate",
                                                                                quantity: text.contains("Quantity") ? "Quantity" : nil))
            }
            #expect(error?.description.contains(message) == true, "\(String(describing: error))")
        }
        let error = #expect(throws: ResponseError.self) {
            try CrossSellModel.fit(try log(), calibrationEnd: try CalendarDay(parsing: "2010-01-01"))
        }
        #expect(error?.description.contains("no purchases on or before") == true)
        #expect(throws: ResponseError.self) { try CrossSellModel.fit(try log(), neighbours: 0) }
    }
}

/// The pair-counting kernel against the definition, on random baskets with many ties.
@Suite struct ItemNeighboursConsistencyTests {
    struct Neighbour { var item: Int; var score: Double }

    @Test(arguments: [1, 2, 3])
    func neighbourListsEqualTheDefinitionOnAnyThreadCount(threads: Int) {
        var state: UInt64 = 20_240_601
        func next() -> Int { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Int(state >> 33) }
        let itemCount = 40, k = 6
        var baskets: [[Int32]] = []
        for _ in 0..<300 {
            var basket = Set<Int32>()
            for _ in 0..<(next() % 9) { basket.insert(Int32(next() % itemCount)) }
            baskets.append(basket.sorted())
        }
        let fast = ItemNeighbours.cosine(baskets: baskets, itemCount: itemCount, k: k, threads: threads)
        // By definition: |buyers(i) ∩ buyers(j)| / sqrt(|buyers(i)| |buyers(j)|), best k by (score desc, item asc).
        var together = [[Int]](repeating: [Int](repeating: 0, count: itemCount), count: itemCount)
        var buyers = [Int](repeating: 0, count: itemCount)
        for b in baskets {
            for i in b {
                buyers[Int(i)] += 1
                for j in b where j != i { together[Int(i)][Int(j)] += 1 }
            }
        }
        for i in 0..<itemCount {
            var expected: [Neighbour] = []
            for j in 0..<itemCount where together[i][j] > 0 {
                expected.append(Neighbour(item: j, score: Double(together[i][j]) / (Double(buyers[i]) * Double(buyers[j])).squareRoot()))
            }
            expected.sort { abs($0.score - $1.score) > 1e-12 ? $0.score > $1.score : $0.item < $1.item }
            expected = Array(expected.prefix(k))
            var got: [Neighbour] = []
            for r in 0..<k where fast.items[i * k + r] >= 0 {
                got.append(Neighbour(item: Int(fast.items[i * k + r]), score: fast.similarities[i * k + r]))
            }
            #expect(got.map { $0.item } == expected.map { $0.item }, "item \(i)")
            #expect(got.count == expected.count && zip(got, expected).allSatisfy { abs($0.score - $1.score) < 1e-12 }, "item \(i)")
        }
        #expect(fast.buyers == buyers)
    }
}
