import CustomerData
import Foundation
import GRDB
import Models
import Testing
@testable import Rescore
@testable import Store

/// The refit policy's drift rule: the holdout check recorded per run, the refit it triggers past
/// the limit, and a failing refit that keeps the previous models.
@Suite(.serialized) struct RefitPolicyTests {
    func check(_ f: NightlyFixture, _ asOf: String) throws -> Row? {
        try KlantStore(path: f.storeURL.path).queue.read { try Row.fetchOne($0, sql: "SELECT * FROM holdout_check WHERE as_of = ?", arguments: [asOf]) }
    }

    @Test func theHoldoutCheckComparesPredictedWithActualRepeatPurchasesSinceTheFit() throws {
        let f = try NightlyFixture(maxAgeDays: nil, refit: ["max_drift: 1000", "min_holdout_days: 1"])
        defer { f.remove() }
        let fit = try f.run("1998-06-24").summary
        #expect(fit.models.refit == "refitted")
        #expect(try check(f, "1998-06-24") == nil)
        let outcome = try f.run("1998-06-30")
        #expect(outcome.summary.models.refit == "none")
        #expect(outcome.summary.models.fittedAsOf == "1998-06-24")
        #expect(outcome.summary.models.reason.contains("holdout repeat purchases since the fit of 1998-06-24 (6 days"), "\(outcome.summary.models.reason)")
        let row = try #require(try check(f, "1998-06-30"))
        let store = try KlantStore(path: f.storeURL.path)
        let base = try store.queue.read { try Row.fetchAll($0, sql: "SELECT customer_id, frequency, recency, t FROM holdout_base WHERE fitted_as_of = '1998-06-24'") }
        // Every customer of the fit date is in the sample (fewer than its 20,000).
        #expect(base.count == fit.customers && fit.customers > 1500)
        #expect(row["customers"] as Int == fit.customers && row["horizon_days"] as Int == 6 && row["fitted_as_of"] as String == "1998-06-24")
        // Predicted: the per-customer conditional expectation of the refitted model over the 6 days (6/7 week).
        let fitted = try store.queue.read { try String.fetchOne($0, sql: "SELECT path FROM model_fit WHERE fitted_as_of = '1998-06-24' AND role = 'purchase'")! }
        let model = try ModelCatalog.loadRepeatPurchaseModel(try ModelFile.read(from: f.storeURL.deletingLastPathComponent().appendingPathComponent("models/\(fitted)")))
        let predicted = base.reduce(0.0) { $0 + model.conditionalExpectedPurchases(horizon: 6.0 / 7, frequency: $1[1], recency: $1[2], T: $1[3]) }
        #expect(abs(row["predicted"] as Double - predicted) <= 1e-9 * predicted && predicted > 0)
        // Actual: at most one repeat purchase period per transaction since the fit.
        let transactions = try store.queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM transaction_row WHERE day > '1998-06-24' AND day <= '1998-06-30'")! }
        let actual = row["actual"] as Double
        #expect(actual <= Double(transactions) && actual >= 0 && transactions > 0)
        #expect(abs(row["drift"] as Double - abs(actual - predicted) / predicted) < 1e-12)
        // The run record carries the decision and the check.
        let refit = try store.queue.read { try String.fetchOne($0, sql: "SELECT refit FROM run WHERE as_of = '1998-06-30'")! }
        #expect(refit.hasPrefix("none: ") && refit.contains("drift"), "\(refit)")
    }

    @Test func aDriftPastTheLimitRefitsAndKlantRunsSaysWhy() throws {
        let f = try NightlyFixture(maxAgeDays: 30, refit: ["max_drift: 0.000001", "min_holdout_days: 2"])
        defer { f.remove() }
        let decisions = try ["1998-06-24", "1998-06-25", "1998-06-27"].map { try f.run($0).summary.models }
        #expect(decisions.map(\.refit) == ["refitted", "none", "refitted"])
        #expect(decisions[1].reason.contains("rule waits for 2 days"), "\(decisions[1].reason)")
        #expect(decisions[2].reason.hasPrefix("refitted: holdout drift past the limit 0.0%"), "\(decisions[2].reason)")
        #expect(decisions[2].fittedAsOf == "1998-06-27")
        let runs = try KlantProcess.run(["runs", "--store", f.storeURL.path])
        #expect(runs.status == 0)
        let line = runs.stdout.split(separator: "\n").first { $0.contains("\t1998-06-27\tok\t") }
        #expect(line?.contains("\trefitted: holdout drift past the limit") == true, "\(runs.stdout)")
        // The new fit has its own holdout base; the next check is against it.
        _ = try f.run("1998-06-30")
        #expect(try check(f, "1998-06-30")?["fitted_as_of"] as String? == "1998-06-27")
    }

    @Test func aDriftWithinTheLimitKeepsTheModelsAndTheAgeRuleStillApplies() throws {
        let f = try NightlyFixture(maxAgeDays: 4, refit: ["max_drift: 1000", "min_holdout_days: 1"])
        defer { f.remove() }
        let decisions = try ["1998-06-24", "1998-06-26", "1998-06-29"].map { try f.run($0).summary.models }
        #expect(decisions.map(\.refit) == ["refitted", "none", "refitted"])
        #expect(decisions[1].reason.contains("models fitted 2 days before (limit 4)") && decisions[1].reason.contains("drift"))
        #expect(decisions[2].reason == "refitted: models fitted 5 days before (limit 4)")
    }

    @Test func aRefitOnDriftThatFailsKeepsThePreviousModelsAndRecordsWhy() throws {
        let f = try NightlyFixture(maxAgeDays: nil, refit: ["max_drift: 0.000001", "min_holdout_days: 1"])
        defer { f.remove() }
        let first = try f.run("1998-06-24").summary.models
        #expect(first.refit == "refitted")
        // A directory where the refit's model file must go: the fit succeeds, writing it fails.
        let models = f.storeURL.deletingLastPathComponent().appendingPathComponent("models")
        let fitted = URL(fileURLWithPath: first.purchase).lastPathComponent
        let blocked = models.appendingPathComponent(fitted.replacingOccurrences(of: "1998-06-24", with: "1998-06-26"))
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
        let outcome = try f.run("1998-06-26")
        #expect(outcome.summary.models.refit == "kept_previous")
        #expect(outcome.summary.models.fittedAsOf == "1998-06-24")
        #expect(outcome.summary.models.purchase == first.purchase)
        #expect(outcome.summary.models.reason.hasPrefix("refit failed, previous models kept (holdout drift past the limit"), "\(outcome.summary.models.reason)")
        let store = try KlantStore(path: f.storeURL.path)
        let (accepted, runRefit) = try store.queue.read { db in
            (try Bool.fetchAll(db, sql: "SELECT accepted FROM model_fit WHERE fitted_as_of = '1998-06-26'"),
             try String.fetchOne(db, sql: "SELECT refit FROM run WHERE as_of = '1998-06-26'")!)
        }
        #expect(accepted == [false, false])
        #expect(runRefit.hasPrefix("kept_previous: refit failed"))
        // The scores are those of the previous models, as a run without the drift rule gives.
        let g = try NightlyFixture(maxAgeDays: 30)
        defer { g.remove() }
        _ = try g.run("1998-06-24")
        _ = try g.run("1998-06-26")
        #expect(try f.outputs("1998-06-26")["scores.csv"] == g.outputs("1998-06-26")["scores.csv"])
    }

    @Test func aBadDriftPolicyIsAConfigError() throws {
        for (lines, key) in [(["max_drift: 0"], "refit.max_drift"), (["max_drift: 0.2", "min_holdout_days: 0.5"], "refit.min_holdout_days")] {
            let f = try NightlyFixture(maxAgeDays: nil, refit: lines)
            defer { f.remove() }
            let error = #expect(throws: RescoreError.self) { try f.load() }
            #expect(error?.kind == .badInput && error?.message.contains(key) == true, "\(String(describing: error))")
        }
    }
}
