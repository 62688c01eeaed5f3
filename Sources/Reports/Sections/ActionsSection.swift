import CustomerData
import Foundation

/// The action list at a glance: how many customers get which action through which channel, the
/// expected value and cost, and the control groups held back per campaign.
public enum ActionsSection {
    public static let columns = ["customer_id", "action", "type", "channel", "expected_value", "cost", "reason", "control", "campaign_id"]

    /// Totals per action, channel or campaign.
    public struct Totals: Sendable, Equatable {
        public var name: String
        public var treated = 0
        public var control = 0
        public var expectedValue = 0.0
        public var cost = 0.0
    }

    /// One pass over the action list: totals by action, by channel and by campaign.
    public static func aggregate(path: String) throws -> (actions: [Totals], channels: [Totals], campaigns: [Totals]) {
        let table = try TableReader(path: path)
        let action = try table.requiredColumn("action", purpose: "counts by action")
        let channel = try table.requiredColumn("channel", purpose: "counts by channel")
        let value = try table.requiredColumn("expected_value", purpose: "expected value by action")
        let cost = try table.requiredColumn("cost", purpose: "cost by action")
        let control = try table.requiredColumn("control", purpose: "control-group sizes")
        let campaign = table.columnIndex("campaign_id")
        var byAction = TotalsCounter(), byChannel = TotalsCounter(), byCampaign = TotalsCounter()
        try table.forEachRow { row in
            let isControl = try parseFlag(row.text(control), file: path, line: row.line)
            let v = try row.optionalNumber(value) ?? 0, c = try row.optionalNumber(cost) ?? 0
            byAction.add(row.text(action), control: isControl, value: v, cost: c)
            byChannel.add(row.text(channel), control: isControl, value: v, cost: c)
            if let campaign { byCampaign.add(row.text(campaign), control: isControl, value: v, cost: c) }
        }
        return (byAction.totals, byChannel.totals, byCampaign.totals)
    }

    static func parseFlag(_ text: String, file: String, line: Int) throws -> Bool {
        switch text.lowercased() {
        case "true", "1", "yes", "y", "t": return true
        case "false", "0", "no", "n", "f", "": return false
        default:
            throw InputError(kind: .badSummaryValue, file: file, line: line, columnName: "control", value: text,
                             problem: "not a yes/no value", remedy: "write true or false (1 or 0) in the control column")
        }
    }

    public static func make(actions url: URL) throws -> ReportSection {
        let (actions, channels, campaigns) = try aggregate(path: url.path)
        let treated = actions.reduce(0) { $0 + $1.treated }, control = actions.reduce(0) { $0 + $1.control }
        let value = actions.reduce(0) { $0 + $1.expectedValue }, cost = actions.reduce(0) { $0 + $1.cost }
        var section = ReportSection(id: "actions", title: "Next-best actions",
                                    intro: ["From \(url.lastPathComponent): \(NumberFormat.integer(treated + control)) rows, one per customer and action; control rows are held back to measure the effect."])
        section.blocks.append(.metrics([
            Metric("customers treated", .number(Double(treated), .integer)),
            Metric("in control groups", .number(Double(control), .integer), detail: NumberFormat.percent(Double(control) / Double(max(1, treated + control))) + " of rows"),
            Metric("expected value", .number(value, .compact)),
            Metric("cost", .number(cost, .compact)),
            Metric("expected net value", .number(value - cost, .compact)),
        ]))
        section.blocks.append(.table(id: "actions-by-action", title: "By action", totalsTable(actions, name: "action")))
        section.blocks.append(.figure(Figure(
            id: "actions-value-cost", title: "Expected value and cost by action",
            caption: "Sum over the treated and control rows of each action's expected value and cost.",
            chart: BarChart(categories: actions.map(\.name), series: [.init(name: "expected value", values: actions.map(\.expectedValue)),
                                                                       .init(name: "cost", values: actions.map(\.cost))],
                            categoryLabel: "action", valueLabel: "amount", horizontal: true, valueStyle: .compact))))
        section.blocks.append(.figure(Figure(
            id: "actions-channels", title: "Customers by channel",
            caption: "Treated and control rows per channel.",
            chart: BarChart(categories: channels.map(\.name), series: [.init(name: "treated", values: channels.map { Double($0.treated) }),
                                                                        .init(name: "control", values: channels.map { Double($0.control) })],
                            categoryLabel: "channel", valueLabel: "customers", valueStyle: .integer))))
        if !campaigns.isEmpty {
            section.blocks.append(.table(id: "actions-campaigns", title: "Control groups by campaign", totalsTable(campaigns, name: "campaign")))
        }
        return section
    }

    static func totalsTable(_ totals: [Totals], name: String) -> DataTable {
        var t = DataTable(columns: [name, "treated", "control", "control share", "expected value", "cost", "net"])
        for r in totals {
            t.append([.text(r.name), .number(Double(r.treated), .integer), .number(Double(r.control), .integer),
                      .number(Double(r.control) / Double(max(1, r.treated + r.control)), .percent(1)),
                      .number(r.expectedValue, .decimals(2)), .number(r.cost, .decimals(2)), .number(r.expectedValue - r.cost, .decimals(2))])
        }
        return t
    }
}

struct TotalsCounter {
    var index: [String: Int] = [:]
    var totals: [ActionsSection.Totals] = []

    mutating func add(_ name: String, control: Bool, value: Double, cost: Double) {
        let i: Int
        if let k = index[name] { i = k } else { i = totals.count; index[name] = i; totals.append(.init(name: name)) }
        if control { totals[i].control += 1 } else { totals[i].treated += 1 }
        totals[i].expectedValue += value
        totals[i].cost += cost
    }
}
