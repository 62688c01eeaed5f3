import CustomerData
import Foundation

/// The run's summary as JSON beside the action list (`<out>.meta.json`), for the report and for
/// audits: per action and channel the counts and money, each limit's use, capacity and shadow price,
/// the control groups, the arbitration's value against greedy and its upper bound, and who the contact
/// policy kept out. Money is in the catalog's currency, rounded to cents (shadow prices to 4
/// decimals, as the printed summary); expected values are net of the contact cost,
/// as in the action list, and count the contacted rows only (control rows are not contacted).
extension ActionPlan {
    public static let sidecarFormatVersion = 1

    /// Contacted and control customers and money per channel, channels sorted by name.
    public struct ChannelStats: Sendable, Equatable {
        public var channel: String
        public var chosen = 0
        public var control = 0
        public var expectedValue = 0.0
        public var cost = 0.0
    }

    public var channelStats: [ChannelStats] {
        var byChannel: [String: ChannelStats] = [:]
        for (a, s) in actionStats.enumerated() {
            let channel = catalog.actions[a].channel
            var t = byChannel[channel] ?? ChannelStats(channel: channel)
            t.chosen += s.chosen; t.control += s.control; t.expectedValue += s.expectedValue; t.cost += s.cost
            byChannel[channel] = t
        }
        return byChannel.values.sorted { $0.channel < $1.channel }
    }

    /// The sidecar as a JSON object.
    public var sidecar: [String: Any] {
        let actions: [[String: Any]] = actionStats.enumerated().map { a, s in
            let action = catalog.actions[a]
            return ["name": action.name, "type": action.type.rawValue, "channel": action.channel, "unit_cost": Self.cents(action.cost),
                    "control_share": action.controlShare, "eligible": s.eligible, "blocked": s.blocked, "unscored": s.unscored,
                    "positive": s.positive, "chosen": s.chosen, "contacted": s.chosen - s.control, "control": s.control,
                    "expected_net_value": Self.cents(s.expectedValue), "cost": Self.cents(s.cost)]
        }
        let channels: [[String: Any]] = channelStats.map {
            ["channel": $0.channel, "chosen": $0.chosen, "contacted": $0.chosen - $0.control, "control": $0.control,
             "expected_net_value": Self.cents($0.expectedValue), "cost": Self.cents($0.cost)]
        }
        let limits: [[String: Any]] = self.limits.enumerated().map { r, limit in
            ["name": limit.name, "kind": limit.kind.rawValue, "capacity": Self.cents(limit.capacity), "used": Self.cents(assignment.usage[r]),
             "shadow_price": Self.json((assignment.shadowPrices[r] * 10_000).rounded() / 10_000)]
        }
        let control = actionStats.reduce(0) { $0 + $1.control }
        return [
            "format_version": Self.sidecarFormatVersion, "kind": "actions", "campaign_id": campaignID, "as_of": asOf.description,
            "currency": catalog.currency, "customers_scored": ids.count, "rows": rows.count,
            "contacted": rows.count - control, "control": control,
            "actions": actions, "channels": channels, "limits": limits,
            "arbitration": ["method": assignment.method, "value": Self.json(Self.cents(assignment.value)),
                            "lagrangian_value": Self.json(Self.cents(assignment.lagrangianValue)),
                            "greedy_value": Self.json(Self.cents(assignment.greedyValue)), "upper_bound": Self.json(Self.cents(assignment.upperBound))] as [String: Any],
            "contact_policy": ["cool_down_customers": exclusions.coolDownCustomers, "max_contacts_customers": exclusions.maxContactsCustomers,
                               "repeat_offer_pairs": exclusions.repeatOfferPairs, "opt_out_pairs": exclusions.optOutPairs,
                               "history_rows_read": exclusions.historyRowsRead],
            "missing_from_customers": missingFromCustomers,
        ]
    }

    /// A number JSON can hold (null for infinities and NaN).
    static func json(_ x: Double) -> Any { x.isFinite ? x : NSNull() }

    /// Writes the sidecar atomically (pretty, sorted keys).
    public func writeSidecar(to url: URL) throws {
        let data = try JSONSerialization.data(withJSONObject: sidecar, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try AtomicFile.write(data + Data("\n".utf8), to: url)
    }

    /// Where the sidecar of the action list at `path` goes (nil for standard output).
    public static func sidecarPath(forList path: String) -> String? { path == "-" ? nil : path + ".meta.json" }
}
