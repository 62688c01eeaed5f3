import CustomerData
import Foundation

/// A score table in the contract's layout (what `klant score` writes), built here with known
/// values so every aggregate the report shows can be checked against a sum computed in the test.
struct ConstructedScores {
    static let segments = ["top", "opportunity", "retain", "tolerate"]
    static let rfm = ["champions", "loyal", "at risk", "hibernating", "new"]

    var ids: [String] = []
    var probabilityAlive: [Double] = []
    var churnProbability: [Double] = []
    var clv: [Double] = []
    var expectedRevenue: [Double] = []
    var historicRevenue: [Double] = []
    var valueSegment: [String] = []
    var rfmSegment: [String] = []

    init(customers n: Int) {
        for i in 0..<n {
            ids.append(i == 3 ? "=HYPERLINK(\"x\")" : "C\(i)")
            let u = Double((i * 7919) % 1000) / 1000
            probabilityAlive.append(u)
            churnProbability.append(1 - u * u)
            clv.append(i % 17 == 0 ? -Double(i % 50) : 40 * u * u * u + Double(i % 9))
            expectedRevenue.append(10 * u)
            historicRevenue.append(Double(i % 13) * 3.5)
            valueSegment.append(Self.segments[(i * 3) % 4])
            rfmSegment.append(Self.rfm[(i * i) % 5])
        }
    }

    static let header = ["customer_id", "probability_alive", "expected_purchases", "expected_average_spend", "expected_revenue",
                         "historic_revenue", "historic_net_value", "clv", "clv_lower", "clv_upper", "value_segment", "rfm_score",
                         "rfm_segment", "profit_decile", "churn_probability"]

    /// Writes the table through `TableWriter` (CSV or JSON lines by extension) and the sidecar.
    func write(to url: URL, withSidecar: Bool = true) throws {
        let out = try TableWriter(path: url.path, header: Self.header)
        for i in ids.indices {
            try out.append([.text(ids[i]), .number(probabilityAlive[i]), .number(2 * probabilityAlive[i]), .number(5), .number(expectedRevenue[i]),
                            .number(historicRevenue[i]), .number(historicRevenue[i] * 0.3), .number(clv[i]), .number(clv[i] - 1), .number(clv[i] + 1),
                            .text(valueSegment[i]), .integer(111 + i % 5), .text(rfmSegment[i]), .integer(1 + i % 10), .number(churnProbability[i])])
        }
        try out.commit()
        if withSidecar { try AtomicFile.write(sidecarJSON, to: URL(fileURLWithPath: url.path + ".meta.json")) }
    }

    static let lorenz: [[Double]] = [[0, 0], [0.1, 0.45], [0.2, 0.7], [0.5, 1.08], [0.8, 1.12], [0.9, 1.05], [1, 1]]
    static let valueMatrix: [(String, Int, Double)] = [("top", 120, 0.61), ("opportunity", 180, 0.22), ("retain", 200, 0.13), ("tolerate", 500, 0.04)]
    static let decileShares = [0.45, 0.25, 0.15, 0.1, 0.06, 0.03, 0.01, 0, -0.02, -0.03]
    static let rfmCounts: [(String, Int)] = [("champions", 90), ("loyal", 210), ("at risk", 140), ("hibernating", 400), ("new", 160)]

    var sidecarJSON: String {
        let lorenz = Self.lorenz.map { "[\($0[0]), \($0[1])]" }.joined(separator: ", ")
        let matrix = Self.valueMatrix.map { "{\"segment\": \"\($0.0)\", \"customers\": \($0.1), \"value_share\": \($0.2)}" }.joined(separator: ", ")
        let deciles = Self.decileShares.enumerated().map { k, v in
            "{\"decile\": \(k + 1), \"customers\": 100, \"net_value\": \(v * 1000), \"net_value_share\": \(v), \"revenue\": \(500 - Double(k) * 40), \"revenue_share\": 0.1}"
        }.joined(separator: ", ")
        let rfm = Self.rfmCounts.map { "{\"segment\": \"\($0.0)\", \"customers\": \($0.1)}" }.joined(separator: ", ")
        return """
            {"format_version": 1, "setting": "non-contractual", "customers": \(ids.count), "columns": [], "models": [], "options": {},
             "profitability": {"customers": \(ids.count), "revenue_share_top5pct": 0.3127, "profit_share_top20pct": 0.7, "loss_making_customers": 59,
                               "loss_amount": 1234.5, "gini": 0.642, "lorenz": [\(lorenz)],
                               "profitable_customers": 700, "break_even_customers": 241, "deciles": [\(deciles)]},
             "value_matrix": [\(matrix)], "rfm_segments": [\(rfm)]}
            """
    }
}

/// An action list in the contract's columns, with known totals.
struct ConstructedActions {
    static let header = ["customer_id", "action", "type", "channel", "expected_value", "cost", "reason", "control", "campaign_id"]
    static let actions = [("winback-10", "retain", "email"), ("upsell-premium", "upsell", "phone"), ("cross-sell-accessories", "cross-sell", "email"), ("winback-10", "retain", "sms")]

    var rows: [(id: String, action: String, type: String, channel: String, value: Double, cost: Double, control: Bool, campaign: String)] = []

    init(rows n: Int) {
        for i in 0..<n {
            let a = Self.actions[i % Self.actions.count]
            rows.append(("C\(i)", a.0, a.1, a.2, Double(i % 23) * 1.25, i % 4 == 1 ? 2.5 : 0.4, i % 10 == 0, "2026-12-\(a.1)"))
        }
    }

    func write(to url: URL) throws {
        let out = try TableWriter(path: url.path, header: Self.header)
        for r in rows {
            try out.append([.text(r.id), .text(r.action), .text(r.type), .text(r.channel), .number(r.value), .number(r.cost),
                            .text("because, \"quoted\""), .text(r.control ? "true" : "false"), .text(r.campaign)])
        }
        try out.commit()
    }
}
