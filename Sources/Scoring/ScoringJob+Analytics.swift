import CustomerData
import Foundation
import Models

/// The segment columns, the value aspects and the tables behind them, added to a scored table.
extension ScoringJob {
    struct Analytics {
        var summary: ValueAnalytics.Summary?
        var aspects: ValueAspects.Summary?
        var channels: ChannelValueTable?
    }

    /// Appends value_segment, rfm_score/rfm_segment (with a purchase history), profit_decile and,
    /// when given, referral/knowledge/recommendation/total value. Segment cuts depend on the whole
    /// base, so a shard takes them from a full run's sidecar (`boundariesFrom`) or leaves them out.
    func appendAnalytics(to table: inout ScoreTable, history: PurchaseHistory?, joined: JoinedColumns?, notes: inout [String]) throws -> Analytics {
        var analytics = Analytics()
        var options = ValueAnalytics.Options(splits: try ValueMatrix.Splits(parsing: valueSplit))
        if let boundariesFrom {
            let previous = try ScoreMetadata.read(from: boundariesFrom)
            guard let thresholds = previous.valueMatrixThresholds, let deciles = previous.profitDecileBoundaries else {
                throw InputError(kind: .missingColumn, file: boundariesFrom.path, problem: "the sidecar has no segment boundaries",
                                 remedy: "give the .meta.json of a full (unsharded) klant score run")
            }
            options.splits = ValueMatrix.Splits(current: .amount(thresholds.current), potential: .amount(thresholds.potential))
            options.rfmBoundaries = previous.rfmBoundaries
            options.decileBoundaries = deciles
        }
        if shard == nil || boundariesFrom != nil {
            let values = try ValueAnalytics(scoreTable: table, history: history, options: options)
            for column in values.columns() { table.append(column) }
            analytics.summary = values.summary
        } else {
            notes.append("segments left out of this shard: their cuts depend on the whole base; give --boundaries-from with the .meta.json of a full run")
        }
        if referrals != nil || knowledgeValues != nil || recommendationValues != nil {
            let links = try referrals.map { try ReferralLinks(table: try CustomerTable(path: $0.path, format: tableFormat)) }
            let aspects = try ValueAspects(customerIDs: table.customerIDs, clv: table.numbers("clv") ?? [], referrals: links,
                                           knowledge: try given(knowledgeValues, joined), recommendation: try given(recommendationValues, joined))
            table.append(.number("referral_value", aspects.referralValue))
            table.append(.number("knowledge_value", aspects.knowledgeValue))
            table.append(.number("recommendation_value", aspects.recommendationValue))
            table.append(.number("total_value", aspects.totalValue))
            analytics.aspects = aspects.summary
        }
        analytics.channels = try appendChannels(to: &table, joined: joined)
        return analytics
    }

    /// channels_used per customer (from a transaction log) or the customer's channel group (from the
    /// customer table), and historic revenue and CLV by channel count or group, measured on the base.
    func appendChannels(to table: inout ScoreTable, joined: JoinedColumns?) throws -> ChannelValueTable? {
        guard let channelColumn else { return nil }
        let revenue = table.numbers("historic_revenue") ?? [], clv = table.numbers("clv")
        if let channelLog {
            let log = try CustomerTable(path: channelLog.path, format: tableFormat)
            let usage = try ChannelUsage(customers: table.customerIDs, transactionCustomers: try log.column(named: channelLogCustomerColumn),
                                         transactionChannels: try log.column(named: channelColumn), lines: log.lineNumbers, source: channelLog.path)
            table.append(.integer("channels_used", usage.channelsUsed))
            return try ChannelValueTable(channelsUsed: usage.channelsUsed, revenue: revenue, clv: clv)
        }
        guard let joined else {
            throw ModelError.invalidData("the channel column \(channelColumn) comes from a customer table (--customers) or a transaction log (--channel-log)")
        }
        let groups = try joined.columns.texts(channelColumn, rows: joined.rows)
        table.append(.text("channel", groups))
        return try ChannelValueTable(groups: groups, revenue: revenue, clv: clv)
    }

    /// Per-unit values (`reviews=2.5,feedback=10`) times the joined customer-table counts.
    func given(_ list: String?, _ joined: JoinedColumns?) throws -> [ValueAspects.Given] {
        guard let list else { return [] }
        return try ValueComponent.parseList(list).map { component in
            ValueAspects.Given(component: component, counts: try joinedNumbers(component.column, joined))
        }
    }
}
