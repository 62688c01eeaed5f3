import Foundation
import Models
import Testing

/// `ModelCatalog`: kind → type, and fitting and loading repeat-purchase models by kind.
@Suite("Model catalog")
struct ModelCatalogTests {
    @Test("every repeat-purchase kind maps to its type; spend, cohort and response kinds to none")
    func typesByKind() {
        let expected: [ModelKind: any RepeatPurchaseModel.Type] = [
            .bgnbd: BetaGeometricNBD.self, .mbgnbd: ModifiedBetaGeometricNBD.self, .paretoNBD: ParetoNBD.self,
            .bgbb: BetaGeometricBetaBinomial.self]
        for kind in ModelKind.allCases {
            let type = ModelCatalog.repeatPurchaseType(kind)
            if let want = expected[kind] {
                #expect(type.map { ObjectIdentifier($0) } == ObjectIdentifier(want), "\(kind.rawValue)")
                #expect(type?.kind == kind)
            } else {
                #expect(type == nil, "\(kind.rawValue)")
            }
        }
    }

    @Test("fitting by kind gives that kind's file, which loads back to the same model; other kinds are refused")
    func fitAndLoadByKind() throws {
        let patterns = try TestData.cdnowPatterns()
        for kind in [ModelKind.bgnbd, .mbgnbd, .paretoNBD] {
            let file = try ModelCatalog.fitRepeatPurchaseModel(kind, patterns: patterns, penalizer: 0, timeUnit: .calendar(.week), source: "s.csv")
            #expect(file.kind == kind && file.timeUnit == .calendar(.week) && file.training.source == "s.csv" && file.convergence.converged)
            #expect(file.training.patterns == patterns.count)
            let model = try ModelCatalog.loadRepeatPurchaseModel(file)
            #expect(type(of: model).kind == kind)
            #expect(model.parameters == file.parameters.map(\.estimate))
        }
        // The published BG/NBD fit (FHL 2005) through the catalog.
        let bgnbd = try ModelCatalog.fitRepeatPurchaseModel(.bgnbd, patterns: patterns, penalizer: 0, timeUnit: .calendar(.week), source: nil)
        for (got, want) in zip(bgnbd.parameters.map(\.estimate), [0.2426, 4.4137, 0.7930, 2.4262]) {
            #expect(abs(got - want) <= 5e-4 * want, "\(got) vs \(want)")
        }
        #expect { try ModelCatalog.fitRepeatPurchaseModel(.gammaGamma, patterns: patterns, penalizer: 0, timeUnit: .currency, source: nil) } throws: {
            "\($0)".contains("gamma-gamma is not a repeat-purchase model")
        }
        let spend = try TestData.cdnowSpend()
        let spendFile = try GammaGamma.fit(frequency: spend.frequency, monetaryValue: spend.meanSpend).modelFile(source: nil)
        #expect { try ModelCatalog.loadRepeatPurchaseModel(spendFile) } throws: {
            "\($0)".contains("holds a gamma-gamma model, not a repeat-purchase model")
        }
        var wrong = bgnbd
        wrong.parameters.removeLast()
        #expect { try ModelCatalog.loadRepeatPurchaseModel(wrong) } throws: { "\($0)".contains("has no parameter b") }
    }
}
