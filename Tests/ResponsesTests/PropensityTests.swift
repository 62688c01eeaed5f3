import Foundation
import Testing
import CustomerData
@testable import Churn
@testable import Responses

/// Propensity models are the churn module's logistic path under another kind.
@Suite struct PropensityTests {
    /// Telco customers with internet service, target: holds OnlineSecurity.
    func internetCustomers() throws -> CustomerTable {
        let telco = try CustomerTable(contentsOf: telcoURL)
        let internet = try telco.column(named: "InternetService")
        return telco.selectingRows(internet.indices.filter { internet[$0] != "No" })
    }

    var options: ChurnFitOptions {
        ChurnFitOptions(encoding: EncodingOptions(target: "OnlineSecurity", positive: "Yes", idColumn: "customerID",
                                                  exclude: ["Churn", "TotalCharges", "InternetService"]),
                        l2: 1, dropCollinear: true, holdoutFraction: 0.3)
    }

    @Test func propensityIsTheChurnFitUnderItsOwnKind() throws {
        let table = try internetCustomers()
        let propensity = try PropensityModel.train(table: table, options: options)
        let churnPath = try ChurnModel.train(table: table, options: options)
        #expect(propensity.model.kind.rawValue == "propensity")
        #expect(propensity.model.coefficients == churnPath.model.coefficients)
        #expect(propensity.holdout?.auc == churnPath.holdout?.auc)
        #expect(propensity.report.hasPrefix("logistic propensity model: target OnlineSecurity = 'Yes'"))
        #expect(try propensity.model.predict(table).scoreColumn == "propensity")
        // Security is bought by some customers of every kind: the holdout AUC is well above chance.
        #expect(try #require(propensity.holdout?.auc) > 0.7)
    }

    @Test func eachKindIsReadOnlyByItsOwnLoader() throws {
        let table = try internetCustomers()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("propensity.json")
        let model = try PropensityModel.train(table: table, options: options).model
        try model.write(to: url)
        #expect(try PropensityModel.load(from: url) == model)
        #expect(try ResponseModelKind.of(url) == .propensity)
        let error = #expect(throws: ChurnError.self) { try ChurnModel.load(from: url) }
        #expect(error?.description.contains("is a 'propensity' model, not a 'logistic-churn' model") == true)
    }

    @Test func aTargetWithThreeValuesNamesThem() throws {
        let telco = try CustomerTable(contentsOf: telcoURL)
        let error = #expect(throws: ChurnError.self) { try PropensityModel.train(table: telco, options: options) }
        #expect(error?.description.contains("No internet service") == true)
    }
}
