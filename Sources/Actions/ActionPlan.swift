import CustomerData
import Foundation
import Store

/// The outcome of a run: the chosen rows in order of expected net value, the arbitration, counts
/// per action, the contact-policy exclusions, and the writers for the list, the summary and the
/// contact history.
public struct ActionPlan: Sendable {
    /// Counts and money per action (expected value and cost of the contacted rows, control excluded).
    public struct ActionStats: Sendable, Equatable {
        public var name: String
        /// Customers the eligibility rule admits.
        public var eligible = 0
        /// Of those, blocked by the contact policy or an opt-out.
        public var blocked = 0
        /// Of those, without a response score (not in the customer table the model scored).
        public var unscored = 0
        /// Allowed with a positive expected net value.
        public var positive = 0
        public var chosen = 0
        public var control = 0
        public var expectedValue = 0.0
        public var cost = 0.0

        public init(name: String) { self.name = name }
    }

    /// Who the contact policy kept out, and why.
    public struct Exclusions: Sendable, Equatable {
        /// Eligible customers in their cool-down after a recent contact.
        public var coolDownCustomers = 0
        /// Eligible customers at their contact cap.
        public var maxContactsCustomers = 0
        /// (customer, action) pairs offered too recently.
        public var repeatOfferPairs = 0
        /// (customer, action) pairs on an opted-out channel.
        public var optOutPairs = 0
        /// History rows read in the policy's look-back window.
        public var historyRowsRead = 0
    }

    public var catalog: ActionCatalog
    public var campaignID: String
    public var asOf: CalendarDay
    public var ids: [String]
    public var table: RuleTable
    public var rows: [ActionRow]
    public var responseLabels: [String]
    public var assignment: Assignment
    public var limits: [ResourceLimit]
    public var actionStats: [ActionStats]
    public var exclusions: Exclusions
    public var missingFromCustomers: Int

    public static let header = ["customer_id", "action", "type", "channel", "expected_value", "cost", "response_probability", "value",
                                "control", "campaign_id", "as_of", "reason"]

    /// Streams the list (CSV with formula-safe text cells, or JSON lines; `-` = standard output)
    /// and publishes it atomically.
    public func write(to path: String, format: TableFormat? = nil) throws {
        let out = try TableWriter(path: path, header: Self.header, format: format)
        try out.append(contentsOf: cells)
        try out.commit()
    }

    /// The list's rows under `header`, in order, for any sink (a file, a database table). Reasons are
    /// made on every core a block at a time; a block is made when the sink reaches it.
    public var cells: some Sequence<[CSVCell]> {
        let asOfText = asOf.description
        let block = 65_536
        return stride(from: 0, to: rows.count, by: block).lazy.flatMap { start -> [[CSVCell]] in
            let slice = rows[start..<min(rows.count, start + block)]
            let reasons = CustomerChunks.map(slice.count, size: 4_096) { range in range.map { reason(slice[slice.startIndex + $0]) } }.joined()
            return zip(slice, reasons).map { row, reason in
                let action = catalog.actions[row.action]
                return [.text(ids[row.customer]), .text(action.name), .text(action.type.rawValue), .text(action.channel),
                        .number(Self.cents(row.expectedValue)), .number(Self.cents(action.cost)), .number(row.probability),
                        .number(Self.cents(row.value)),
                        .text(row.control ? "true" : "false"), .text(campaignID), .text(asOfText), .text(reason)]
            }
        }
    }

    /// The rows as contact-history records (control rows included, flagged).
    public func contactRecords() -> [ContactRecord] {
        rows.map { row in
            let action = catalog.actions[row.action]
            return ContactRecord(campaignID: campaignID, date: asOf.description, customerID: ids[row.customer], action: action.name,
                                 channel: action.channel, control: row.control, expectedValue: row.expectedValue)
        }
    }

    /// A sentence a marketer can read: "churn risk 72%, CLV EUR 840: retention-call by phone,
    /// expected net value EUR 190 (response 25%)".
    public func reason(_ row: ActionRow) -> String {
        let action = catalog.actions[row.action], i = row.customer, currency = catalog.currency
        var facts: [String] = []
        if action.type == .retention, let churn = table.numbers("churn_probability")?[i], churn.isFinite {
            facts.append("churn risk \(Self.percent(churn))")
        }
        if let clv = table.numbers("clv")?[i], clv.isFinite { facts.append("CLV \(currency) \(Self.money(clv))") }
        if action.type != .retention, case .text(let segments)? = table.columns["value_segment"], !segments[i].isEmpty {
            facts.append("segment \(segments[i])")
        }
        let what = action.type == .retention ? "\(action.name) by \(action.channel)" : "\(action.name) (\(action.type.rawValue)) by \(action.channel)"
        var s = facts.isEmpty ? what : facts.joined(separator: ", ") + ": " + what
        s += ", expected net value \(currency) \(Self.money(row.expectedValue)) (\(responseLabels[row.action]) \(Self.percent(row.probability)))"
        if row.control { s += "; held out as control, not contacted" }
        return s
    }

    static func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }

    static func right(_ s: CustomStringConvertible, _ width: Int) -> String {
        let t = s.description
        return t.count >= width ? " " + t : String(repeating: " ", count: width - t.count) + t
    }

    /// Money rounded to cents, as the list and the sidecar write it (97.58500000000001 → 97.59;
    /// never -0).
    public static func cents(_ x: Double) -> Double {
        guard x.isFinite else { return x }
        return (x * 100).rounded() / 100 + 0.0
    }

    /// Whole units from 100 up, else cents.
    static func money(_ x: Double) -> String {
        if abs(x) >= 100 { return String(Int(x.rounded())) }
        let cents = Int((x * 100).rounded())
        let whole = abs(cents) / 100, frac = abs(cents) % 100
        return (cents < 0 ? "-" : "") + "\(whole)." + (frac < 10 ? "0" : "") + "\(frac)"
    }

    /// Whole percent from 10% up, else one decimal.
    static func percent(_ p: Double) -> String {
        let x = p * 100
        if abs(x) >= 10 { return "\(Int(x.rounded()))%" }
        let tenths = Int((x * 10).rounded())
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)%"
    }

    /// The printed summary: per action, per limit (use and shadow price), exclusions, and the
    /// arbitration against greedy and its upper bound.
    public var summary: String {
        let c = catalog.currency
        func f(_ x: Double) -> String { String(format: "%.2f", x) }
        let customers = Set(rows.map(\.customer)).count
        let contacts = customers == rows.count ? "" : ", \(rows.count) actions (at most \(catalog.maxActionsPerCustomer) each)"
        var lines = ["\(customers) customers chosen of \(ids.count) scored\(contacts) (campaign \(campaignID), as of \(asOf))", ""]
        lines.append("action                 type        channel   eligible  blocked  positive   chosen  control  expected value (\(c))  cost (\(c))")
        for (a, s) in actionStats.enumerated() {
            let action = catalog.actions[a]
            lines.append(Self.pad(s.name, 22) + " " + Self.pad(action.type.rawValue, 11) + " " + Self.pad(action.channel, 8)
                         + Self.right(s.eligible, 10) + Self.right(s.blocked, 9) + Self.right(s.positive, 10) + Self.right(s.chosen, 9)
                         + Self.right(s.control, 9) + Self.right(f(s.expectedValue), 22) + Self.right(f(s.cost), 12))
        }
        var channels: [String: (chosen: Int, control: Int, value: Double, cost: Double)] = [:]
        for (a, s) in actionStats.enumerated() {
            let ch = catalog.actions[a].channel
            var t = channels[ch] ?? (0, 0, 0, 0)
            t.chosen += s.chosen; t.control += s.control; t.value += s.expectedValue; t.cost += s.cost
            channels[ch] = t
        }
        lines.append("")
        lines.append("channel   chosen  control  expected value (\(c))  cost (\(c))")
        for (ch, t) in channels.sorted(by: { $0.key < $1.key }) {
            lines.append(Self.pad(ch, 8) + Self.right(t.chosen, 8) + Self.right(t.control, 9) + Self.right(f(t.value), 22) + Self.right(f(t.cost), 12))
        }
        if !limits.isEmpty {
            lines.append("")
            lines.append("limit                                   used / capacity   shadow price (\(c) per unit)")
            for (r, limit) in limits.enumerated() {
                lines.append(Self.pad(limit.name, 38) + Self.right(f(assignment.usage[r]), 10) + " / " + Self.pad(f(limit.capacity), 10)
                             + "   " + String(format: "%.4f", assignment.shadowPrices[r]))
            }
        }
        lines.append("")
        lines.append("arbitration: expected net value \(f(assignment.value)) (\(assignment.method); Lagrangian \(f(assignment.lagrangianValue)), greedy \(f(assignment.greedyValue)), upper bound \(f(assignment.upperBound)))")
        let e = exclusions
        lines.append("contact policy: \(e.coolDownCustomers) eligible customers in cool-down, \(e.maxContactsCustomers) at their contact cap, "
                     + "\(e.repeatOfferPairs) offers repeated too soon, \(e.optOutPairs) offers on opted-out channels (\(e.historyRowsRead) history rows read)")
        if missingFromCustomers > 0 { lines.append("\(missingFromCustomers) scored customers are not in the customer table (their customer columns are empty)") }
        return lines.joined(separator: "\n")
    }
}
