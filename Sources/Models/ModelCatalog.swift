import CustomerData
import Foundation

/// Maps a model kind to its type, and trains or loads repeat-purchase models by kind: the one
/// place the CLI, the scheduler and the tests go through, so they all behave the same.
public enum ModelCatalog {
    /// The repeat-purchase (BTYD) model type for a kind, nil for spend/contractual/churn models.
    public static func repeatPurchaseType(_ kind: ModelKind) -> (any RepeatPurchaseModel.Type)? {
        switch kind {
        case .bgnbd: return BetaGeometricNBD.self
        case .mbgnbd: return ModifiedBetaGeometricNBD.self
        case .paretoNBD: return ParetoNBD.self
        case .bgbb: return BetaGeometricBetaBinomial.self
        case .gammaGamma, .shiftedBetaGeometric, .logisticChurn, .propensity, .uplift, .crossSell: return nil
        }
    }

    /// Loads a repeat-purchase model from its file; a file of another kind is a clear error.
    public static func loadRepeatPurchaseModel(_ file: ModelFile) throws -> any RepeatPurchaseModel {
        guard let type = repeatPurchaseType(file.kind) else {
            throw ModelError.modelFile("the model file holds a \(file.kind.rawValue) model, not a repeat-purchase model (bg-nbd, mbg-nbd, pareto-nbd, bg-bb)")
        }
        return try type.init(file: file)
    }

    /// Fits a repeat-purchase model of `kind` on patterns and returns its model file. The file
    /// records convergence; callers must not save it as a good model unless it converged.
    public static func fitRepeatPurchaseModel(_ kind: ModelKind, patterns: PurchasePatterns, penalizer: Double,
                                              timeUnit: ModelTimeUnit, source: String?) throws -> ModelFile {
        guard let type = repeatPurchaseType(kind) else {
            throw ModelError.invalidParameters("\(kind.rawValue) is not a repeat-purchase model")
        }
        return try fitFile(type, patterns: patterns, penalizer: penalizer, timeUnit: timeUnit, source: source)
    }

    private static func fitFile<M: RepeatPurchaseModel>(_ type: M.Type, patterns: PurchasePatterns, penalizer: Double,
                                                        timeUnit: ModelTimeUnit, source: String?) throws -> ModelFile {
        let fitted = try M.fit(patterns, penalizer: penalizer)
        return fitted.modelFile(timeUnit: timeUnit, source: source, patterns: patterns.count)
    }
}
