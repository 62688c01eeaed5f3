import Foundation
import Testing
@testable import Actions

@Suite struct CatalogTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let valid = """
        campaign: c1
        budget-amount: 100
        actions:
          - name: call
            type: retention
            channel: phone
            cost: 6.5
            budget: 500
            control-share: 0.1
            eligible: "churn_probability > 0.4"
            response: { rate: 0.25 }
            value: "clv * 0.8"
          - name: mail
            type: cross-sell
            channel: email
            cost: 0.5
            budget-amount: 40
            response: { uplift-model: u.json, treatment: "Mens E-Mail" }
            value: "clv"
        contact-policy:
          max-contacts: 2 per 30 days
          cool-down: 14 days
          repeat-offer: 90 days
          channels: { phone: { capacity: 300 }, email: { capacity: 1000 } }
        """

    func catalogError(_ yaml: String) -> CatalogError? {
        do { _ = try ActionCatalog.parse(yaml: yaml, path: "cat.yaml"); return nil } catch let e as CatalogError { return e } catch { return nil }
    }

    @Test func aValidCatalogReadsEveryField() throws {
        let c = try ActionCatalog.parse(yaml: Self.valid, path: "cat.yaml")
        #expect(c.campaignID == "c1")
        #expect(c.budgetAmount == 100)
        #expect(c.actions.map(\.name) == ["call", "mail"])
        let call = c.actions[0]
        #expect(call.type == .retention && call.channel == "phone" && call.cost == 6.5 && call.budget == 500 && call.controlShare == 0.1)
        #expect(call.response == .rate(0.25) && call.value == "clv * 0.8" && call.line == 4)
        #expect(c.actions[1].eligible == "true")
        #expect(c.actions[1].budgetAmount == 40)
        #expect(c.actions[1].response == .upliftModel(path: "u.json", treatment: "Mens E-Mail"))
        #expect(c.contactPolicy.maxContacts?.count == 2 && c.contactPolicy.maxContacts?.days == 30)
        #expect(c.contactPolicy.coolDownDays == 14 && c.contactPolicy.repeatOfferDays == 90)
        #expect(c.contactPolicy.channelCapacity == ["phone": 300, "email": 1000])
    }

    @Test func theShippedExampleCatalogLoadsWithARetentionAnUpsellAndACrossSellAction() throws {
        let path = Self.packageRoot.appendingPathComponent("examples/actions.yaml").path
        let c = try ActionCatalog.parse(yaml: String(contentsOfFile: path, encoding: .utf8), path: path)
        #expect(Set(c.actions.map(\.type)) == Set(ActionType.allCases))
        for a in c.actions {
            _ = try ExpressionParser.parse(a.eligible, action: a.name, field: "eligible")
            _ = try ExpressionParser.parse(a.value, action: a.name, field: "value")
        }
    }

    @Test func negativeCostOrBudgetIsRefusedNamingTheAction() {
        let cost = catalogError(Self.valid.replacingOccurrences(of: "cost: 6.5", with: "cost: -1"))
        #expect(cost?.action == "call" && cost?.problem.contains("cost is negative") == true && cost?.line == 7)
        let budget = catalogError(Self.valid.replacingOccurrences(of: "budget: 500", with: "budget: -5"))
        #expect(budget?.action == "call" && budget?.problem.contains("budget is negative") == true)
        let amount = catalogError(Self.valid.replacingOccurrences(of: "budget-amount: 40", with: "budget-amount: -40"))
        #expect(amount?.action == "mail")
        #expect(catalogError(Self.valid.replacingOccurrences(of: "budget: 500", with: "budget: 2.5"))?.problem.contains("whole number") == true)
    }

    @Test func controlShareOutsideZeroToOneIsRefused() {
        for bad in ["1", "1.5", "-0.1"] {
            let e = catalogError(Self.valid.replacingOccurrences(of: "control-share: 0.1", with: "control-share: \(bad)"))
            #expect(e?.action == "call" && e?.problem.contains("outside [0, 1)") == true, "\(bad)")
        }
    }

    @Test func duplicateNamesUnknownKeysAndTypesAreRefused() {
        let dup = catalogError(Self.valid.replacingOccurrences(of: "name: mail", with: "name: call"))
        #expect(dup?.action == "call" && dup?.problem.contains("used twice (first at line 4)") == true)
        let key = catalogError(Self.valid.replacingOccurrences(of: "channel: phone", with: "chanel: phone"))
        #expect(key?.problem.contains("unknown key chanel") == true && key?.action == "call")
        #expect(catalogError(Self.valid.replacingOccurrences(of: "type: retention", with: "type: winback"))?.problem.contains("unknown type winback") == true)
        #expect(catalogError(Self.valid.replacingOccurrences(of: "response: { rate: 0.25 }", with: "response: { rate: 1.5 }"))?.action == "call")
        #expect(catalogError(Self.valid.replacingOccurrences(of: ", treatment: \"Mens E-Mail\"", with: ""))?.problem.contains("treatment") == true)
        #expect(catalogError(Self.valid.replacingOccurrences(of: "2 per 30 days", with: "2 each month"))?.problem.contains("2 per 30 days") == true)
        #expect(catalogError("actions: []")?.problem.contains("no actions") == true)
        #expect(catalogError("actions: [ {name: a")?.problem.contains("not valid YAML") == true)
        #expect(catalogError(Self.valid.replacingOccurrences(of: "    value: \"clv\"\n", with: "\n"))?.problem.contains("has no value") == true)
    }

    @Test func aMissingModelFileIsRefusedWhenLoading() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("cat.yaml").path
        try Self.valid.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ActionCatalog.load(path: path)
            Issue.record("a missing model file was accepted")
        } catch let e as CatalogError {
            #expect(e.action == "mail" && e.problem.contains("u.json does not exist"))
        }
        #expect(throws: CatalogError.self) { try ActionCatalog.load(path: dir.appendingPathComponent("none.yaml").path) }
    }

    @Test func maxActionsPerCustomerDefaultsToOneAndIsAWholeNumberUpToTheNumberOfActions() throws {
        #expect(try ActionCatalog.parse(yaml: Self.valid, path: "cat.yaml").maxActionsPerCustomer == 1)
        #expect(try ActionCatalog.parse(yaml: "max-actions-per-customer: 2\n" + Self.valid, path: "cat.yaml").maxActionsPerCustomer == 2)
        for bad in ["0", "-1", "1.5", "3", "two", "[1]"] {
            let e = catalogError("max-actions-per-customer: \(bad)\n" + Self.valid)
            #expect(e?.line == 1 && e?.problem.contains("max-actions-per-customer must be a whole number from 1 to 2") == true, "\(bad): \(String(describing: e))")
        }
    }
}
