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

/// Which unit a summary is read in for a model: the sidecar's, checked against the model's.
@Suite struct SummaryUnitTests {
    func summary(sidecar unit: TimeUnit?) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("klant-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("s.csv").path
        try Data("customer_id,frequency,recency,T\na,1,2,3\n".utf8).write(to: URL(fileURLWithPath: path))
        try unit.map { try SummaryMetadata(timeUnit: $0).write(forSummary: path) }
        return path
    }

    @Test func theSidecarsUnitIsUsedWhenItIsTheModels() throws {
        let path = try summary(sidecar: .week)
        let resolved = try ModelLoader.summaryUnit(model: .calendar(.week), modelPath: "m.json", summaryPath: path)
        #expect(resolved.unit == .week && resolved.note == nil)
    }

    @Test func aDailySummaryWithAWeeklyModelIsAnErrorNamingBoth() throws {
        let path = try summary(sidecar: .day)
        #expect { try ModelLoader.summaryUnit(model: .calendar(.week), modelPath: "m.json", summaryPath: path) } throws: {
            "\($0)".contains("m.json was fitted in weeks") && "\($0)".contains("\(path) is in days")
        }
    }

    @Test func withoutSidecarTheModelsUnitIsTakenAndSaid() throws {
        let path = try summary(sidecar: nil)
        let resolved = try ModelLoader.summaryUnit(model: .calendar(.month), modelPath: "m.json", summaryPath: path)
        #expect(resolved.unit == .month)
        #expect(resolved.note?.contains("has no sidecar") == true && resolved.note?.contains("months") == true)
    }

    @Test func aPeriodModelReadsRecencyAndTAsPeriods() throws {
        let labelled = try ModelLoader.summaryUnit(model: .period, modelPath: "bgbb.json", summaryPath: try summary(sidecar: .day))
        #expect(labelled.unit == .day && labelled.note == nil)
        let unlabelled = try ModelLoader.summaryUnit(model: .period, modelPath: "bgbb.json", summaryPath: try summary(sidecar: nil))
        #expect(unlabelled.note?.contains("read as the model's periods") == true)
    }
}
