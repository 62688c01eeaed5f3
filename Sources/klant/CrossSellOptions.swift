import ArgumentParser
import CustomerData
import Foundation
import Responses

/// The options of cross-sell commands beyond the transaction-file layout: which column holds the
/// item (or item group), how many items to recommend, and the day histories run to.
struct CrossSellOptions: ParsableArguments {
    @Option(help: "Cross-sell: the item column of the line-item log. Example: --item-column StockCode")
    var itemColumn = "item"

    @Option(help: "Cross-sell: recommend item groups (e.g. a category column) instead of items; replaces --item-column. Example: --group-column Category")
    var groupColumn: String?

    @Option(help: "Cross-sell: how many unbought items to recommend per customer (and the k of precision@k). Example: --top 5")
    var top = 5

    @Option(help: "Cross-sell: histories run to this day (yyyy-MM-dd); default the model's calibration end. Example: --as-of 2011-12-09")
    var asOf: String?

    var asOfDay: CalendarDay? { get throws { try asOf.map { try CalendarDay(parsing: $0, option: "--as-of") } } }

    /// The columns of the log from these options and the transaction layout options.
    func columns(_ format: TransactionFormatOptions) throws -> PurchaseLogColumns {
        PurchaseLogColumns(customer: format.customerColumn, item: groupColumn ?? itemColumn, date: format.dateColumn,
                           quantity: format.quantityColumn, invoice: format.invoiceColumn,
                           datePattern: format.dateFormat.lowercased() == "iso" ? .iso : try DatePattern(format.dateFormat),
                           cancelledInvoicePrefix: format.cancelledPrefix ?? "C")
    }

    /// Reads the purchases of `file` and logs what was left out.
    func readLog(_ file: String, format: TransactionFormatOptions) throws -> PurchaseLog {
        let log = try ProgressLine.run("reading \(file)") { try PurchaseLog(path: file, format: try format.text.tableFormat(), columns: try columns(format)) }
        Log.shared.info(log.countsReport, fields: ["event": "read", "file": file, "lines": log.counts.lines, "purchase_lines": log.counts.used,
                                                   "blank_customer": log.counts.blankCustomer, "cancelled": log.counts.cancelled,
                                                   "returns": log.counts.returns])
        return log
    }
}
