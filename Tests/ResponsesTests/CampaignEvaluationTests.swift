import Foundation
import Testing
import CustomerData
@testable import Responses

/// Campaign evaluation: Hillstrom's published results, Welch against scipy, the action-list join.
@Suite struct CampaignEvaluationTests {
    func hillstrom() throws -> CampaignEvaluation {
        let data = try CampaignData(table: try CustomerTable(contentsOf: hillstromURL), treatmentColumn: "segment",
                                    control: "No E-Mail", outcomes: ["visit", "conversion", "spend"])
        return try CampaignEvaluation(data, outcomes: ["visit", "conversion", "spend"])
    }

    @Test func hillstromReproducesThePublishedRatesAndTheMensVisitInterval() throws {
        let e = try hillstrom()
        func row(_ t: String, _ o: String) throws -> CampaignEvaluation.Row { try #require(e.rows.first { $0.treatment == t && $0.outcome == o }) }
        let menVisit = try row("Mens E-Mail", "visit")
        #expect(menVisit.treatedCount == 21307 && menVisit.controlCount == 21306)
        #expect(abs(menVisit.uplift - 0.0766) < 5e-5)
        #expect(abs((menVisit.upliftUpper - menVisit.upliftLower) / 2 - 0.0066) < 5e-5)
        #expect(menVisit.binary && menVisit.pValue < 1e-100)
        #expect(abs(try row("Womens E-Mail", "visit").uplift - 0.0452) < 5e-5)
        // Conversion 1.25% / 0.88% / 0.57%, spend per customer $1.42 / $1.08 / $0.65.
        #expect(abs(try row("Mens E-Mail", "conversion").treatedRate - 0.0125) < 5e-5)
        #expect(abs(try row("Womens E-Mail", "conversion").treatedRate - 0.0088) < 5e-5)
        #expect(abs(menVisit.controlRate - 0.1062) < 5e-5)
        #expect(abs(try row("Mens E-Mail", "conversion").controlRate - 0.0057) < 5e-5)
        let menSpend = try row("Mens E-Mail", "spend")
        #expect(!menSpend.binary)
        #expect(abs(menSpend.treatedRate - 1.42) < 5e-3 && abs(menSpend.controlRate - 0.65) < 5e-3)
        #expect(abs(try row("Womens E-Mail", "spend").treatedRate - 1.08) < 5e-3)
        #expect(abs(menVisit.incremental - menVisit.uplift * 21307) < 1e-9)
    }

    @Test func spendIntervalsMatchScipyWelch() throws {
        struct Peer: Decodable { var diff: Double; var lower: Double; var upper: Double; var df: Double; var p: Double }
        let peer = try JSONDecoder().decode([String: Peer].self, from: runUpliftPeer("campaign_welch_peer.py", [hillstromURL.path]))
        let e = try hillstrom()
        for (name, p) in peer {
            let r = try #require(e.rows.first { $0.treatment == name && $0.outcome == "spend" })
            #expect(abs(r.uplift - p.diff) < 1e-12)
            #expect(abs(r.upliftLower - p.lower) < 1e-9 && abs(r.upliftUpper - p.upper) < 1e-9)
            #expect(abs(r.degreesOfFreedom! - p.df) < 1e-6 * p.df)
            #expect(abs(r.pValue - p.p) < 1e-9 * max(p.p, 1e-3))
        }
    }

    @Test func studentTQuantilesMatchTables() {
        // Two-sided 95% critical values (e.g. Abramowitz & Stegun table 26.10).
        #expect(abs(StudentT.quantile(0.975, df: 1) - 12.7062047364) < 1e-8)
        #expect(abs(StudentT.quantile(0.975, df: 10) - 2.2281388520) < 1e-8)
        #expect(abs(StudentT.quantile(0.975, df: 1e7) - 1.9599641) < 1e-6)
        #expect(abs(StudentT.cdf(0, df: 3) - 0.5) < 1e-15)
    }

    let actions = """
        customer_id,action,control,cost
        a,offer,0,1.5
        b,offer,0,1.5
        c,offer,0,1.5
        d,offer,1,0
        e,offer,1,0
        f,,1,0
        i,,1,0
        g,call,0,4
        h,call,0,4
        z,call,0,4
        """
    let responses = """
        customer_id,revenue,responded
        a,10,1
        b,0,0
        c,20,1
        d,5,1
        e,0,0
        f,0,0
        g,30,1
        h,0,0
        i,8,1
        x,99,1
        """

    @Test func actionListJoinsResponsesCountsUnmatchedAndUsesEachActionsControls() throws {
        let data = try CampaignData(actions: table(actions), responses: table(responses), idColumn: "customer_id",
                                    actionColumn: "action", controlColumn: "control", costColumn: "cost",
                                    outcomes: ["revenue", "responded"])
        #expect(data.treatments == ["offer", "call"])
        #expect(data.notes.contains { $0.hasPrefix("1 of 10 action-list customers have no responses row") })
        #expect(data.notes.contains { $0.hasPrefix("1 responses rows name customers not in the action list") })
        let e = try CampaignEvaluation(data, outcomes: ["revenue", "responded"])
        let offer = try #require(e.rows.first { $0.treatment == "offer" && $0.outcome == "revenue" })
        // offer: treated a, b, c (10, 0, 20), its own controls d, e (5, 0).
        #expect(offer.controlCount == 2 && abs(offer.uplift - (10.0 - 2.5)) < 1e-12)
        #expect(offer.cost == 4.5 && abs(offer.roi! - (7.5 * 3 - 4.5) / 4.5) < 1e-12)
        // call has no own controls: the blank-action control rows f and i serve it; z has no responses row (0).
        let call = try #require(e.rows.first { $0.treatment == "call" && $0.outcome == "responded" })
        #expect(call.treatedCount == 3 && call.controlCount == 2)
        #expect(abs(call.uplift - (1.0 / 3 - 0.5)) < 1e-12 && call.roi == nil)
    }

    @Test func actionListsAndResponsesThatShareNoCustomerAreAnError() throws {
        let error = #expect(throws: ResponseError.self) {
            try CampaignData(actions: table("customer_id,action,control\nq,offer,0\nr,offer,1\n"), responses: table(responses),
                             idColumn: "customer_id", actionColumn: "action", controlColumn: "control", costColumn: nil, outcomes: ["revenue"])
        }
        #expect(error?.description.contains("share no customer") == true)
    }

    @Test func badFlagsCostsAndOutcomesNameTheLine() throws {
        let bad = [("customer_id,action,control\na,offer,maybe\n", "control flag 'maybe'"),
                   ("customer_id,action,control,cost\na,offer,0,-1\nd,offer,1,0\n", "cost '-1'")]
        for (csv, message) in bad {
            let error = #expect(throws: ResponseError.self) {
                try CampaignData(actions: table(csv), responses: table(responses), idColumn: "customer_id", actionColumn: "action",
                                 controlColumn: "control", costColumn: csv.contains("cost") ? "cost" : nil, outcomes: ["revenue"])
            }
            #expect(error?.description.contains(message) == true && error?.description.contains("line 2") == true)
        }
        let error = #expect(throws: ResponseError.self) {
            try CampaignData(table: table("arm,y\nc,1\nt,x\n"), treatmentColumn: "arm", control: "c", outcomes: ["y"])
        }
        #expect(error?.description.contains("line 3") == true)
        #expect(throws: ResponseError.self) {
            try CampaignData(table: table("arm,y\nc,1\nt,0\n"), treatmentColumn: "arm", control: "c", outcomes: ["spend"])
        }
    }
}
