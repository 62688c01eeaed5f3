import CustomerData
import Foundation
import Models
import Testing
@testable import Scoring

/// The one loader maps every committed model file to its typed model.
@Suite struct ModelLoaderTests {
    static let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models")

    @Test func everyCommittedModelFileLoadsAsItsKind() throws {
        let expected: [String: ModelKind] = ["cdnow-bgnbd.json": .bgnbd, "cdnow-pareto-nbd.json": .paretoNBD,
                                             "cdnow-gamma-gamma.json": .gammaGamma, "donations-bgbb.json": .bgbb,
                                             "sbg-regular.json": .shiftedBetaGeometric, "telco-churn.json": .logisticChurn]
        for (name, kind) in expected {
            #expect(try ModelLoader.load(Self.models.appendingPathComponent(name)).kind == kind, "\(name)")
        }
        #expect(try ModelLoader.load(Self.models.appendingPathComponent("cdnow-bgnbd.json")).timeUnit == .week)
    }

    @Test func aSpendModelIsNotAcceptedWhereARepeatPurchaseModelIsNeeded() {
        #expect(throws: ModelError.self) {
            _ = try ModelLoader.loadRepeatPurchaseModel(Self.models.appendingPathComponent("cdnow-gamma-gamma.json"))
        }
        #expect(throws: ModelError.self) { _ = try ModelLoader.loadSpendModel(Self.models.appendingPathComponent("cdnow-bgnbd.json")) }
    }

    @Test func aUnitMismatchBetweenModelAndSummaryNamesBoth() {
        do {
            try ModelLoader.requireSameUnit(model: .week, modelPath: "m.json", summary: .day, summaryPath: "s.csv")
            Issue.record("no error")
        } catch {
            let text = "\(error)"
            #expect(text.contains("m.json") && text.contains("weeks") && text.contains("s.csv") && text.contains("days"))
        }
        #expect(throws: Never.self) { try ModelLoader.requireSameUnit(model: nil, modelPath: "m", summary: .day, summaryPath: "s") }
    }
}
