import Foundation
import Models
import Linalg

/// Class weights multiply each row's sample weight by the weight of its class.
public enum ClassWeight: Sendable, Equatable {
    case none
    /// n / (2 n_class), as scikit-learn's `class_weight="balanced"`.
    case balanced
    case custom(negative: Double, positive: Double)
}

/// Everything `klant fit churn` can ask for.
public struct ChurnFitOptions: Sendable {
    public var encoding: EncodingOptions
    /// Fixed L2 penalty λ (see `LogisticOptions.l2`; scikit-learn's C = 1/λ). Ignored when `l2Grid` is set.
    public var l2: Double
    /// When set, λ is chosen from this grid by k-fold cross-validation (lowest mean held-out log-loss).
    public var l2Grid: [Double]?
    /// L1 penalty λ₁ (see `LogisticOptions.l1`). Ignored when `l1Grid` is set.
    public var l1: Double
    /// When set, λ₁ is chosen from this grid by cross-validation (jointly with `l2Grid` when both are set).
    public var l1Grid: [Double]?
    public var folds: Int
    /// Seed of the cross-validation folds and of the holdout split.
    public var seed: UInt64
    public var dropCollinear: Bool
    public var classWeight: ClassWeight
    /// Where to write the rows left out by the drop-rows blank policy (CSV with a `reject_reason` column).
    public var rejectsPath: URL?
    /// When set, this fraction of the rows (seeded split) is held out: the model is fitted on the
    /// rest and evaluated on it, and the stored model is the one fitted on the training part.
    public var holdoutFraction: Double?
    /// When true (and no holdout fraction is set), the model is also evaluated by `folds`-fold
    /// cross-validation: out-of-fold probabilities of every row, at the chosen penalty.
    public var crossValidatedEvaluation: Bool
    public var threshold: Double
    public var maxIterations: Int
    /// The `kind` written into the model file: the same logistic training path serves churn
    /// (`logistic-churn`) and other binary targets (the Responses module's `propensity`).
    public var modelKind: ModelKind = ChurnModel.kind
    /// When set, only the rows satisfying its condition are the model's population (`--where`):
    /// selected before the blank policy, the holdout split and everything else.
    public var population: RowSelection? = nil

    public init(encoding: EncodingOptions, l2: Double = 0, l2Grid: [Double]? = nil, l1: Double = 0, l1Grid: [Double]? = nil, folds: Int = 5,
                seed: UInt64 = CrossValidation.defaultSeed, dropCollinear: Bool = false, classWeight: ClassWeight = .none,
                rejectsPath: URL? = nil, holdoutFraction: Double? = nil, crossValidatedEvaluation: Bool = false,
                threshold: Double = 0.5, maxIterations: Int = 50) {
        self.encoding = encoding; self.l2 = l2; self.l2Grid = l2Grid; self.l1 = l1; self.l1Grid = l1Grid; self.folds = folds; self.seed = seed
        self.dropCollinear = dropCollinear; self.classWeight = classWeight; self.rejectsPath = rejectsPath
        self.holdoutFraction = holdoutFraction; self.crossValidatedEvaluation = crossValidatedEvaluation
        self.threshold = threshold; self.maxIterations = maxIterations
    }

    /// The logistic fit's options at `penalty` (and this iteration limit).
    func logistic(_ penalty: PenaltyStrength, dropCollinear: Bool) -> LogisticOptions {
        LogisticOptions(l2: penalty.l2, l1: penalty.l1, dropCollinear: dropCollinear, maxIterations: maxIterations)
    }

    /// The penalty to fit with: the fixed λ₁, λ₂, or, with a grid, the (λ₁, λ₂) of lowest
    /// cross-validated log-loss over `l1Grid` x `l2Grid` (a missing grid is its fixed value).
    func choosePenalty(x: Matrix, names: [String], y: [Double], weights: [Double]?) throws -> (PenaltyStrength, CrossValidationResult?) {
        let fixed = PenaltyStrength(l1: l1, l2: l2)
        guard l1Grid != nil || l2Grid != nil else { return (fixed, nil) }
        let candidates = (l1Grid ?? [l1]).flatMap { a in (l2Grid ?? [l2]).map { PenaltyStrength(l1: a, l2: $0) } }
        let cv = try CrossValidation.choosePenalty(x: x, names: names, y: y, weights: weights, candidates: candidates,
                                                   folds: folds, seed: seed, options: logistic(fixed, dropCollinear: true))
        return (cv.best, cv)
    }
}
