import Foundation

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
    /// L1 penalty λ₁ (see `LogisticOptions.l1`), fixed also while `l2Grid` chooses λ₂.
    public var l1: Double
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

    public init(encoding: EncodingOptions, l2: Double = 0, l2Grid: [Double]? = nil, l1: Double = 0, folds: Int = 5,
                seed: UInt64 = CrossValidation.defaultSeed, dropCollinear: Bool = false, classWeight: ClassWeight = .none,
                rejectsPath: URL? = nil, holdoutFraction: Double? = nil, crossValidatedEvaluation: Bool = false,
                threshold: Double = 0.5, maxIterations: Int = 50) {
        self.encoding = encoding; self.l2 = l2; self.l2Grid = l2Grid; self.l1 = l1; self.folds = folds; self.seed = seed
        self.dropCollinear = dropCollinear; self.classWeight = classWeight; self.rejectsPath = rejectsPath
        self.holdoutFraction = holdoutFraction; self.crossValidatedEvaluation = crossValidatedEvaluation
        self.threshold = threshold; self.maxIterations = maxIterations
    }

    /// The logistic fit's options at L2 penalty `l2` (this λ₁, iteration limit).
    func logistic(l2: Double, dropCollinear: Bool) -> LogisticOptions {
        LogisticOptions(l2: l2, l1: l1, dropCollinear: dropCollinear, maxIterations: maxIterations)
    }
}
