import CustomerData
import Foundation
import Testing
@testable import Scoring

@Suite struct ValueAspectsTests {
    static func links(_ csv: String) throws -> ReferralLinks {
        try ReferralLinks(table: try CustomerTable(csv: Data(csv.utf8), source: "referrals.csv"))
    }

    @Test func aSmallBuyerWhoBringsInManyCustomersRanksAsValuable() throws {
        // Customer "ambassador" buys little (CLV 5) but brought in 6 customers worth 40 each.
        let ids = ["ambassador", "big", "mid"] + (1...6).map { "r\($0)" } + ["lone"]
        let clv: [Double] = [5, 150, 90] + [Double](repeating: 40, count: 6) + [10]
        let csv = "customer_id,referred_by\n" + (1...6).map { "r\($0),ambassador\n" }.joined() + "big,\nmid,big\n"
        let aspects = try ValueAspects(customerIDs: ids, clv: clv, referrals: try Self.links(csv))
        #expect(aspects.referralValue[0] == 240 && aspects.referredCustomers[0] == 6)
        #expect(aspects.referralValue[1] == 90 && aspects.referredCustomers[1] == 1)
        #expect(aspects.totalValue[0] == 245)
        let byTotal = ids.indices.sorted { aspects.totalValue[$0] > aspects.totalValue[$1] }
        #expect(ids[byTotal[0]] == "ambassador")
        // By CLV alone the ambassador is among the least valuable.
        #expect(clv.filter { $0 < clv[0] }.isEmpty)
        let summary = aspects.summary
        #expect(summary.referralLinks == 7 && summary.referrers == 2 && summary.ignoredLinks == 0)
        #expect(summary.referralValue == 330 && summary.totalValue == clv.reduce(0, +) + 330)
        let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        #expect(json.contains("\"referral_links\":7"))
    }

    @Test func eachReferredCustomerIsCountedOnce() throws {
        let l = try Self.links("customer_id,referred_by\nb,a\nb,a\n b ,a\nc,a\n")
        #expect(l.count == 2 && l.lines == [2, 5])
        let v = try ValueAspects(customerIDs: ["a", "b", "c"], clv: [1, 10, 100], referrals: l)
        #expect(v.referralValue == [110, 0, 0] && v.referredCustomers == [2, 0, 0])
    }

    @Test func contradictoryRowsNameBothLines() throws {
        do {
            _ = try Self.links("customer_id,referred_by\nb,a\nc,a\nb,c\n")
            Issue.record("accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("referrals.csv:4") && text.contains("line 2") && text.contains("customer b"))
        }
        #expect(throws: InputError.self) { try Self.links("customer_id,referred_by\nb,a\nb,\n") }
    }

    @Test func selfReferralsCyclesAndBlankIdsAreErrors() throws {
        do {
            _ = try Self.links("customer_id,referred_by\nb,a\na,a\n")
            Issue.record("self-referral accepted")
        } catch { #expect("\(error)".contains("referrals.csv:3") && "\(error)".contains("themselves")) }
        do {
            _ = try Self.links("customer_id,referred_by\nx,y\na,c\nb,a\nc,b\n")
            Issue.record("cycle accepted")
        } catch { #expect("\(error)".contains("cycle") && "\(error)".contains("a referred by")) }
        #expect(throws: InputError.self) { try Self.links("customer_id,referred_by\n,a\n") }
        #expect(throws: InputError.self) { try Self.links("customer,referrer\nb,a\n") }
        // A long chain is not a cycle.
        let chain = "customer_id,referred_by\n" + (1..<500).map { "c\($0),c\($0 - 1)\n" }.joined()
        #expect(try Self.links(chain).count == 499)
    }

    @Test func linksToUnknownCustomersAreAnErrorUnlessIgnored() throws {
        let l = try Self.links("customer_id,referred_by\nb,a\nz,a\nb2,q\n")
        do {
            _ = try ValueAspects(customerIDs: ["a", "b", "b2"], clv: [1, 2, 3], referrals: l)
            Issue.record("accepted")
        } catch { #expect("\(error)".contains("2 referral links") && "\(error)".contains("z (line 3)") && "\(error)".contains("q (line 4)")) }
        let v = try ValueAspects(customerIDs: ["a", "b", "b2"], clv: [1, 2, 3], referrals: l, unknownCustomers: .ignore)
        #expect(v.ignoredLinks == 2 && v.referralValue == [2, 0, 0])
    }

    @Test func knowledgeAndRecommendationValuesArePerUnit() throws {
        let table = try CustomerTable(csv: Data("id,reviews,feedback,shares\n1,2,,10\n2,0,3,1\n".utf8), source: "customers.csv")
        let knowledge = try ValueComponent.parseList("reviews=2.5, feedback=10")
        let recommendation = try ValueComponent.parseList("shares=0.5")
        let v = try ValueAspects(customerIDs: ["1", "2"], clv: [100, 7],
                                 knowledge: try knowledge.map { .init(component: $0, counts: try $0.counts(in: table)) },
                                 recommendation: try recommendation.map { .init(component: $0, counts: try $0.counts(in: table)) })
        #expect(v.knowledgeValue == [5, 30] && v.recommendationValue == [5, 0.5])
        #expect(v.totalValue == [110, 37.5] && v.referralValue == [0, 0])
    }

    @Test func badComponentsAndColumnsAreClearErrors() throws {
        for text in ["reviews", "reviews=", "=2", "reviews=x", "reviews=nan"] {
            #expect(throws: InputError.self, "\(text)") { try ValueComponent.parseList(text) }
        }
        let table = try CustomerTable(csv: Data("id,reviews\n1,2\n2,many\n".utf8), source: "customers.csv")
        do {
            _ = try ValueComponent(column: "reviews", unitValue: 1).counts(in: table)
            Issue.record("accepted")
        } catch { #expect("\(error)".contains("customers.csv:3") && "\(error)".contains("\"reviews\"") && "\(error)".contains("many")) }
        #expect(throws: InputError.self) { try ValueComponent(column: "stars", unitValue: 1).counts(in: table) }
    }

    @Test func badInputsToTheAspectsAreErrors() {
        #expect(throws: InputError.self) { try ValueAspects(customerIDs: [], clv: []) }
        #expect(throws: InputError.self) { try ValueAspects(customerIDs: ["a", "a"], clv: [1, 2]) }
        #expect(throws: InputError.self) { try ValueAspects(customerIDs: ["a"], clv: [.nan]) }
        #expect(throws: InputError.self) {
            try ValueAspects(customerIDs: ["a"], clv: [1], knowledge: [.init(component: .init(column: "x", unitValue: 1), counts: [1, 2])])
        }
    }
}
