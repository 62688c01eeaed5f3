import CustomerData
import Foundation
import Testing
@testable import Scoring

@Suite struct ChannelValueTests {
    @Test func channelsUsedCountsDistinctChannelsPerCustomer() throws {
        let u = try ChannelUsage(customers: ["a", "b", "c"],
                                 transactionCustomers: ["a", "a", "b", "a", "b", "x"],
                                 transactionChannels: ["web", "shop", "web", " web ", "web", "phone"])
        #expect(u.channels == ["phone", "shop", "web"])
        #expect(u.channelsUsed == [2, 1, 0])
        #expect(u.masks == [0b110, 0b100, 0])
        #expect(u.unmatchedTransactions == 1)
    }

    @Test func aBlankChannelNamesTheLine() {
        do {
            _ = try ChannelUsage(customers: [1], transactionCustomers: [1, 1], transactionChannels: ["web", " "],
                                 lines: [10, 11], source: "tx.csv")
            Issue.record("accepted")
        } catch { #expect("\(error)".contains("tx.csv:11") && "\(error)".contains("blank")) }
        #expect(throws: InputError.self) { try ChannelUsage(customers: [1], transactionCustomers: [1], transactionChannels: []) }
    }

    @Test func theTableByChannelsMatchesAHandCount() throws {
        let t = try ChannelValueTable(channelsUsed: [1, 2, 1, 2, 3, 1], revenue: [10, 40, 20, 60, 100, 30],
                                      clv: [1, 2, 3, 4, 5, 6])
        #expect(t.rows.map(\.group) == ["1", "2", "3"])
        #expect(t.rows.map(\.customers) == [3, 2, 1])
        #expect(t.rows.map(\.meanRevenue) == [20, 50, 100] && t.rows.map(\.medianRevenue) == [20, 50, 100])
        #expect(t.rows.map(\.meanCLV) == [10.0 / 3, 3, 5] && t.rows.map(\.medianCLV) == [3, 3, 5])
        #expect(abs(t.rows.map(\.customerShare).reduce(0, +) - 1) < 1e-12)
        let noCLV = try ChannelValueTable(channelsUsed: [1], revenue: [1])
        #expect(noCLV.rows[0].meanCLV == nil)
    }

    /// Hillstrom's customers (64,000; `channel` Phone/Web/Multichannel, `history` = last year's
    /// spend, `spend` = the next two weeks) by channel and by number of channels, against pandas'
    /// groupby to 1e-9 relative.
    @Test func hillstromByChannelMatchesPandas() throws {
        let url = valuePackageRoot.appendingPathComponent("datasets/hillstrom.csv")
        let table = try CustomerTable(contentsOf: url)
        let channel = try table.column(named: "channel")
        let history = try table.column(named: "history").map { Double($0)! }
        let spend = try table.column(named: "spend").map { Double($0)! }
        let byLabel = try ChannelValueTable(groups: channel, revenue: history, clv: spend)
        let byCount = try ChannelValueTable(channelsUsed: channel.map { $0 == "Multichannel" ? 2 : 1 }, revenue: history, clv: spend)
        let peer = try runValuePeer([String: [String: [Double]]].self, ["channels", url.path])
        for (table, key) in [(byLabel, "channel"), (byCount, "channels_used")] {
            let expected = try #require(peer[key])
            #expect(table.rows.map(\.group) == expected.keys.sorted())
            for row in table.rows {
                let e = try #require(expected[row.group])
                #expect(Double(row.customers) == e[0])
                #expect(nearlyEqual(row.meanRevenue, e[1], 1e-9) && nearlyEqual(row.medianRevenue, e[2], 1e-9))
                #expect(nearlyEqual(row.meanCLV!, e[3], 1e-9) && nearlyEqual(row.medianCLV!, e[4], 1e-9))
            }
        }
        // Measured, not assumed: on Hillstrom the multichannel customers spent the most last year.
        let multi = byLabel.rows.first { $0.group == "Multichannel" }!
        #expect(byLabel.rows.allSatisfy { $0.meanRevenue <= multi.meanRevenue })
        #expect(byCount.rows.map(\.customers).reduce(0, +) == 64_000)
    }

    @Test func badTableInputsAreErrors() {
        #expect(throws: InputError.self) { try ChannelValueTable(channelsUsed: [], revenue: []) }
        #expect(throws: InputError.self) { try ChannelValueTable(channelsUsed: [1, 2], revenue: [1]) }
        #expect(throws: InputError.self) { try ChannelValueTable(channelsUsed: [-1, 2], revenue: [1, 2]) }
        #expect(throws: InputError.self) { try ChannelValueTable(groups: ["a"], revenue: [.nan]) }
        #expect(throws: InputError.self) { try ChannelValueTable(groups: ["a"], revenue: [1], clv: [1, 2]) }
    }
}
