import ArgumentParser
import CustomerData
import Foundation

/// The customer summary a command reads: a summary file (and, for files from elsewhere, its id
/// column), or a transaction file that is summarised on the fly with the same options as `klant summarize`.
struct SummaryInput: ParsableArguments {
    @Option(help: "Customer summary CSV (customer_id,frequency,recency,T[,monetary_value, holdout columns]) from `klant summarize`, or a lifetimes/paper file (ID,x,t_x,T,zbar). Example: --summary cdnow_summary.csv")
    var summary: String?

    @Option(help: "Name of the customer id column when it is not one of customer_id, ID, id, CustomerID, customer. Example: --id-column cust_no")
    var idColumn: String?

    @Option(help: "Instead of --summary: a transaction file, summarised in memory with the --customer-column ... options below (as `klant summarize` would). Example: --transactions datasets/CDNOW_master.txt")
    var transactions: String?

    @OptionGroup var format: TransactionFormatOptions

    /// Whether a summary or transaction file was given.
    var isGiven: Bool { summary != nil || transactions != nil }

    /// The file the customers come from (recorded in model files).
    var source: String? { summary ?? transactions }

    /// The input files named by these options, for `checkOutputs`.
    var inputFiles: [(String, String?)] { [("--summary", summary), ("--transactions", transactions)] }

    func read(unit: TimeUnit) throws -> CustomerSummary {
        if summary != nil, transactions != nil { throw ValidationError("give either --summary or --transactions, not both") }
        if let transactions {
            return try format.summarize(file: transactions, options: try format.summaryOptions(unit: unit)).summary
        }
        guard let summary else { throw ValidationError("give the customer summary with --summary FILE (or the transactions with --transactions FILE)") }
        var columns = SummaryColumnNames()
        if let idColumn { columns.customerID = [idColumn] }
        return try SummaryTable.read(from: URL(fileURLWithPath: summary), timeUnit: unit, columns: columns)
    }
}
