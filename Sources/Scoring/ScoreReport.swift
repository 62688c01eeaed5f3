import Foundation

/// The text `klant score` prints after scoring: the profitability picture and the value matrix,
/// measured on the scored base (never assumed).
public enum ScoreReport {
    public static func text(_ metadata: ScoreMetadata) -> String {
        var lines = ["scored \(metadata.customers) customers (\(metadata.setting))"]
        if let p = metadata.profitability {
            lines.append("profitability (historic net value):")
            lines.append("  top \(percent(p.revenueTopFraction)) of customers bring \(percent(p.revenueShareTop)) of revenue; top \(percent(p.profitTopFraction)) make \(percent(p.profitShareTop)) of profit")
            lines.append("  \(p.profitableCustomers) profitable (\(percent(p.profitableShare))), \(p.breakEvenCustomers) break even (\(percent(p.breakEvenShare))), \(p.lossMakingCustomers) lose money (\(percent(p.lossMakingShare)), \(money(p.lossAmount)) in all)")
            lines.append("  Gini of revenue \(String(format: "%.3f", p.gini))")
        }
        if let matrix = metadata.valueMatrix, let t = metadata.valueMatrixThresholds {
            lines.append("value matrix (current = historic net value above \(money(t.current)) [\(t.currentSplit)], potential = CLV above \(money(t.potential)) [\(t.potentialSplit)]):")
            for q in matrix {
                lines.append("  " + q.segment.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                             + "\(q.customers) customers (\(percent(q.customerShare))), \(percent(q.valueShare)) of CLV")
            }
        }
        if let rfm = metadata.rfmSegments {
            lines.append("RFM segments: " + rfm.filter { $0.customers > 0 }.map { "\($0.segment.rawValue) \($0.customers)" }.joined(separator: ", "))
        }
        if let channels = metadata.channelValue {
            lines.append("value by channel (measured on this base):")
            for row in channels.rows {
                lines.append("  " + row.group.padding(toLength: 14, withPad: " ", startingAt: 0)
                             + "\(row.customers) customers, mean historic revenue \(money(row.meanRevenue))"
                             + (row.meanCLV.map { ", mean CLV \(money($0))" } ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f%%", 100 * share) }
    static func money(_ amount: Double) -> String { String(format: "%.2f", amount) }
}
