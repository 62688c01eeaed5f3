import CustomerData
import Foundation
import Testing
@testable import Scoring

@Suite struct ValueAnalyticsTests {
    /// The CDNOW sample with an invented economics: revenue = (x + 1)·zbar, net = 30% of it less a
    /// 5.00 acquisition cost, CLV growing with x and zbar.
    static func base() throws -> (history: PurchaseHistory, revenue: [Double], net: [Double], clv: [Double]) {
        let d = try RFMScoresTests.cdnow()
        let revenue = d.f.indices.map { (d.f[$0] + 1) * d.m[$0] }
        let net = revenue.map { 0.3 * $0 - 5 }
        let clv = d.f.indices.map { 0.3 * d.m[$0] * d.f[$0] * d.r[$0] / d.T[$0] }
        return (PurchaseHistory(frequency: d.f, recency: d.r, T: d.T, monetaryValue: d.m), revenue, net, clv)
    }

    @Test func theOneCallEqualsThePieces() throws {
        let b = try Self.base()
        let options = ValueAnalytics.Options(splits: try .init(parsing: "current=q0.8"))
        let a = try ValueAnalytics(historicRevenue: b.revenue, historicNetValue: b.net, clv: b.clv, history: b.history, options: options)
        let matrix = try ValueMatrix(historicNetValue: b.net, clv: b.clv, splits: options.splits)
        let rfm = try RFMScores(frequency: b.history.frequency, recency: b.history.recency, T: b.history.T,
                                monetaryValue: b.history.monetaryValue)
        #expect(a.matrix.segments == matrix.segments && a.rfm!.codes == rfm.codes && a.rfm!.segments == rfm.segments)
        #expect(a.profitDeciles == (try ProfitDecile.deciles(netValue: b.net)))
        #expect(a.profitability == (try ProfitabilityPicture(revenue: b.revenue, netValue: b.net)))
        #expect(a.columns().map(\.name) == ["value_segment", "rfm_score", "rfm_segment", "profit_decile"])
    }

    @Test func aShardWithTheFullBaseCutsGetsTheFullBaseCells() throws {
        let b = try Self.base()
        let full = try ValueAnalytics(historicRevenue: b.revenue, historicNetValue: b.net, clv: b.clv, history: b.history)
        let rows = Array(stride(from: 0, to: b.net.count, by: 4))
        func pick(_ v: [Double]) -> [Double] { rows.map { v[$0] } }
        let options = ValueAnalytics.Options(
            splits: .init(current: .amount(full.matrix.currentThreshold), potential: .amount(full.matrix.potentialThreshold)),
            rfmBoundaries: full.rfm!.boundaries, decileBoundaries: full.profitDecileBoundaries)
        let shard = try ValueAnalytics(historicRevenue: pick(b.revenue), historicNetValue: pick(b.net), clv: pick(b.clv),
                                       history: PurchaseHistory(frequency: pick(b.history.frequency), recency: pick(b.history.recency),
                                                                T: pick(b.history.T), monetaryValue: pick(b.history.monetaryValue)),
                                       options: options)
        for (k, i) in rows.enumerated() {
            #expect(shard.matrix.segments[k] == full.matrix.segments[i])
            #expect(shard.rfm!.code(at: k) == full.rfm!.code(at: i) && shard.profitDeciles[k] == full.profitDeciles[i])
        }
    }

    @Test func aScoreTableIsReadByColumnName() throws {
        let b = try Self.base()
        var table = ScoreTable(customerIDs: b.net.indices.map { "c\($0)" })
        table.append(.number("historic_revenue", b.revenue))
        table.append(.number("historic_net_value", b.net))
        table.append(.number("clv", b.clv))
        let fromTable = try ValueAnalytics(scoreTable: table, history: b.history)
        let direct = try ValueAnalytics(historicRevenue: b.revenue, historicNetValue: b.net, clv: b.clv, history: b.history)
        #expect(fromTable.summary == direct.summary && fromTable.profitDeciles == direct.profitDeciles)
        var partial = ScoreTable(customerIDs: ["a"])
        partial.append(.number("clv", [1]))
        do {
            _ = try ValueAnalytics(scoreTable: partial)
            Issue.record("accepted")
        } catch { #expect("\(error)".contains("historic_revenue")) }
    }

    @Test func aContractualBaseHasNoRFMColumns() throws {
        let a = try ValueAnalytics(historicRevenue: [100, 50, 10], historicNetValue: [30, 5, -4], clv: [200, 20, 1])
        #expect(a.rfm == nil && a.columns().map(\.name) == ["value_segment", "profit_decile"])
        let json = String(decoding: try JSONEncoder().encode(a.summary), as: UTF8.self)
        #expect(!json.contains("rfm_segments"))
    }

    @Test func theSidecarSummaryHasTheContractKeysAndRoundTrips() throws {
        let b = try Self.base()
        let a = try ValueAnalytics(historicRevenue: b.revenue, historicNetValue: b.net, clv: b.clv, history: b.history)
        let data = try JSONEncoder().encode(a.summary)
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        for key in ["value_matrix", "value_matrix_thresholds", "rfm_segments", "rfm_boundaries", "profit_decile_boundaries", "profitability"] {
            #expect(object[key] != nil, "\(key)")
        }
        let quadrant = (object["value_matrix"] as! [[String: Any]])[0]
        #expect(quadrant["segment"] as? String == "top" && quadrant["customers"] != nil && quadrant["value_share"] != nil)
        #expect(try JSONDecoder().decode(ValueAnalytics.Summary.self, from: data) == a.summary)
    }

    @Test func theColumnsWriteAsScoreTableCells() throws {
        let b = try Self.base()
        let a = try ValueAnalytics(historicRevenue: b.revenue, historicNetValue: b.net, clv: b.clv, history: b.history)
        var table = ScoreTable(customerIDs: b.net.indices.map { "c\($0 + 1)" })
        for column in a.columns() { table.append(column) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("klant-segments-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try table.write(to: url.path)
        let back = try CustomerTable(contentsOf: url)
        #expect(back.columnNames == ["customer_id", "value_segment", "rfm_score", "rfm_segment", "profit_decile"])
        #expect(try back.column(named: "rfm_score") == a.rfm!.codes.map(String.init))
        #expect(try back.column(named: "profit_decile") == a.profitDeciles.map { String($0) })
        #expect(try back.column(named: "value_segment") == a.matrix.segments.map(\.rawValue))
    }

    @Test func theFirstNaNOrInfinityIsFoundInAnyBlockAndFiniteExtremesPass() throws {
        let finite = [0.0, -0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        let base = (0..<3_000).map { finite[$0 % finite.count] * (Double($0 % 7 + 1) / 7) }
        #expect(ValueChecks.firstNonFinite(base) == nil)
        #expect(ValueChecks.firstNonFinite([]) == nil)
        for bad in [Double.nan, -.nan, .infinity, -.infinity, .signalingNaN] {
            for position in [0, 1_023, 1_024, 2_047, 2_999] {
                var values = base
                values[position] = bad
                values[min(position + 5, 2_999)] = .infinity   // a later one is not the first
                #expect(ValueChecks.firstNonFinite(values) == position, "\(bad) at \(position)")
            }
        }
        var values = base
        values[1_500] = .nan
        #expect(throws: InputError.self) { try ValueChecks.requireFinite(values, "clv") }
    }
}
