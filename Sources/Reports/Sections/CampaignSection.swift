import CustomerData
import Foundation

/// What a campaign added, from `klant evaluate-campaign`'s table: per treatment and outcome the
/// treated and control rates or means, the uplift with its 95% interval and p-value, the incremental
/// responses or revenue, cost and ROI. Every number is the table's own; nothing is recomputed.
public enum CampaignSection {
    /// One row of the evaluation table (`CampaignEvaluation.header` in Responses).
    public struct Row: Sendable, Equatable {
        public var treatment: String
        public var outcome: String
        /// "rate" (0/1 outcomes) or "mean" (amounts).
        public var measure: String
        public var treatedCount: Double
        public var controlCount: Double
        public var treated: Double
        public var control: Double
        public var uplift: Double
        public var lower: Double
        public var upper: Double
        public var pValue: Double
        public var incremental: Double
        public var cost: Double?
        public var roi: Double?
    }

    public static func read(path: String) throws -> [Row] {
        let table = try TableReader(path: path)
        func column(_ name: String) throws -> Int { try table.requiredColumn(name, purpose: "the campaign results (klant evaluate-campaign --out)") }
        let c = try ["treatment", "outcome", "measure", "n_treated", "n_control", "rate_treated", "rate_control", "uplift",
                     "uplift_lower", "uplift_upper", "p_value", "incremental"].map(column)
        let cost = table.columnIndex("cost"), roi = table.columnIndex("roi")
        var rows: [Row] = []
        try table.forEachRow { r in
            rows.append(Row(treatment: r.text(c[0]), outcome: r.text(c[1]), measure: r.text(c[2]), treatedCount: try r.number(c[3]),
                            controlCount: try r.number(c[4]), treated: try r.number(c[5]), control: try r.number(c[6]), uplift: try r.number(c[7]),
                            lower: try r.number(c[8]), upper: try r.number(c[9]), pValue: try r.number(c[10]), incremental: try r.number(c[11]),
                            cost: try cost.flatMap { try r.optionalNumber($0) }, roi: try roi.flatMap { try r.optionalNumber($0) }))
        }
        guard !rows.isEmpty else { throw ReportError.input("the campaign results \(path) have no rows; give the table klant evaluate-campaign --out wrote") }
        return rows
    }

    public static func make(campaign url: URL) throws -> ReportSection {
        let rows = try read(path: url.path)
        var section = ReportSection(id: "campaign", title: "Campaign results: \(url.lastPathComponent)",
                                    intro: ["Treated vs control customers of each treatment, from \(url.lastPathComponent) (klant evaluate-campaign). 0/1 outcomes are compared as rates (normal interval), amounts as means (Welch's t interval); incremental = uplift x treated customers."])
        var t = DataTable(columns: ["treatment", "outcome", "measure", "treated", "control", "treated value", "control value", "uplift",
                                    "95% lower", "95% upper", "p-value", "incremental", "cost", "ROI"])
        for r in rows {
            let style: DataTable.Style = r.measure == "rate" ? .percent(2) : .decimals(4)
            t.append([.text(r.treatment), .text(r.outcome), .text(r.measure), .number(r.treatedCount, .integer), .number(r.controlCount, .integer),
                      .number(r.treated, style), .number(r.control, style), .number(r.uplift, style), .number(r.lower, style), .number(r.upper, style),
                      .number(r.pValue, .pValue), .number(r.incremental, .decimals(1)),
                      r.cost.map { .number($0, .decimals(2)) } ?? .missing, r.roi.map { .number($0, .decimals(3)) } ?? .missing])
        }
        section.blocks.append(.table(id: "campaign-results", title: "Uplift per treatment and outcome with 95% intervals", t))
        var outcomes: [String] = []
        for r in rows where !outcomes.contains(r.outcome) { outcomes.append(r.outcome) }
        for outcome in outcomes {
            let group = rows.filter { $0.outcome == outcome }
            let rate = group.allSatisfy { $0.measure == "rate" }
            section.blocks.append(.figure(Figure(
                id: "campaign-\(RepeatPurchaseSection.slug(outcome))-uplift", title: "Uplift in \(outcome) by treatment",
                caption: "Treated minus control \(rate ? "rate" : "mean") of \(outcome) with its 95% interval; an interval that crosses the dashed line at 0 is not a clear effect.",
                chart: IntervalChart(rows: group.map { .init(label: $0.treatment, estimate: $0.uplift, lower: $0.lower, upper: $0.upper) },
                                     valueLabel: "uplift in \(outcome)", referenceValue: 0,
                                     axis: rate ? .linearPercent : .linear, rowTitle: "treatment"))))
        }
        return section
    }
}
