import CustomerData
import Foundation
import Testing
@testable import Scoring

@Suite struct RFMScoresTests {
    /// The CDNOW sample's calibration summary (x, t_x, T, zbar): 2,357 customers, 1,411 without
    /// repeat purchases, so frequency and monetary value are heavily tied.
    static func cdnow() throws -> (f: [Double], r: [Double], T: [Double], m: [Double]) {
        let t = try CustomerTable(contentsOf: valuePackageRoot.appendingPathComponent("datasets/cdnow_customers_summary_with_transactions.csv"))
        func col(_ name: String) throws -> [Double] { try t.column(named: name).map { Double($0)! } }
        return (try col("x"), try col("t_x"), try col("T"), try col("zbar"))
    }

    @Test func scoresMatchPandasMinRankQuintilesOnCDNOW() throws {
        let d = try Self.cdnow()
        let s = try RFMScores(frequency: d.f, recency: d.r, T: d.T, monetaryValue: d.m)
        struct Peer: Decodable { var r: [Int], f: [Int], m: [Int] }
        let path = try writeValueCSV([("frequency", d.f), ("recency", d.r), ("T", d.T), ("monetary_value", d.m)])
        let peer = try runValuePeer(Peer.self, ["rfm", path])
        #expect(s.recency.map(Int.init) == peer.r)
        #expect(s.frequency.map(Int.init) == peer.f)
        #expect(s.monetary.map(Int.init) == peer.m)
        // The 1,411 customers without repeat purchases share frequency score 1; F = 2 is empty
        // (the counts quoted in docs/scoring.md).
        #expect(d.f.indices.filter { d.f[$0] == 0 }.allSatisfy { s.frequency[$0] == 1 })
        #expect((1...5).map { f in s.frequency.filter { $0 == f }.count } == [1411, 0, 439, 214, 293])
        #expect((1...5).map { r in s.recency.filter { $0 == r }.count } == [480, 478, 459, 475, 465])
    }

    @Test func equalValuesGetEqualScores() throws {
        let d = try Self.cdnow()
        let s = try RFMScores(frequency: d.f, recency: d.r, T: d.T, monetaryValue: d.m)
        var scoreOf = [Double: UInt8]()
        for i in d.m.indices {
            if let seen = scoreOf[d.m[i]] { #expect(seen == s.monetary[i]) } else { scoreOf[d.m[i]] = s.monetary[i] }
        }
        // Scores never decrease with the value.
        let order = d.m.indices.sorted { d.m[$0] < d.m[$1] }
        #expect(zip(order, order.dropFirst()).allSatisfy { s.monetary[$0.0] <= s.monetary[$0.1] })
    }

    @Test func shufflingRowsGivesTheSamePerCustomerScores() throws {
        let d = try Self.cdnow()
        let s = try RFMScores(frequency: d.f, recency: d.r, T: d.T, monetaryValue: d.m)
        var g = SeededValues(seed: 42)
        for _ in 0..<3 {
            let p = g.permutation(d.f.count)
            let t = try RFMScores(frequency: p.map { d.f[$0] }, recency: p.map { d.r[$0] }, T: p.map { d.T[$0] },
                                  monetaryValue: p.map { d.m[$0] })
            #expect(p.indices.allSatisfy { t.code(at: $0) == s.code(at: p[$0]) && t.segments[$0] == s.segments[p[$0]] })
        }
    }

    @Test func distinctValuesFillEqualQuintiles() throws {
        // 10 distinct values: two customers per score; the most recent buyer scores R = 5.
        let n = 10
        let f = (0..<n).map(Double.init)
        let s = try RFMScores(frequency: f, recency: f, T: [Double](repeating: 9, count: n), monetaryValue: f.reversed())
        #expect(s.frequency == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        #expect(s.recency == s.frequency)
        #expect(s.monetary == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1])
        #expect(s.scoreText(at: 9) == "551" && s.code(at: 0) == 115)
    }

    @Test func theStandardMapIsTheDocumentedTable() {
        let rows: [[String]] = [
            ["lost", "hibernating", "at_risk", "at_risk", "cannot_lose"],
            ["hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"],
            ["about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"],
            ["promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"],
            ["new", "potential_loyalist", "potential_loyalist", "champions", "champions"],
        ]
        for r in 1...5 {
            for f in 1...5 { #expect(RFMSegmentMap.standard.segment(recency: r, frequency: f).rawValue == rows[r - 1][f - 1]) }
        }
        #expect(Set(RFMSegmentMap.standard.grid) == Set(RFMSegment.allCases))
    }

    @Test func segmentCountsAddUpAndListEverySegment() throws {
        let d = try Self.cdnow()
        let s = try RFMScores(frequency: d.f, recency: d.r, T: d.T, monetaryValue: d.m)
        let counts = s.segmentCounts()
        #expect(counts.map(\.segment) == RFMSegment.allCases)
        #expect(counts.map(\.customers).reduce(0, +) == d.f.count)
        for c in counts { #expect(c.customers == s.segments.filter { $0 == c.segment }.count) }
        let data = try JSONEncoder().encode(counts)
        #expect(String(decoding: data, as: UTF8.self).contains("\"segment\":\"potential_loyalist\""))
        #expect(try JSONDecoder().decode([RFMScores.SegmentCount].self, from: data) == counts)
    }

    @Test func aCustomMapIsUsedAndABadOneRefused() throws {
        let all = [[RFMSegment]](repeating: [RFMSegment](repeating: .loyal, count: 5), count: 5)
        let s = try RFMScores(frequency: [0, 1], recency: [0, 1], T: [2, 2], monetaryValue: [1, 1], map: try RFMSegmentMap(rows: all))
        #expect(s.segments == [.loyal, .loyal])
        #expect(throws: InputError.self) { try RFMSegmentMap(rows: [[.loyal]]) }
    }

    @Test func badInputsAreClearErrors() {
        #expect(throws: InputError.self) { try RFMScores(frequency: [], recency: [], T: [], monetaryValue: []) }
        #expect(throws: InputError.self) { try RFMScores(frequency: [1, 2], recency: [1], T: [3, 3], monetaryValue: [1, 1]) }
        do {
            _ = try RFMScores(frequency: [1, 2], recency: [1, 4], T: [3, 3], monetaryValue: [1, 1])
            Issue.record("recency > T accepted")
        } catch {
            #expect("\(error)".contains("customer number 2") && "\(error)".contains("recency"))
        }
        do {
            _ = try RFMScores(frequency: [1, 2], recency: [1, 1], T: [3, 3], monetaryValue: [1, .nan])
            Issue.record("NaN accepted")
        } catch {
            #expect("\(error)".contains("monetary_value"))
        }
    }
}
