import CustomerData
import Foundation
import GRDB
import Models

/// The refit policy's drift rule. When a refit is accepted, a deterministic sample of the customers
/// (every k-th by id, at most `sampleSize`) is kept as they were on the fit date (frequency, recency,
/// T). Each later run predicts, with the model of that fit, the repeat purchases of these customers
/// from the fit date to the as-of date (E[X(T, T + t) | x, t_x, T], the conditional expectation of
/// Fader, Hardie & Lee 2005 eq. 10 for BG/NBD, or the family's own) and counts the actual ones
/// (the growth of their frequency). The drift is |actual - predicted| / predicted; frequency counts
/// purchase periods of the model's unit, so a purchase in the period of the fit date itself can be
/// missed: a small bias against "actual", well below the thresholds the rule is meant for.
struct HoldoutCheck: Sendable, Equatable {
    static let sampleSize = 20_000

    var asOf: String
    var fittedAsOf: String
    var customers: Int
    var horizonDays: Int
    var predicted: Double
    var actual: Double
    var drift: Double

    /// "repeat purchases since the fit of D (N days, C customers): P predicted, A actual, drift X%".
    var description: String {
        String(format: "repeat purchases since the fit of %@ (%d days, %d customers): %.1f predicted, %.0f actual, drift %.1f%%",
               fittedAsOf, horizonDays, customers, predicted, actual, drift * 100)
    }

    /// Rows of the holdout sample: every k-th customer of the summary in id order.
    static func sample(_ summary: CustomerSummary) -> [Int] {
        let order = summary.customerIDs.indices.sorted { summary.customerIDs[$0] < summary.customerIDs[$1] }
        let step = max(1, (order.count + sampleSize - 1) / sampleSize)
        return stride(from: 0, to: order.count, by: step).map { order[$0] }
    }

    /// Keeps the holdout sample of the summary the models of `fittedAsOf` were fitted on.
    static func recordBase(_ db: Database, fittedAsOf: String, summary: CustomerSummary) throws {
        try db.execute(sql: "DELETE FROM holdout_base WHERE fitted_as_of = ?", arguments: [fittedAsOf])
        let insert = try db.makeStatement(sql: "INSERT INTO holdout_base (fitted_as_of, customer_id, frequency, recency, t) VALUES (?, ?, ?, ?, ?)")
        for i in sample(summary) {
            try insert.execute(arguments: [fittedAsOf, summary.customerIDs[i], summary.frequency[i], summary.recency[i], summary.T[i]])
        }
    }

    /// The check of the models fitted on `fittedAsOf` (file `purchaseModel`) against the summary as
    /// of `asOf`; nil when that fit has no holdout base (the config's models) or is not older than the date.
    static func measure(_ db: Database, fittedAsOf: CalendarDay, purchaseModel: URL, summary: CustomerSummary, asOf: CalendarDay) throws -> HoldoutCheck? {
        let horizonDays = asOf.dayNumber - fittedAsOf.dayNumber
        guard horizonDays > 0 else { return nil }
        let rows = try Row.fetchAll(db, sql: "SELECT customer_id, frequency, recency, t FROM holdout_base WHERE fitted_as_of = ? ORDER BY customer_id",
                                    arguments: [fittedAsOf.description])
        guard !rows.isEmpty else { return nil }
        var position: [String: Int] = [:]
        for (k, row) in rows.enumerated() { position[row[0] as String] = k }
        var now = [Double](repeating: .nan, count: rows.count)
        for (i, id) in summary.customerIDs.enumerated() {
            if let k = position[id] { now[k] = summary.frequency[i] }
        }
        let model = try ModelCatalog.loadRepeatPurchaseModel(try ModelFile.read(from: purchaseModel))
        let frequency = rows.map { $0[1] as Double }, recency = rows.map { $0[2] as Double }, T = rows.map { $0[3] as Double }
        let expected = model.score(horizon: Double(horizonDays) / summary.timeUnit.days, frequency: frequency, recency: recency, T: T).expectedPurchases
        return compare(asOf: asOf.description, fittedAsOf: fittedAsOf.description, horizonDays: horizonDays,
                       expected: expected, frequencyThen: frequency, frequencyNow: now)
    }

    /// Sums predicted and actual repeat purchases over the sampled customers still in the summary
    /// (a customer missing now, e.g. after a backfill, is left out of both sides).
    static func compare(asOf: String, fittedAsOf: String, horizonDays: Int, expected: [Double], frequencyThen: [Double], frequencyNow: [Double]) -> HoldoutCheck {
        var predicted = 0.0, actual = 0.0, customers = 0
        for k in expected.indices where frequencyNow[k].isFinite && expected[k].isFinite {
            predicted += expected[k]
            actual += max(0, frequencyNow[k] - frequencyThen[k])
            customers += 1
        }
        let drift = predicted > 0 ? abs(actual - predicted) / predicted : (actual > 0 ? .infinity : 0)
        return HoldoutCheck(asOf: asOf, fittedAsOf: fittedAsOf, customers: customers, horizonDays: horizonDays,
                            predicted: predicted, actual: actual, drift: drift)
    }

    /// One check per as-of date (a rerun replaces it with the same numbers).
    func record(_ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO holdout_check (as_of, fitted_as_of, customers, horizon_days, predicted, actual, drift) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [asOf, fittedAsOf, customers, horizonDays, predicted, actual, drift.isFinite ? drift : 1e300])
    }
}
