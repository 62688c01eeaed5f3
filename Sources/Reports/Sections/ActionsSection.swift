import CustomerData
import Foundation

/// The action list at a glance: how many customers get which action through which channel, the
/// expected net value and cost of the contacted customers, the control groups held back per campaign,
/// and from the run's sidecar (`<list>.meta.json`, written by `klant actions`) budget and capacity use
/// with their shadow prices and the arbitration against greedy.
public enum ActionsSection {
    public static let columns = ["customer_id", "action", "type", "channel", "expected_value", "cost", "reason", "control", "campaign_id"]

    /// Totals per action, channel or campaign. Money counts the contacted (not control) rows only:
    /// control customers are held back, so they cost nothing and bring nothing.
    public struct Totals: Sendable, Equatable {
        public var name: String
        public var treated = 0
        public var control = 0
        /// Σ expected_value: the list's expected value is net of the contact cost.
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
        let sidecarURL = ActionSidecar.location(forList: url)
        let meta = try sidecarURL.map(ActionSidecar.read)
        var section = ReportSection(id: "actions", title: "Next-best actions",
                                    intro: ["From \(url.lastPathComponent): \(NumberFormat.integer(treated + control)) rows, one per customer and action; control rows are held back (not contacted) to measure the effect. Expected values are net of the contact cost and count the contacted customers."])
        section.blocks.append(.metrics([
            Metric("customers contacted", .number(Double(treated), .integer)),
            Metric("in control groups", .number(Double(control), .integer), detail: NumberFormat.percent(Double(control) / Double(max(1, treated + control))) + " of rows"),
            Metric("expected net value", .number(value, .compact), detail: meta.map { "\($0.currency), contacted customers" }),
            Metric("contact cost", .number(cost, .compact)),
        ]))
        section.blocks += listBlocks(actions: actions, channels: channels, campaigns: campaigns)
        if let meta, let sidecarURL, meta.rows != treated + control || meta.control != control {
            section.blocks.append(.note("\(sidecarURL.lastPathComponent) describes \(NumberFormat.integer(meta.rows)) rows (\(NumberFormat.integer(meta.control)) control) but the list has \(NumberFormat.integer(treated + control)) (\(NumberFormat.integer(control)) control): it belongs to another run, so its budgets and shadow prices are left out. Run klant actions again to write both."))
        } else if let meta {
            section.blocks += sidecarBlocks(meta)
        } else {
            section.blocks.append(.note("No .meta.json sidecar next to \(url.lastPathComponent): budget use, shadow prices and the arbitration come from it (klant actions writes it) and are left out."))
        }
        return section
    }

    static func listBlocks(actions: [Totals], channels: [Totals], campaigns: [Totals]) -> [ReportBlock] {
        var blocks: [ReportBlock] = [.table(id: "actions-by-action", title: "By action", totalsTable(actions, name: "action"))]
        blocks.append(.figure(Figure(
            id: "actions-value-cost", title: "Expected net value and cost by action",
            caption: "Sum over each action's contacted customers of the expected net value (response probability x value − cost) and of the contact cost.",
            chart: BarChart(categories: actions.map(\.name), series: [.init(name: "expected net value", values: actions.map(\.expectedValue)),
                                                                       .init(name: "cost", values: actions.map(\.cost))],
                            categoryLabel: "action", valueLabel: "amount", horizontal: true, valueStyle: .compact))))
        blocks.append(.figure(Figure(
            id: "actions-channels", title: "Customers by channel",
            caption: "Contacted and control customers per channel.",
            chart: BarChart(categories: channels.map(\.name), series: [.init(name: "contacted", values: channels.map { Double($0.treated) }),
                                                                        .init(name: "control", values: channels.map { Double($0.control) })],
                            categoryLabel: "channel", valueLabel: "customers", valueStyle: .integer))))
        if !campaigns.isEmpty {
            blocks.append(.table(id: "actions-campaigns", title: "Control groups by campaign", totalsTable(campaigns, name: "campaign")))
        }
        return blocks
    }

    /// Budgets and capacities (use, shadow price), the arbitration, and each action's way from
    /// eligible to contacted with its control share, as the run wrote them.
    static func sidecarBlocks(_ meta: ActionSidecar) -> [ReportBlock] {
        var blocks: [ReportBlock] = []
        let a = meta.arbitration
        var metrics: [Metric] = []
        if let v = a.value { metrics.append(Metric("arbitration value", .number(v, .compact), detail: "\(a.method), \(meta.currency); chosen customers, control included")) }
        if let g = a.greedyValue { metrics.append(Metric("greedy value", .number(g, .compact))) }
        if let u = a.upperBound {
            metrics.append(Metric("upper bound", .number(u, .compact), detail: a.value.map { u > 0 ? NumberFormat.percent($0 / u, decimals: 1) + " of it reached" : "" }))
        }
        blocks.append(.metrics(metrics))
        if !meta.limits.isEmpty {
            var t = DataTable(columns: ["limit", "used", "capacity", "share used", "shadow price"])
            for l in meta.limits {
                t.append([.text(l.name), .number(l.used, .decimals(2)), .number(l.capacity, .decimals(2)),
                          .number(l.capacity > 0 ? l.used / l.capacity : .nan, .percent(1)), l.shadowPrice.map { .number($0, .decimals(4)) } ?? .missing])
            }
            blocks.append(.table(id: "actions-limits", title: "Budgets and capacities: use and shadow prices (\(meta.currency) per unit)", t))
            blocks.append(.figure(Figure(
                id: "actions-budget-use", title: "Budget and capacity use",
                caption: "Share of each budget (contacts or money) and channel capacity the chosen actions use, control customers included (they are chosen, then held back). A limit at 100% binds: its shadow price is what one more unit would add in expected net value.",
                chart: BarChart(categories: meta.limits.map(\.name), series: [.init(name: "share used", values: meta.limits.map { $0.capacity > 0 ? $0.used / $0.capacity : 0 })],
                                categoryLabel: "limit", valueLabel: "share used", horizontal: true, valueStyle: .percent(1), valuePercent: true,
                                reference: ("capacity", 1)))))
            blocks.append(.figure(Figure(
                id: "actions-shadow-prices", title: "Shadow prices",
                caption: "Expected net value (\(meta.currency)) one more unit of each limit would add (the Lagrangian multipliers of the arbitration); 0 for a limit that does not bind.",
                chart: BarChart(categories: meta.limits.map(\.name), series: [.init(name: "shadow price", values: meta.limits.map { $0.shadowPrice ?? 0 })],
                                categoryLabel: "limit", valueLabel: "\(meta.currency) per unit", horizontal: true, valueStyle: .decimals(4)))))
        }
        var funnel = DataTable(columns: ["action", "channel", "eligible", "blocked by contact rules", "positive value", "chosen", "contacted", "control",
                                         "control share", "target control share"])
        for s in meta.actions {
            funnel.append([.text(s.name), .text(s.channel), .number(Double(s.eligible), .integer), .number(Double(s.blocked), .integer),
                           .number(Double(s.positive), .integer), .number(Double(s.chosen), .integer), .number(Double(s.contacted), .integer),
                           .number(Double(s.control), .integer), .number(s.chosen > 0 ? Double(s.control) / Double(s.chosen) : .nan, .percent(1)),
                           .number(s.controlShare, .percent(1))])
        }
        blocks.append(.table(id: "actions-funnel", title: "From eligible to contacted, and the control groups", funnel))
        blocks.append(.figure(Figure(
            id: "actions-control-groups", title: "Control-group sizes by action",
            caption: "Customers chosen for each action, split into contacted and held back as control (a stable hash of customer, action and campaign picks the control share).",
            chart: BarChart(categories: meta.actions.map(\.name), series: [.init(name: "contacted", values: meta.actions.map { Double($0.contacted) }),
                                                                             .init(name: "control", values: meta.actions.map { Double($0.control) })],
                            categoryLabel: "action", valueLabel: "customers", horizontal: true, valueStyle: .integer))))
        let p = meta.contactPolicy
        blocks.append(.note("Contact policy: \(NumberFormat.integer(p.coolDownCustomers)) eligible customers in their cool-down, \(NumberFormat.integer(p.maxContactsCustomers)) at their contact cap, \(NumberFormat.integer(p.repeatOfferPairs)) offers repeated too soon, \(NumberFormat.integer(p.optOutPairs)) offers on opted-out channels."))
        return blocks
    }

    static func totalsTable(_ totals: [Totals], name: String) -> DataTable {
        var t = DataTable(columns: [name, "contacted", "control", "control share", "expected net value", "cost"])
        for r in totals {
            t.append([.text(r.name), .number(Double(r.treated), .integer), .number(Double(r.control), .integer),
                      .number(Double(r.control) / Double(max(1, r.treated + r.control)), .percent(1)),
                      .number(r.expectedValue, .decimals(2)), .number(r.cost, .decimals(2))])
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
        if control {
            totals[i].control += 1
        } else {
            totals[i].treated += 1
            totals[i].expectedValue += value
            totals[i].cost += cost
        }
    }
}

/// The sidecar `klant actions` writes beside its list (`ActionPlan.sidecar` in the Actions module).
public struct ActionSidecar: Decodable, Sendable {
    public struct Action: Decodable, Sendable {
        public var name: String
        public var channel: String
        public var controlShare: Double
        public var eligible: Int
        public var blocked: Int
        public var positive: Int
        public var chosen: Int
        public var contacted: Int
        public var control: Int
        public var expectedNetValue: Double
        public var cost: Double
    }
    public struct Limit: Decodable, Sendable {
        public var name: String
        public var kind: String
        public var capacity: Double
        public var used: Double
        public var shadowPrice: Double?
    }
    public struct Arbitration: Decodable, Sendable {
        public var method: String
        public var value: Double?
        public var greedyValue: Double?
        public var upperBound: Double?
    }
    public struct ContactPolicy: Decodable, Sendable {
        public var coolDownCustomers: Int
        public var maxContactsCustomers: Int
        public var repeatOfferPairs: Int
        public var optOutPairs: Int
    }
    public var formatVersion: Int
    public var currency: String
    public var rows: Int
    public var control: Int
    public var actions: [Action]
    public var limits: [Limit]
    public var arbitration: Arbitration
    public var contactPolicy: ContactPolicy

    /// `<list>.meta.json`, nil when it does not exist.
    public static func location(forList list: URL) -> URL? {
        let url = URL(fileURLWithPath: list.path + ".meta.json")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    public static func read(from url: URL) throws -> ActionSidecar {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let meta: ActionSidecar
        do { meta = try decoder.decode(ActionSidecar.self, from: Data(contentsOf: url)) } catch {
            throw ReportError.input("the action sidecar \(url.path) cannot be read: \(error); give the .meta.json that klant actions wrote next to the list")
        }
        guard meta.formatVersion == 1 else {
            throw ReportError.input("the action sidecar \(url.path) has format_version \(meta.formatVersion); this klant reads version 1: update klant or rerun klant actions")
        }
        return meta
    }
}
