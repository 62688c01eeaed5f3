import Churn
import CustomerData
import Foundation
import Models
import Testing
@testable import Actions

/// `--where`: the rule language choosing the rows of a customer table a logistic model is fitted,
/// scored and evaluated on, and the population it records in the model file.
@Suite struct RowFilterTests {
    static let telco = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("datasets/telco_churn.csv")

    func table(_ csv: String) throws -> CustomerTable { try CustomerTable(csv: Data(csv.utf8), source: "customers.csv") }

    @Test func textNumberAndMissingCellsFollowTheRuleSemantics() throws {
        let t = try table("id,service,tenure\n1,DSL,3\n2,No,10\n3, Fiber optic ,\n4,,24\n5,DSL,12\n")
        #expect(try RowFilter("service != 'No'").rows(in: t) == [0, 2, 4])          // blank service is missing: not selected
        #expect(try RowFilter("service in ['DSL', 'Fiber optic']").rows(in: t) == [0, 2, 4])  // cells are trimmed
        #expect(try RowFilter("tenure >= 10").rows(in: t) == [1, 3, 4])             // blank tenure is missing
        #expect(try RowFilter("not (tenure >= 10)").rows(in: t) == [0, 2])           // not of a false comparison is true
        #expect(try RowFilter("service == 'DSL' and tenure > 5 or id == 2").rows(in: t) == [1, 4])
        #expect(try RowFilter("service = 'DSL'").rows(in: t) == [0, 4])
    }

    @Test func anUnknownColumnNamesTheTableAndItsColumns() throws {
        let t = try table("id,InternetService\n1,DSL\n")
        let error = #expect(throws: RowFilterError.self) { try RowFilter("internetservice != 'No'").rows(in: t) }
        let text = error?.description ?? ""
        #expect(text.contains("--where at character 1: customers.csv has no column internetservice (did you mean InternetService?)"))
        #expect(text.contains("use one of its columns: id, InternetService"))
        // An unquoted text is read as a column: the message says how to write a text.
        let unquoted = #expect(throws: RowFilterError.self) { try RowFilter("InternetService != No").rows(in: t) }
        #expect(unquoted?.position == 20)
        #expect(unquoted?.description.contains("to compare with a text, quote it: 'No'") == true)
    }

    @Test func syntaxAndTypeErrorsPointAtTheCharacter() throws {
        let t = try table("id,tenure,service\n1,3,DSL\n")
        let syntax = #expect(throws: RowFilterError.self) { try RowFilter("tenure > ") }
        #expect(syntax?.description.hasPrefix("--where at character") == true)
        let type = #expect(throws: RowFilterError.self) { try RowFilter("tenure > 'a'").rows(in: t) }
        #expect(type?.position == 8)
        #expect(type?.description.contains("'>' compares numbers, found number and text") == true)
        let notACondition = #expect(throws: RowFilterError.self) { try RowFilter("tenure + 1").rows(in: t) }
        #expect(notACondition?.description.contains("needs a boolean") == true)
        #expect(notACondition?.description.contains("score table") == false)
    }

    @Test func aPropensityModelIsFittedScoredAndEvaluatedOnItsPopulation() throws {
        let telco = try CustomerTable(contentsOf: Self.telco)
        var options = ChurnFitOptions(encoding: EncodingOptions(target: "OnlineSecurity", positive: "Yes", idColumn: "customerID",
                                                                exclude: ["Churn", "TotalCharges", "InternetService"]),
                                      l2: 1, dropCollinear: true, holdoutFraction: 0.3)
        options.modelKind = .propensity
        // By hand: the same rows selected before training give the same model.
        let internet = try telco.column(named: "InternetService")
        let byHand = try ChurnModel.train(table: telco.selectingRows(internet.indices.filter { internet[$0] != "No" }), options: options)
        options.population = try RowFilter("InternetService != 'No'").selection
        let trained = try ChurnModel.train(table: telco, options: options)
        #expect(trained.model.coefficients == byHand.model.coefficients)
        #expect(trained.holdout?.auc == byHand.holdout?.auc)
        #expect(trained.model.population == ChurnModel.Population(condition: "InternetService != 'No'", rows: 5517, tableRows: 7043))
        #expect(trained.report.contains("population: InternetService != 'No' (5517 of 7043 rows)"))

        // The population survives the file and chooses the same holdout rows again.
        let reread = try ChurnModel.decode(try ModelFileFormat.encoder().encode(trained.model), expectedKind: .propensity)
        #expect(reread == trained.model)
        let population = try #require(try RowFilter.selection(population: reread.population?.condition, where: nil))
        let held = try #require(try reread.holdoutRows(of: telco, population: population))
        #expect(held.rowCount == 5517 - 3862)
        #expect(try reread.evaluate(held).evaluation.auc == trained.holdout?.auc)
        #expect(throws: ChurnError.self) { try reread.holdoutRows(of: telco) }

        // Cross-sell propensity: those in the population who do not hold the product yet.
        let targets = try #require(try RowFilter.selection(population: reread.population?.condition, where: "OnlineSecurity == 'No'"))
        let scores = try reread.predict(telco, selecting: targets)
        let security = try telco.column(named: "OnlineSecurity")
        #expect(scores.ids.count == security.filter { $0 == "No" }.count)
        #expect(targets.condition == "(InternetService != 'No') and (OnlineSecurity == 'No')")
    }

    @Test func aPopulationTheDataDoNotHaveIsAClearError() throws {
        let t = try table("id,service,holds\n1,DSL,Yes\n2,DSL,No\n")
        var options = ChurnFitOptions(encoding: EncodingOptions(target: "holds", idColumn: "id"))
        options.population = try RowFilter("service == 'Fiber'").selection
        let error = #expect(throws: ChurnError.self) { try ChurnModel.train(table: t, options: options) }
        #expect(error?.description.contains("no row of customers.csv satisfies --where service == 'Fiber' (of 2 rows)") == true)
    }

    @Test func propensityReportsNameTheTargetNotChurners() throws {
        let evaluation = try ChurnEvaluation(labels: [1, 0, 1, 0, 0], probabilities: [0.9, 0.2, 0.6, 0.4, 0.1])
        #expect(evaluation.report.contains("churners: 2"))
        var named = evaluation
        named.outcome = OutcomeNames(positive: "Yes", negative: "No", positiveRows: "OnlineSecurity = Yes")
        #expect(named.report.contains("rows: 5, OnlineSecurity = Yes: 2 (40.0%)"))
        #expect(!named.report.contains("churn"))
        #expect(named.report.contains("deciles by predicted probability of OnlineSecurity = Yes"))
    }
}
