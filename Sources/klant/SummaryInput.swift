import ArgumentParser
import CustomerData
import Foundation

/// The customer summary a command reads: the file and, for files from elsewhere, its id column.
struct SummaryInput: ParsableArguments {
    @Option(help: "Customer summary CSV (customer_id,frequency,recency,T[,monetary_value, holdout columns]) from `klant summarize`, or a lifetimes/paper file (ID,x,t_x,T,zbar). Example: --summary cdnow_summary.csv")
    var summary: String?

    @Option(help: "Name of the customer id column when it is not one of customer_id, ID, id, CustomerID, customer. Example: --id-column cust_no")
    var idColumn: String?

    func read(unit: TimeUnit) throws -> CustomerSummary {
        guard let summary else { throw ValidationError("give the customer summary with --summary FILE") }
        var columns = SummaryColumnNames()
        if let idColumn { columns.customerID = [idColumn] }
        return try SummaryTable.read(from: URL(fileURLWithPath: summary), timeUnit: unit, columns: columns)
    }
}
