import ArgumentParser
import CustomerData
import Foundation
import Responses

/// `klant fit cross-sell`: item-item recommender from purchase histories.
struct FitCrossSell: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cross-sell",
        abstract: "Cross-sell recommender from a line-item purchase log: item-item cosine similarity, top-K neighbours per item.",
        discussion: """
            Learns from the purchases up to --calibration-end (inclusive; default the last day): returns (quantity ≤ 0 \
            with --quantity-column) and cancelled invoices (starting with C, with --invoice-column) are not purchases, \
            lines without a customer id are counted and left out. The model file holds item-level data only. \
            Example (UCI Online Retail):
              klant fit cross-sell --transactions datasets/online_retail.csv.gz --customer-column CustomerID \\
                    --item-column StockCode --date-column InvoiceDate --quantity-column Quantity \\
                    --invoice-column InvoiceNo --calibration-end 2011-09-01 --out models/retail-cross-sell.json
              klant predict --model models/retail-cross-sell.json --transactions datasets/online_retail.csv.gz \\
                    --customer-column CustomerID --item-column StockCode --date-column InvoiceDate \\
                    --quantity-column Quantity --invoice-column InvoiceNo --top 5 --out recommendations.csv
              klant evaluate --model models/retail-cross-sell.json --transactions datasets/online_retail.csv.gz \\
                    --customer-column CustomerID --item-column StockCode --date-column InvoiceDate \\
                    --quantity-column Quantity --invoice-column InvoiceNo
            """)

    @Option(help: "The line-item log (CSV, .gz read as gzip). Example: --transactions datasets/online_retail.csv.gz")
    var transactions: String

    @OptionGroup var format: TransactionFormatOptions
    @OptionGroup var crossSell: CrossSellOptions

    @Option(help: "Neighbours kept per item (the K of top-K cosine). Example: --neighbours 20")
    var neighbours = 20

    @Option(help: "Where to write the model file (atomically). Example: --out models/retail-cross-sell.json")
    var out: String

    @OptionGroup var log: LogOptions

    func run() throws {
        log.apply()
        try withResponseErrors {
            try checkOutputs([("--out", out)], inputs: [("--transactions", transactions)])
            let purchases = try crossSell.readLog(transactions, format: format)
            let model = try ProgressLine.run("computing item similarities") {
                try CrossSellModel.fit(purchases, calibrationEnd: try format.calibrationDay, neighbours: neighbours,
                                       itemColumn: crossSell.groupColumn ?? crossSell.itemColumn,
                                       file: URL(fileURLWithPath: transactions).lastPathComponent)
            }
            print("cross-sell model (\(model.method)): \(model.items.count) items, \(Int(model.training.customers)) customers with purchases through \(model.calibrationEnd)")
            print(purchases.countsReport)
            try model.write(to: URL(fileURLWithPath: out))
            Log.shared.info("wrote \(out)", fields: ["event": "fit", "kind": CrossSellModel.kind, "out": out])
        }
    }
}
