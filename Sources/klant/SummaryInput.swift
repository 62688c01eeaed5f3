import ArgumentParser
import CustomerData
import Foundation
import Scoring
import Warehouse

/// The customer summary a command reads: a summary file (and, for files from elsewhere, its id
/// column), or a transaction file that is summarised on the fly with the same options as `klant summarize`.
struct SummaryInput: ParsableArguments {
    @Option(help: "Customer summary CSV (customer_id,frequency,recency,T[,monetary_value, holdout columns]) from `klant summarize`, or a lifetimes/paper file (ID,x,t_x,T,zbar). Example: --summary cdnow_summary.csv")
    var summary: String?

    @Option(help: "Name of the customer id column when it is not one of customer_id, ID, id, CustomerID, customer. Example: --id-column cust_no")
    var idColumn: String?

    @Option(help: "Instead of --summary: a transaction file, or a postgresql://user@host:port/database URL with --table or --query, summarised in memory with the --customer-column ... options below (as `klant summarize` would). Example: --transactions datasets/CDNOW_master.txt")
    var transactions: String?

    @OptionGroup var format: TransactionFormatOptions

    @OptionGroup(title: "PostgreSQL input") var warehouse: WarehouseInputOptions

    /// Whether a summary or transaction file was given.
    var isGiven: Bool { summary != nil || transactions != nil }

    /// The file (or database and table) the customers come from (recorded in model files; never a password).
    var source: String? {
        guard let transactions, PostgresLocation.isLocation(transactions) else { return summary ?? transactions }
        let relation = (try? warehouse.relation()).map { ", \($0)" } ?? ""
        return ((try? PostgresLocation(parsing: transactions))?.description ?? transactions) + relation
    }

    /// The input files named by these options, for `checkOutputs`.
    var inputFiles: [(String, String?)] { [("--summary", summary), ("--transactions", transactions)] }

    /// The customers for scoring or evaluating `model`: a summary in the unit its sidecar names
    /// (it must be the model's; without a sidecar the model's, said at info level), or the
    /// transactions summarised in the model's unit.
    func read(for model: LoadedModel, modelPath: String) throws -> CustomerSummary {
        if summary != nil, transactions != nil { throw ValidationError("give either --summary or --transactions, not both") }
        if transactions != nil {
            guard let unit = model.timeUnit else {
                throw ValidationError("\(modelPath) has no calendar time unit (\(model.modelTimeUnit?.rawValue ?? "none")) to summarise the transactions in: run klant summarize and give --summary")
            }
            return try read(unit: unit)
        }
        guard let summary else { throw ValidationError("give the customer summary with --summary FILE (or the transactions with --transactions FILE)") }
        let (unit, note) = try ModelLoader.summaryUnit(model: model.modelTimeUnit, modelPath: modelPath, summaryPath: summary)
        let customers = try read(unit: unit)
        if let note { Log.shared.info(note, fields: ["event": "time_unit", "summary": summary, "unit": unit.rawValue]) }
        return customers
    }

    /// The customers for a fit: transactions summarised in `--unit` (week when not given); a
    /// summary in `--unit` or its sidecar's unit (both given and different is an error), else
    /// in weeks, said at info level.
    func read(unitOption: String?) throws -> CustomerSummary {
        let given = try unitOption.map { try TimeUnit(parsing: $0) }
        guard let summary, transactions == nil else { return try read(unit: given ?? .week) }
        if let unit = try SummaryMetadata.unit(given: given, sidecar: try SummaryMetadata.read(forSummary: summary), summaryPath: summary) {
            return try read(unit: unit)
        }
        let customers = try read(unit: .week)
        Log.shared.info("\(summary) has no sidecar naming its time unit and no --unit was given: read in weeks",
                        fields: ["event": "time_unit", "summary": summary, "unit": "week"])
        return customers
    }

    /// The --transactions summarised in `unit`, with their purchases per day when asked (the report's tracking charts).
    func summarizeTransactions(unit: TimeUnit, countDailyPurchases: Bool = false) throws -> SummaryRun {
        guard let transactions else { throw ValidationError("give the transactions with --transactions FILE") }
        if summary != nil { throw ValidationError("give either --summary or --transactions, not both") }
        var options = try format.summaryOptions(unit: unit)
        options.countDailyPurchases = countDailyPurchases
        if PostgresLocation.isLocation(transactions) {
            return try warehouse.summarize(url: transactions, format: try format.fileFormat(), options: options)
        }
        try warehouse.checkUnused()
        return try format.summarize(file: transactions, options: options)
    }

    func read(unit: TimeUnit) throws -> CustomerSummary {
        if summary != nil, transactions != nil { throw ValidationError("give either --summary or --transactions, not both") }
        if transactions != nil { return try summarizeTransactions(unit: unit).summary }
        guard let summary else { throw ValidationError("give the customer summary with --summary FILE (or the transactions with --transactions FILE)") }
        try warehouse.checkUnused()
        var columns = SummaryColumnNames()
        if let idColumn { columns.customerID = [idColumn] }
        return try SummaryTable.read(path: summary, timeUnit: unit, columns: columns, format: format.text.tableFormat())
    }
}
