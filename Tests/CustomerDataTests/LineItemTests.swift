import Foundation
import Testing
@testable import CustomerData

/// Line-item logs: amount = quantity x price, invoices merged and dated by their first line,
/// cancellations as returns; Online Retail against a summary computed by hand in pandas.
@Suite struct LineItemTests {
    static let lineItems = TransactionFileFormat(customer: "CustomerID", date: "InvoiceDate", datePattern: .iso,
                                                 quantity: "Quantity", price: "UnitPrice", invoice: "InvoiceNo", cancelledPrefix: "C")

    @Test func quantityTimesPriceInvoicesAndCancellations() throws {
        let text = """
            InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID
            1,2,2024-01-01 23:59,2.5,A
            1,1,2024-01-02 00:01,10,A
            2,3,2024-01-05 10:00,1,A
            C3,-1,2024-01-05 11:00,10,A
            4,4,2024-01-09 09:00,0.5,A
            C5,2,2024-01-09 10:00,1,A
            6,1,2024-01-03 08:00,7,B

            """
        let run = try summarizeText(text, format: Self.lineItems, options: SummaryOptions(timeUnit: .day))
        // A: invoice 1 is one purchase on 2024-01-01 (15); 2024-01-05: 3 - 10 = -7; 2024-01-09: 2 - 2 = 0.
        #expect(run.summary.customerIDs == ["A", "B"])
        #expect(run.summary.frequency == [2, 0])
        #expect(run.summary.recency == [8, 0])
        #expect(run.summary.monetaryValue == [-3.5, 0])
        #expect(run.report.invoices == 6)
        #expect(run.report.transactionsUsed == 7)
        // Under the reject policy a cancellation is a rejected return even with a positive quantity.
        var options = SummaryOptions(timeUnit: .day, negativeAmounts: .reject)
        let e = inputError { _ = try summarizeText(text, format: Self.lineItems, options: options) }
        #expect(e?.kind == .negativeAmount && e?.line == 5 && e?.columnName == "Quantity")
        options.skipInvalid = true
        options.rejectsFile = try makeTempDirectory().appendingPathComponent("r.csv")
        let skipped = try summarizeText(text, format: Self.lineItems, options: options)
        #expect(skipped.report.rejected == 2)
        #expect(skipped.summary.monetaryValue == [2.5, 0])
    }

    @Test func lineItemOptionsThatDoNotFitTogetherAreRefused() throws {
        let text = "InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID,Total\n1,2,2024-01-01,2.5,A,5\n"
        var f = Self.lineItems
        f.price = nil
        #expect(inputError { _ = try summarizeText(text, format: f) }?.kind == .badOption)
        f = Self.lineItems
        f.amount = "Total"
        #expect(inputError { _ = try summarizeText(text, format: f) }?.kind == .badOption)
        f = Self.lineItems
        f.invoice = nil
        #expect(inputError { _ = try summarizeText(text, format: f) }?.remedy.contains("--invoice-column") == true)
        f = Self.lineItems
        f.price = "Price"
        #expect(inputError { _ = try summarizeText(text, format: f) }?.kind == .missingColumn)
        let bad = "InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID\n1,two,2024-01-01,2.5,A\n"
        let e = inputError { _ = try summarizeText(bad, format: Self.lineItems) }
        #expect(e?.kind == .badAmount && e?.columnName == "Quantity" && e?.value == "two")
    }

    @Test func onlineRetailEqualsTheSummaryComputedByHandInPandas() throws {
        let rejects = try makeTempDirectory().appendingPathComponent("rejects.csv")
        let options = SummaryOptions(timeUnit: .week, calibrationEnd: CalendarDay(year: 2011, month: 9, day: 30),
                                     observationEnd: CalendarDay(year: 2011, month: 12, day: 9), skipInvalid: true, rejectsFile: rejects)
        let file = dataset("online_retail.csv.gz")
        let ours = try TransactionSummarizer.summarize(file: file, format: Self.lineItems, options: options)
        #expect(ours.report.linesRead == 541_909)
        #expect(ours.report.rejected == 135_080)        // the lines without a CustomerID, each in the rejects file
        #expect(ours.report.invoices == 22_190)
        let theirs = try pandasOnlineRetailSummary(file, calibrationEnd: "2011-09-30", observationEnd: "2011-12-09")
        #expect(ours.summary.count == 3658)
        #expect(theirs.count == ours.summary.count)
        let index = rows(ours.summary)
        var worst = 0.0, missing: [String] = []
        for j in 0..<theirs.count {
            guard let i = index[theirs.customerIDs[j]] else { missing.append(theirs.customerIDs[j]); continue }
            let s = ours.summary
            let pairs = [(s.frequency[i], theirs.frequency[j]), (s.recency[i], theirs.recency[j]), (s.T[i], theirs.T[j]),
                         (s.monetaryValue[i], theirs.monetaryValue[j]), (s.frequencyHoldout![i], theirs.frequencyHoldout![j]),
                         (s.monetaryValueHoldout![i], theirs.monetaryValueHoldout![j]), (s.durationHoldout![i], theirs.durationHoldout![j])]
            for (a, b) in pairs { worst = max(worst, abs(a - b) / max(1, abs(b))) }
        }
        #expect(missing.isEmpty)
        // Sums of the same products in another order: equal to rounding.
        #expect(worst < 1e-9, "largest relative difference \(worst)")
    }
}

/// The Online Retail summary computed by hand with pandas (`peers/online_retail_summary.py`, run with
/// `$KLANT_PEER_PYTHON`); fails when the peer Python is not configured.
func pandasOnlineRetailSummary(_ file: URL, calibrationEnd: String, observationEnd: String) throws -> CustomerSummary {
    guard let python = ProcessInfo.processInfo.environment["KLANT_PEER_PYTHON"], !python.isEmpty else {
        throw PeerUnavailable(message: "KLANT_PEER_PYTHON is not set: run `make test` (it creates the peer venv with pandas and sets KLANT_PEER_PYTHON)")
    }
    let out = try makeTempDirectory().appendingPathComponent("pandas.csv")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [packageRoot.appendingPathComponent("Tests/CustomerDataTests/peers/online_retail_summary.py").path,
                         file.path, out.path, calibrationEnd, observationEnd]
    let stderr = Pipe()
    process.standardError = stderr
    try process.run()
    let errText = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw PeerUnavailable(message: "pandas script failed: \(errText)") }
    return try SummaryTable.read(from: out, timeUnit: .week)
}
