import CustomerData
import Foundation

/// Per-customer predictions of a repeat-purchase model (and optionally a spend model) over a
/// horizon: what `klant predict` writes. A pure function of (model, summary row), so any shard
/// of customers can be scored independently.
public struct CustomerPredictions: Sendable {
    public var customerIDs: [String]
    public var horizon: Double
    public var probabilityAlive: [Double]
    public var expectedPurchases: [Double]
    /// Gamma-Gamma conditional expected average spend, when a spend model was given.
    public var expectedAverageSpend: [Double]?

    /// Scores every customer of `summary`. Spend predictions need q > 1 (else a clear error).
    public static func compute(model: any RepeatPurchaseModel, summary: CustomerSummary, horizon: Double,
                               spend: GammaGamma? = nil) throws -> CustomerPredictions {
        guard horizon > 0, horizon.isFinite else {
            throw ModelError.invalidParameters("the horizon must be a positive number of time units, got \(horizon)")
        }
        let scored = model.score(horizon: horizon, frequency: summary.frequency, recency: summary.recency, T: summary.T)
        // Never write a silent NaN: a prediction outside the formulas' domain is a clear error.
        for i in 0..<summary.count where !(scored.probabilityAlive[i].isFinite && scored.expectedPurchases[i].isFinite) {
            let parameters = zip(type(of: model).parameterNames, model.parameters).map { "\($0) = \($1)" }.joined(separator: ", ")
            throw ModelError.invalidData("""
                customer \(summary.customerIDs[i]) (frequency \(summary.frequency[i]), recency \(summary.recency[i]), T \(summary.T[i])): \
                the \(type(of: model).kind.rawValue) prediction is not a finite number with \(parameters); \
                the model's formulas are outside their domain here (e.g. a horizon so long that a series does not converge); refit with a small penalizer or shorten the horizon
                """)
        }
        var spendValues: [Double]? = nil
        if let spend {
            spendValues = try summary.frequency.indices.map { i in
                try spend.conditionalExpectedAverageSpend(frequency: summary.frequency[i], monetaryValue: max(0, summary.monetaryValue[i]))
            }
        }
        return CustomerPredictions(customerIDs: summary.customerIDs, horizon: horizon, probabilityAlive: scored.probabilityAlive,
                                   expectedPurchases: scored.expectedPurchases, expectedAverageSpend: spendValues)
    }

    /// The output columns.
    var header: [String] {
        ["customer_id", "probability_alive", "expected_purchases"]
            + (expectedAverageSpend != nil ? ["expected_average_spend", "expected_revenue"] : [])
    }

    /// Customer `i`'s output row.
    func row(_ i: Int) -> [CSVCell] {
        var row: [CSVCell] = [.text(customerIDs[i]), .number(probabilityAlive[i]), .number(expectedPurchases[i])]
        if let spend = expectedAverageSpend {
            row += [.number(spend[i]), .number(spend[i] * expectedPurchases[i])]
        }
        return row
    }

    /// The predictions as CSV (ids neutralised against spreadsheet formula injection).
    public func csv() -> CSVWriter {
        var writer = CSVWriter(header: header)
        for i in customerIDs.indices { writer.append(row(i)) }
        return writer
    }

    /// Streams the predictions to `path` atomically (`-` is standard output); CSV, or JSON lines for
    /// `.jsonl`, the same text as `csv()` for CSV.
    public func write(toPath path: String) throws {
        let writer = try TableWriter(path: path, header: header)
        for i in customerIDs.indices { try writer.append(row(i)) }
        try writer.commit()
    }
}
