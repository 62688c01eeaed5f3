import CustomerData
import Foundation
import Models
import Testing

/// Per-customer predictions: values from the models, revenue computed with them, joins by id,
/// and the guard against non-finite values.
@Suite("Customer predictions")
struct CustomerPredictionsTests {
    static func summary() throws -> CustomerSummary {
        let c = try TestData.csvColumns(TestData.dataset("cdnow_customers_summary_with_transactions.csv"))
        return CustomerSummary(customerIDs: c["ID"]!.map { String(Int($0)) }, frequency: c["x"]!, recency: c["t_x"]!, T: c["T"]!,
                               monetaryValue: c["zbar"]!)
    }

    @Test("values are the models' own, revenue is spend times purchases, and the paper's customer gets 1.226")
    func valuesAndRevenue() throws {
        let model = try BetaGeometricNBD(r: 0.2426, alpha: 4.4137, a: 0.7930, b: 2.4262)
        let spend = try GammaGamma(parameters: [6.25, 3.74, 15.44])
        let s = try Self.summary()
        let p = try CustomerPredictions.compute(model: model, summary: s, horizon: 39, spend: spend)
        #expect(p.header == ["customer_id", "probability_alive", "expected_purchases", "expected_average_spend", "expected_revenue"])
        // FHL (2005): x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in the next 39 weeks.
        #expect(p.customerIDs[0] == "1" && abs(p.expectedPurchases![0] - 1.226) < 5e-4)
        for i in [0, 1, 100, 2356] {
            #expect(p.probabilityAlive![i] == model.probabilityAlive(frequency: s.frequency[i], recency: s.recency[i], T: s.T[i]))
            let e = model.conditionalExpectedPurchases(horizon: 39, frequency: s.frequency[i], recency: s.recency[i], T: s.T[i])
            #expect(abs(p.expectedPurchases![i] - e) <= 1e-12 * e)
            // Fader, Hardie & Lee (2005, RFM and CLV) eq. 5: p(γ + x z̄)/(px + q − 1).
            let z = 6.25 * (15.44 + s.frequency[i] * s.monetaryValue[i]) / (6.25 * s.frequency[i] + 3.74 - 1)
            #expect(abs(p.expectedAverageSpend![i] - z) <= 1e-12 * z)
            #expect(p.expectedRevenue![i] == p.expectedAverageSpend![i] * p.expectedPurchases![i])
        }
        // Without a spend model there are no spend or revenue columns.
        let bare = try CustomerPredictions.compute(model: model, summary: s, horizon: 39)
        #expect(bare.header == ["customer_id", "probability_alive", "expected_purchases"] && bare.expectedRevenue == nil)
    }

    @Test("a spend model with q <= 1 is refused before anything is computed for the output")
    func infiniteMeanSpendIsRefused() throws {
        let model = try BetaGeometricNBD(r: 0.2426, alpha: 4.4137, a: 0.7930, b: 2.4262)
        #expect { try CustomerPredictions.compute(model: model, summary: try Self.summary(), horizon: 39, spend: try GammaGamma(parameters: [6.25, 0.9, 15.44])) } throws: {
            "\($0)".contains("q = 0.9 <= 1")
        }
    }

    @Test("a prediction that is not finite is an error naming the customer, not a NaN in the output")
    func nonFiniteGuard() throws {
        /// A model whose expectation is NaN for one customer.
        struct Broken: RepeatPurchaseModel {
            static let kind = ModelKind.bgnbd
            static let parameterNames = ["r"]
            var parameters: [Double]
            init(parameters: [Double]) throws { self.parameters = parameters }
            static func logLikelihood(_ theta: [Double], data: PurchasePatterns, gradient: inout [Double]) -> Double { 0 }
            static func startingValues(for data: PurchasePatterns) -> [Double] { [1] }
            func probabilityAlive(frequency x: Double, recency tx: Double, T: Double) -> Double { 1 }
            func conditionalExpectedPurchases(horizon t: Double, frequency x: Double, recency tx: Double, T: Double) -> Double {
                x == 7 ? .nan : t
            }
            func expectedPurchases(horizon t: Double) -> Double { t }
            func probabilityOfPurchases(_ k: Int, horizon t: Double) -> Double { 0 }
        }
        let s = CustomerSummary(customerIDs: ["a", "b", "c"], frequency: [1, 7, 0], recency: [1, 2, 0], T: [3, 3, 3])
        #expect { try CustomerPredictions.compute(model: try Broken(parameters: [1]), summary: s, horizon: 5) } throws: {
            "\($0)".contains("customer b (frequency 7.0, recency 2.0, T 3.0)") && "\($0)".contains("not a finite number")
        }
        let fine = CustomerSummary(customerIDs: ["a", "c"], frequency: [1, 0], recency: [1, 0], T: [3, 3])
        #expect(try CustomerPredictions.compute(model: try Broken(parameters: [1]), summary: fine, horizon: 5).expectedPurchases == [5, 5])
        #expect { try CustomerPredictions.compute(model: try Broken(parameters: [1]), summary: fine, horizon: .infinity) } throws: {
            "\($0)".contains("horizon must be a positive number")
        }
    }

    @Test("joining by customer id aligns rows, and different customers or a shared column are errors")
    func joinByCustomerID() throws {
        let purchases = CustomerPredictions(customerIDs: ["a", "b", "c"], horizon: 52, probabilityAlive: [0.9, 0.5, 0.1],
                                            expectedPurchases: [3, 2, 1])
        let churn = CustomerPredictions(idColumn: "customer_id", customerIDs: ["c", "a", "b"],
                                        probability: .init(name: "churn_probability", values: [0.8, 0.1, 0.4]))
        let joined = try purchases.joined(with: churn)
        #expect(joined.customerIDs == ["a", "b", "c"] && joined.probability?.values == [0.1, 0.4, 0.8])
        #expect(joined.header == ["customer_id", "probability_alive", "expected_purchases", "churn_probability"])
        #expect(joined.csv().text == "customer_id,probability_alive,expected_purchases,churn_probability\na,0.9,3.0,0.1\nb,0.5,2.0,0.4\nc,0.1,1.0,0.8\n",
                "\(joined.csv().text)")
        let fewer = CustomerPredictions(customerIDs: ["a", "x"], probability: .init(name: "churn_probability", values: [0.1, 0.2]))
        #expect { try purchases.joined(with: fewer) } throws: { "\($0)".contains("only in the first: b, c") && "\($0)".contains("only in the second: x") }
        #expect { try purchases.joined(with: purchases) } throws: { "\($0)".contains("both predictions have the column probability_alive") }
        let twice = CustomerPredictions(customerIDs: ["a", "a", "b"], probability: .init(name: "p", values: [0, 0, 0]))
        #expect { try purchases.joined(with: twice) } throws: { "\($0)".contains("customer a appears twice") }
    }

    @Test("the export streams CSV or JSON lines through TableWriter, with the same numbers")
    func exportFormats() throws {
        let p = CustomerPredictions(customerIDs: ["=1+1", "b"], horizon: 10, probabilityAlive: [0.25, 1], expectedPurchases: [0.1, 2],
                                    expectedAverageSpend: [10, 20], expectedRevenue: [1, 40])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("klant-pred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("p.csv").path, jsonl = dir.appendingPathComponent("p.txt").path
        try p.write(toPath: csv)
        try p.write(toPath: jsonl, format: .jsonl)
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == p.csv().text)
        #expect(p.csv().text.contains("'=1+1"))
        let objects = try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(objects.count == 2 && objects[0]["customer_id"] as? String == "=1+1")
        #expect(objects[1]["expected_revenue"] as? Double == 40 && objects[0]["probability_alive"] as? Double == 0.25)
    }
}
