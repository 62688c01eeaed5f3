import ArgumentParser
import Churn
import CustomerData
import Foundation
import Models
import Responses
import Warehouse

/// `klant predict` for uplift models: p_control, p_<treatment>, uplift_<treatment> per customer.
func predictUplift(_ model: UpliftModel, data: String?, format: TableTextFormat, out: String?, destination: TableDestination?,
                   tableFormat: TableFormat?, unseenLevels: String, shard: CustomerShard?) throws {
    guard let data else { throw ValidationError("an uplift model scores a customer table: give --data FILE") }
    guard let out else { throw ValidationError("give the output file with --out FILE") }
    guard let policy = UnseenLevelPolicy(rawValue: unseenLevels) else {
        throw ValidationError("--unseen-levels must be error or reference, not \(unseenLevels)")
    }
    let scores = try model.predict(csv: inputURL(data), format: format, unseenLevels: policy).selecting(shard)
    try writeTable(header: scores.header, rows: scores.rows, to: destination ?? .file(out), what: "uplift", format: tableFormat)
    Log.shared.info(scores.report, fields: ["event": "predict", "kind": UpliftModel.kind, "customers": scores.ids.count, "out": out])
}

/// `klant evaluate` for uplift models: Qini and uplift@k vs random per treatment, printed and in `--out`.
func evaluateUplift(_ model: UpliftModel, path: String, data: String?, format: TableTextFormat, out: String?) throws {
    guard let data else { throw ValidationError("an uplift model is evaluated on a table with the treatment and outcome columns: give --data FILE") }
    try checkOutputs([("--out", out)], inputs: [("--model", path), ("--data", data)])
    let evaluation = try model.evaluate(try CustomerTable(path: data, format: format))
    print(evaluation.report)
    if let out {
        try evaluation.write(to: out)
        Log.shared.info("wrote \(out)", fields: ["event": "evaluate", "kind": UpliftModel.kind, "out": out])
    }
}

/// `klant predict` for cross-sell models: rows customer_id, rank, item, score.
func predictCrossSell(model url: URL, transactions: String?, format: TransactionFormatOptions, options: CrossSellOptions, out: String?,
                      destination: TableDestination?, tableFormat: TableFormat?) throws {
    let model = try CrossSellModel.load(from: url)
    guard let transactions else { throw ValidationError("a cross-sell model recommends from purchase histories: give --transactions FILE with the --customer-column/--item-column/--date-column of the log") }
    guard let out else { throw ValidationError("give the output file with --out FILE") }
    let log = try options.readLog(transactions, format: format)
    let recommendations = try CrossSellRecommendations(model: model, log: log, asOf: try options.asOfDay, top: options.top)
    try writeTable(header: CrossSellRecommendations.header, rows: recommendations.rows, to: destination ?? .file(out),
                   what: "recommendation", format: tableFormat)
    Log.shared.info(recommendations.report, fields: ["event": "predict", "kind": CrossSellModel.kind, "customers": recommendations.customers.count,
                                                     "cold_customers": recommendations.coldCustomers, "out": out])
}

/// `klant evaluate` for cross-sell models: precision@k, recall@k, hit rate vs popularity after the cut-off.
func evaluateCrossSell(model url: URL, transactions: String?, format: TransactionFormatOptions, options: CrossSellOptions, out: String?) throws {
    let model = try CrossSellModel.load(from: url)
    guard let transactions else { throw ValidationError("a cross-sell model is evaluated on a purchase log running past its calibration end: give --transactions FILE") }
    try checkOutputs([("--out", out)], inputs: [("--model", url.path), ("--transactions", transactions)])
    let log = try options.readLog(transactions, format: format)
    let evaluation = try CrossSellEvaluation(model: model, log: log, cutoff: try options.asOfDay, k: options.top)
    print(evaluation.report)
    if let out { try evaluation.write(to: out) }
}
