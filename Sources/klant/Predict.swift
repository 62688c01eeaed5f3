import Actions
import ArgumentParser
import Churn
import CustomerData
import Foundation
import Models
import Responses
import Scoring
import Warehouse

/// `klant predict`: scores customers with any fitted model.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score customers with a fitted model: P(alive), expected purchases and spend, or churn probability.",
        discussion: """
            Repeat-purchase models (bg-nbd, mbg-nbd, pareto-nbd, bg-bb) score a customer summary:
              klant predict --model models/cdnow-bgnbd.json --summary cdnow_summary.csv --horizon 52 \\
                            --spend-model models/cdnow-gg.json --out predictions.csv
            The output has customer_id, probability_alive, expected_purchases and, with --spend-model, \
            expected_average_spend and expected_revenue. \
            Churn models score a customer table with the encoding stored in the model:
              klant predict --model models/telco-churn.json --data new_customers.csv --out churn_scores.csv
            Propensity models (`klant fit propensity`) the same way, into a `propensity` column. Uplift models \
            write p_control, p_<treatment> and uplift_<treatment> per customer:
              klant predict --model models/email-uplift.json --data new_customers.csv --out uplift.csv
            Cross-sell models recommend the --top k unbought items per customer from the purchase histories up to \
            the model's calibration end (or --as-of), rows customer_id, rank, item, score:
              klant predict --model models/retail-cross-sell.json --transactions datasets/online_retail.csv.gz \
                    --customer-column CustomerID --item-column StockCode --date-column InvoiceDate \
                    --quantity-column Quantity --invoice-column InvoiceNo --top 5 --out recommendations.csv
            A new customer's expected purchases and purchase-count distribution:
              klant predict --model models/cdnow-bgnbd.json --new-customer --horizon 52
            Text cells in every export are protected against spreadsheet formula injection.
            Scores can go straight into PostgreSQL, replacing the table atomically (the password from \
            PGPASSWORD or ~/.pgpass), and a churn model can score a customer table read from there:
              klant predict --model models/cdnow-bgnbd.json --summary cdnow_summary.csv \\
                    --horizon 52 --out postgresql://etl@db:5432/crm --out-table scoring.clv
              klant predict --model models/telco-churn.json --out churn_scores.csv \\
                    --data postgresql://etl@db/crm --table public.customers
            """)

    @Option(help: "A model file from `klant fit`. Example: --model models/cdnow-bgnbd.json")
    var model: String

    @OptionGroup var input: SummaryInput

    @Option(help: "Churn, propensity and uplift models: the customer table CSV to score (churn and propensity: or a postgresql:// URL with --table or --query). Example: --data new_customers.csv")
    var data: String?

    @Option(name: .customLong("where"), help: "Churn and propensity models on a customer table: only the rows satisfying this condition (within the model's own population, which is always applied). Example: --where \"OnlineSecurity == 'No'\"")
    var condition: String?

    @Option(help: "Summary-based churn models: the repeat-purchase model they were trained with (for P(alive)). Example: --purchase-model models/cdnow-bgnbd.json")
    var purchaseModel: String?

    @Option(help: "Repeat-purchase models: prediction horizon in the model's time unit (weeks for CDNOW). Example: --horizon 52")
    var horizon: Double?

    @Option(help: "Optional Gamma-Gamma model file for expected spend. Example: --spend-model models/cdnow-gg.json")
    var spendModel: String?

    @Option(help: "Churn models: a categorical level unseen in training is an error (default) or scored as the reference level (counted in the report). Example: --unseen-levels reference")
    var unseenLevels = "error"

    @Flag(help: "Repeat-purchase models: print E[X(t)] and P(X(t) = k) for a new customer over --horizon instead of scoring a file.")
    var newCustomer = false

    @Option(help: "With --new-customer: the largest purchase count k to list. Example: --max-count 10")
    var maxCount = 10

    @Option(help: "Output CSV (JSON lines for .jsonl), written atomically; - writes to standard output; or a postgresql:// URL with --out-table (the table replaced atomically). Never one of the inputs (refused, exit 2). Example: --out predictions.csv")
    var out: String?

    @Option(help: "Output format: csv or jsonl (JSON lines, one object per customer). Default: jsonl for an --out ending in .jsonl, else csv. Example: --format jsonl")
    var format: String?

    @Option(help: ArgumentHelp("With --out postgresql://user@host:port/database: the table to replace (atomically) with the scores, optionally schema-qualified. Example: --out-table crm.clv_scores", valueName: "name"))
    var outTable: String?

    @Option(help: "Score only shard k of N: the customers whose id hashes to it (stable across machines), so N jobs share the work and their outputs together are the full scoring. Example: --shard 3/8")
    var shard: String?

    @OptionGroup var crossSell: CrossSellOptions

    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withResponseErrors {
            guard out != nil || newCustomer else { throw ValidationError("give the output file with --out FILE") }
            try checkOutputs([("--out", out)], inputs: input.inputFiles + [("--model", model), ("--data", data),
                             ("--spend-model", spendModel), ("--purchase-model", purchaseModel)])
            _ = try destination()   // a bad --out/--out-table combination fails before any work
            if try ResponseModelKind.of(URL(fileURLWithPath: model)) == .crossSell {
                return try predictCrossSell(model: URL(fileURLWithPath: model), transactions: input.transactions,
                                            format: input.format, options: crossSell, out: out, destination: try destination(), tableFormat: try tableFormat())
            }
            let loaded = try ModelLoader.load(URL(fileURLWithPath: model))
            switch loaded {
            case .churn(let churnModel), .propensity(let churnModel): try predictChurn(churnModel, loaded: loaded)
            case .uplift(let upliftModel):
                try predictUplift(upliftModel, data: data, format: try input.format.text.tableFormat(), out: out, destination: try destination(),
                                  tableFormat: try tableFormat(), unseenLevels: unseenLevels, shard: try shard.map(CustomerShard.init(parsing:)))
            case .repeatPurchase(let purchaseModel, let file): try predictPurchases(purchaseModel, file: file, loaded: loaded)
            case .spend, .cohortRetention(_, _):
                throw ValidationError("\(model) is not a model predict scores with: give a repeat-purchase model (bg-nbd, mbg-nbd, pareto-nbd, bg-bb) or a churn model; a gamma-gamma model goes with --spend-model")
            }
        }
    }

    /// Churn probabilities of a customer table or, for summary-trained models, of a summary.
    private func predictChurn(_ churnModel: ChurnModel, loaded: LoadedModel? = nil) throws {
        let shard = try self.shard.map(CustomerShard.init(parsing:))
        let scores: ChurnScores
        if churnModel.usesTransactionSummary {
            if condition != nil { throw ValidationError("--where selects rows of a customer table (--data); this model scores a summary") }
            var customers = try input.read(for: loaded ?? .churn(churnModel), modelPath: model)
            if let shard { customers = customers.selecting(shard) }
            scores = try churnModel.predict(summary: customers, purchaseModel: try loadPurchaseModel(purchaseModel))
        } else {
            guard let data else { throw ValidationError("this churn model scores a customer table: give --data FILE") }
            guard let policy = UnseenLevelPolicy(rawValue: unseenLevels) else {
                throw ValidationError("--unseen-levels must be error or reference, not \(unseenLevels)")
            }
            let rows = try RowFilter.selection(population: churnModel.population?.condition, where: condition)
            if PostgresLocation.isLocation(data) {
                scores = try churnModel.predict(try input.warehouse.customerTable(url: data), unseenLevels: policy, selecting: rows).selecting(shard)
            } else {
                try input.warehouse.checkUnused()
                scores = try churnModel.predict(csv: inputURL(data), format: input.format.text.tableFormat(), unseenLevels: policy,
                                                selecting: rows).selecting(shard)
            }
            if let rows { Log.shared.info("scored the rows where \(rows.condition)", fields: ["event": "predict", "where": rows.condition]) }
        }
        guard let out, let destination = try destination() else { throw ValidationError("give the output file with --out FILE") }
        try writeTable(header: scores.predictions.header, rows: scores.predictions.rows, to: destination, what: "score", format: try tableFormat())
        Log.shared.info(scores.report, fields: ["event": "predict", "customers": scores.ids.count, "out": out])
    }

    /// P(alive), expected purchases (and spend) of a summary, or the new-customer forecast.
    private func predictPurchases(_ purchaseModel: any RepeatPurchaseModel, file: ModelFile, loaded: LoadedModel) throws {
        guard let horizon else { throw ValidationError("give the prediction horizon with --horizon (in the model's time unit)") }
        if newCustomer {
            print(try NewCustomerForecast(model: purchaseModel, horizon: horizon, maxCount: maxCount).description)
            return
        }
        guard let out, let destination = try destination() else { throw ValidationError("give the output file with --out FILE") }
        let shard = try self.shard.map(CustomerShard.init(parsing:))
        var customers = try input.read(for: loaded, modelPath: model)
        if let shard { customers = customers.selecting(shard) }
        let spend = try spendModel.map { try ModelLoader.loadSpendModel(URL(fileURLWithPath: $0)).model }
        let predictions = try CustomerPredictions.compute(model: purchaseModel, summary: customers, horizon: horizon, spend: spend)
        try writeTable(header: predictions.header, rows: predictions.rows, to: destination, what: "prediction", format: try tableFormat())
        Log.shared.info("scored \(customers.count) customers\(shard.map { " (shard \($0))" } ?? "") over \(horizon) \(file.timeUnit)s -> \(out)",
                        fields: ["event": "predict", "customers": customers.count, "out": out, "horizon": horizon,
                                 "shard": shard?.description ?? "all"])
    }

    /// The `--format` option, nil when not given (the writer then goes by the extension).
    private func tableFormat() throws -> TableFormat? {
        try format.map { text in
            guard let format = TableFormat(rawValue: text) else {
                throw ValidationError("--format must be csv or jsonl, not \(text)")
            }
            return format
        }
    }

    /// Where the scores go: --out as a file, or with --out-table a PostgreSQL table.
    private func destination() throws -> TableDestination? {
        try out.map { try TableDestination(out: $0, outTable: outTable) }
    }
}
