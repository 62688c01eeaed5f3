import CustomerData
import Foundation
import Models
import Testing
@testable import Scoring

/// CLV, DERT and survival against lifetimes 0.11.3 and scipy quadrature on the published CDNOW
/// summary (Tests/ScoringTests/peers/clv_lifetimes.py, run in the lifetimes venv).
@Suite("CLV vs lifetimes 0.11.3 and numerical integration", .serialized)
struct LifetimeValuePeerTests {
    struct Fixture {
        var summary: CustomerSummary
        var bgnbd: BetaGeometricNBD, bgnbdFile: ModelFile
        var pareto: ParetoNBD, paretoFile: ModelFile
        var spend: GammaGamma, spendFile: ModelFile
        var peer: [String: Any]
        func column(_ key: String) -> [Double] { (peer[key] as! [NSNumber]).map(\.doubleValue) }
    }

    static let survivalCases: [[Double]] = [[0, 38.86, 4.345], [2, 38.86, 52], [10, 30, 260], [1, 20, 1000], [50, 39, 100]]
    static let dertCustomers = 400
    /// (x, T, δ per week) for the BG/NBD infinite-horizon values.
    static let residualCases: [[Double]] = [[0, 38.86, 0.0018], [10, 30, 0.01]]
    /// One week per step at 0.2% per step: δ = ln(1.002) per week.
    static let dertRatePerStep = 0.002

    static let fixture: Result<Fixture, Error> = Result {
        let summary = try TestData.cdnowSummary()
        let patterns = PurchasePatterns(summary: summary)
        let bg = try BetaGeometricNBD.fit(patterns), pareto = try ParetoNBD.fit(patterns)
        let gg = try GammaGamma.fit(frequency: summary.frequency, monetaryValue: summary.monetaryValue)
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let params: [String: Any] = ["bgnbd": bg.model.parameters, "pareto": pareto.model.parameters, "gg": gg.model.parameters,
                                     "months": 12, "rate": 0.01, "delta": log1p(dertRatePerStep),
                                     "dert_customers": dertCustomers, "survival_cases": survivalCases, "residual_cases": residualCases]
        try JSONSerialization.data(withJSONObject: params).write(to: dir.appendingPathComponent("params.json"))
        try TestData.runPeer("KLANT_PEER_PYTHON", script: "clv_lifetimes.py",
                             arguments: [TestData.dataset("cdnow_customers_summary_with_transactions.csv").path,
                                         dir.appendingPathComponent("params.json").path, dir.appendingPathComponent("out.json").path])
        let peer = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out.json"))) as! [String: Any]
        return Fixture(summary: summary, bgnbd: bg.model, bgnbdFile: bg.modelFile(timeUnit: .calendar(.week), source: nil, patterns: patterns.count),
                       pareto: pareto.model, paretoFile: pareto.modelFile(timeUnit: .calendar(.week), source: nil, patterns: patterns.count),
                       spend: gg.model, spendFile: gg.modelFile(source: nil), peer: peer)
    }

    /// lifetimes' `customer_lifetime_value(..., time=12, discount_rate=0.01, freq='W')`: 12 steps of
    /// 4.345 weeks, 1% per step, margin 1, no costs.
    func clv(_ purchase: any RepeatPurchaseModel, _ file: ModelFile, _ f: Fixture, step: String = "4.345 weeks") throws -> [Double] {
        let settings = try ValueSettings(horizon: ValueHorizon(parsing: "12", stepLength: step),
                                         discounting: Discounting(rate: 0.01, period: .step), intervalLevel: nil)
        let scoring = try NonContractualScoring(purchase: purchase, purchaseFile: file, spend: f.spend, spendFile: f.spendFile, settings: settings)
        let economics = try Economics(margin: .constant(1), count: f.summary.count)
        return try scoring.score(f.summary, economics: economics).numbers("clv")!
    }

    @Test("BG/NBD CLV equals lifetimes' customer_lifetime_value to 1e-9 relative with lifetimes' 4.345-week month")
    func bgnbdMatchesLifetimes() throws {
        let f = try Self.fixture.get()
        let ours = try clv(f.bgnbd, f.bgnbdFile, f), theirs = f.column("clv_bgnbd")
        let worst = zip(ours, theirs).map { TestData.relativeError($0, $1) }.max()!
        print("BG/NBD CLV vs lifetimes: max relative difference \(worst)")
        #expect(worst < 1e-9, "max relative difference \(worst)")
        // With the average month (365.25/12 days = 4.348 weeks) the values differ by the step length only.
        let average = try clv(f.bgnbd, f.bgnbdFile, f, step: "month")
        let total = average.reduce(0, +) / theirs.reduce(0, +) - 1
        print("BG/NBD CLV, average month vs lifetimes' 4.345-week month: total differs by \(total * 100)%")
        #expect(total > 0 && total < 1e-3)
    }

    @Test("Pareto/NBD CLV equals lifetimes' customer_lifetime_value to 1e-9 relative")
    func paretoMatchesLifetimes() throws {
        let f = try Self.fixture.get()
        let ours = try clv(f.pareto, f.paretoFile, f), theirs = f.column("clv_pareto")
        let worst = zip(ours, theirs).map { TestData.relativeError($0, $1) }.max()!
        print("Pareto/NBD CLV vs lifetimes: max relative difference \(worst)")
        #expect(worst < 1e-9, "max relative difference \(worst)")
    }

    @Test("Gamma-Gamma expected spend equals lifetimes' conditional_expected_average_profit to 1e-12")
    func spendMatchesLifetimes() throws {
        let f = try Self.fixture.get()
        for (i, theirs) in f.column("spend").enumerated() {
            let ours = try f.spend.conditionalExpectedAverageSpend(frequency: f.summary.frequency[i], monetaryValue: f.summary.monetaryValue[i])
            #expect(TestData.relativeError(ours, theirs) < 1e-12)
        }
    }

    @Test("Pareto/NBD closed-form DERT equals the numerically integrated discounted purchase rate to 1e-8")
    func paretoDERTMatchesQuadrature() throws {
        let f = try Self.fixture.get()
        let n = Self.dertCustomers
        let values = try PurchaseDiscounting.compute(model: f.pareto, frequency: Array(f.summary.frequency.prefix(n)),
                                                     recency: Array(f.summary.recency.prefix(n)), T: Array(f.summary.T.prefix(n)),
                                                     stepLength: 1, steps: nil, ratePerStep: Self.dertRatePerStep)
        let worst = zip(values.discountedPurchases, f.column("dert_pareto")).map { TestData.relativeError($0, $1) }.max()!
        print("Pareto/NBD DERT vs quadrature: max relative difference \(worst)")
        #expect(worst < 1e-8, "max relative difference \(worst)")
    }

    @Test("BG/NBD infinite-horizon purchases and time alive equal the nested integral over λ and p to 1e-9")
    func bgnbdResidualMatchesQuadrature() throws {
        let f = try Self.fixture.get()
        for (c, theirs) in zip(Self.residualCases, f.peer["residual_bgnbd"] as! [[NSNumber]]) {
            let ours = BetaGeometricResidualValue.aliveValues(r: f.bgnbd.r, alpha: f.bgnbd.alpha, a: f.bgnbd.a, bPosterior: f.bgnbd.b + c[0],
                                                              frequency: c[0], T: c[1], continuousRate: c[2], stepLength: 1)
            print("BG/NBD residual x \(c[0]) T \(c[1]) δ \(c[2]): ours \(ours.discounted), \(ours.periodsAlive); quad \(theirs[0]), \(theirs[1])")
            #expect(TestData.relativeError(ours.discounted, theirs[0].doubleValue) < 1e-9)
            #expect(TestData.relativeError(ours.periodsAlive, theirs[1].doubleValue) < 1e-9)
        }
    }

    @Test("BG/NBD survival of a live customer equals the Beta-mixture integral to 1e-10")
    func bgnbdSurvivalMatchesQuadrature() throws {
        let f = try Self.fixture.get()
        for (case_, theirs) in zip(Self.survivalCases, f.column("survival_bgnbd")) {
            let ours = f.bgnbd.survivalIfAlive(horizon: case_[2], frequency: case_[0], T: case_[1])
            #expect(TestData.relativeError(ours, theirs) < 1e-10, "x \(case_[0]) T \(case_[1]) t \(case_[2]): \(ours) vs \(theirs)")
        }
    }
}
