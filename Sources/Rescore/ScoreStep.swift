import CustomerData
import Foundation
import GRDB
import Models
import Scoring

/// Step 3: every customer valued as of the date, by the same library code as `klant score`
/// (`ScoringJob`, then `ValueAnalytics` for the segments), on the store's transactions through
/// that date summarised from the store's per-customer totals.
struct ScoreStep {
    var config: RescoreConfig
    var asOf: CalendarDay

    /// The customer summary as of the date, in the unit of the purchase model (of one shard's customers
    /// only, given `shard`), from the store's per-customer totals (`CustomerTotals`: the same numbers as
    /// `klant summarize` on the stored rows), customers in id order. `persist`: a rebuild of the totals
    /// may be written back (the run's write transaction; shards only read).
    func summary(_ db: Database, unit: TimeUnit, shard: CustomerShard? = nil, persist: Bool = false) throws -> (summary: CustomerSummary, transactions: Int) {
        let (ids, totals) = try CustomerTotals.asOf(db, asOf, persist: persist)
        let result = CustomerTotals.summary(ids: ids, totals: totals, asOf: asOf, unit: unit, shard: shard)
        guard result.transactions > 0 else {
            throw RescoreError(.gate, "no transactions on or before \(asOf) in the store", gate: "no_input")
        }
        return result
    }

    /// Scores the summary with the chosen models; the sidecar names the models relative to the
    /// config file, so outputs do not depend on where the project is checked out.
    func score(_ summary: CustomerSummary, models: RefitStep.Choice) throws -> ScoringJob.Result {
        try finish(try job(summary, models: models).run())
    }

    /// The per-customer columns of one shard's customers (segments need the whole base: the
    /// publish step adds them when it merges the shards).
    func scoreShard(_ summary: CustomerSummary, models: RefitStep.Choice, shard: CustomerShard) throws -> ScoreTable {
        var job = try job(summary, models: models)
        job.shard = shard
        return try job.run().table
    }

    /// The full result from the shards' tables: equal to `score` on the same summary and models.
    func merge(_ summary: CustomerSummary, models: RefitStep.Choice, shards: [ScoreTable]) throws -> ScoringJob.Result {
        try finish(try job(summary, models: models).merging(shards: shards))
    }

    func job(_ summary: CustomerSummary, models: RefitStep.Choice) throws -> ScoringJob {
        let money = config.money
        let settings = try ValueSettings(horizon: ValueHorizon(parsing: money.horizon, stepLength: money.horizonUnit),
                                         discounting: Discounting(rate: money.discountRate, parsingPeriod: money.discountPeriod))
        var job = ScoringJob(modelPath: models.purchase.path, spendModelPath: models.spend.path,
                             customers: .summary(summary, source: "store"), settings: settings)
        job.margin = money.margin
        job.costPerOrder = money.costPerOrder
        job.costPerPeriod = money.costPerPeriod
        return job
    }

    func finish(_ scored: ScoringJob.Result) throws -> ScoringJob.Result {
        var result = scored
        if result.table.texts("value_segment") == nil {
            let analytics = try ValueAnalytics(scoreTable: result.table)
            for column in analytics.columns() where !result.table.header.contains(column.name) { result.table.append(column) }
            result.metadata.columns = result.table.header
        }
        for i in result.metadata.models.indices {
            result.metadata.models[i].file = relativePath(URL(fileURLWithPath: result.metadata.models[i].file))
        }
        return result
    }

    func relativePath(_ url: URL) -> String {
        let base = config.configFile.deletingLastPathComponent().standardizedFileURL.pathComponents
        let parts = url.standardizedFileURL.pathComponents
        var common = 0
        while common < min(base.count, parts.count) && base[common] == parts[common] { common += 1 }
        return (Array(repeating: "..", count: base.count - common) + parts[common...]).joined(separator: "/")
    }
}
