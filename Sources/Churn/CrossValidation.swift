import Foundation
import Linalg
import Models

/// Reproducible data splits and k-fold choice of the L2 penalty.
///
/// Splits come from `Models.SeededGenerator(seed:)` (SplitMix64) through `permutation` in
/// SeededShuffling.swift: the same seed gives the same split on every machine.
/// The encoding (levels, means) is learnt on all training rows before splitting, which leaks
/// nothing about the labels.
public enum CrossValidation {
    /// The default seed for holdout splits and folds (documented so results can be reproduced).
    public static let defaultSeed: UInt64 = 20_240_601

    /// A holdout split: a seeded permutation of the rows; the first ⌊testFraction·n⌋ rows of it are
    /// the test set. Both index lists are returned sorted.
    public static func holdoutSplit(rows n: Int, testFraction: Double = 0.3, seed: UInt64 = defaultSeed) throws -> (train: [Int], test: [Int]) {
        guard testFraction > 0, testFraction < 1 else { throw ChurnError.invalidOption("the test fraction must be between 0 and 1, got \(testFraction)") }
        var rng = SeededGenerator(seed: seed)
        let perm = rng.permutation(n)
        let nTest = Int(Double(n) * testFraction)
        return (Array(perm[nTest...]).sorted(), Array(perm[..<nTest]).sorted())
    }

    /// Fold number (0..<k) of each row: a seeded permutation dealt round-robin, so fold sizes differ by at most one.
    public static func foldAssignment(rows n: Int, folds k: Int, seed: UInt64 = defaultSeed) -> [Int] {
        var rng = SeededGenerator(seed: seed)
        var fold = [Int](repeating: 0, count: n)
        for (position, row) in rng.permutation(n).enumerated() { fold[row] = position % k }
        return fold
    }

    /// The rows of a column-major matrix at `indices` (a copy: each fold is its own fit).
    public static func selectRows(_ x: Matrix, _ indices: [Int]) -> Matrix {
        x.gatheringRows(indices)
    }

    /// The columns of a column-major matrix at `indices` (a copy).
    public static func selectColumns(_ x: Matrix, _ indices: [Int]) -> Matrix {
        var values: [Double] = []
        values.reserveCapacity(x.rows * indices.count)
        for j in indices { values.append(contentsOf: x.values[(j * x.rows)..<((j + 1) * x.rows)]) }
        return Matrix(rows: x.rows, columns: indices.count, columnMajor: values)
    }

    /// Out-of-fold probabilities: each row is scored by the model fitted on the other folds, so
    /// `ChurnEvaluation(labels: y, probabilities: outOfFold)` is a cross-validated evaluation.
    public static func outOfFoldProbabilities(x: Matrix, names: [String], y: [Double], weights: [Double]? = nil,
                                              folds k: Int = 5, seed: UInt64 = defaultSeed,
                                              options: LogisticOptions = LogisticOptions(dropCollinear: true)) throws -> [Double] {
        guard k >= 2, k <= x.rows else { throw ChurnError.invalidOption("cross-validation needs 2 ≤ folds ≤ rows, got \(k)") }
        let fold = foldAssignment(rows: x.rows, folds: k, seed: seed)
        var out = [Double](repeating: .nan, count: x.rows)
        for f in 0..<k {
            let train = fold.indices.filter { fold[$0] != f }, test = fold.indices.filter { fold[$0] == f }
            let fit = try LogisticRegression.fit(x: selectRows(x, train), names: names, y: train.map { y[$0] },
                                                 weights: weights.map { w in train.map { w[$0] } }, options: options)
            let keep = fit.names.map { names.firstIndex(of: $0)! }
            let p = try LogisticRegression.probabilities(x: selectColumns(selectRows(x, test), keep), coefficients: fit.coefficients)
            for (r, i) in test.enumerated() { out[i] = p[r] }
        }
        return out
    }

    /// Mean held-out log-loss for every λ₂ in `lambdas` (λ₁ from `options`) over `folds` folds; the
    /// best λ has the lowest mean.
    public static func chooseL2(x: Matrix, names: [String], y: [Double], weights: [Double]? = nil,
                                lambdas: [Double], folds k: Int = 5, seed: UInt64 = defaultSeed,
                                options: LogisticOptions = LogisticOptions(dropCollinear: true)) throws -> CrossValidationResult {
        try choosePenalty(x: x, names: names, y: y, weights: weights,
                          candidates: lambdas.map { PenaltyStrength(l1: options.l1, l2: $0) }, folds: k, seed: seed, options: options)
    }

    /// Mean held-out log-loss for every (λ₁, λ₂) in `candidates` over `folds` folds (the same folds
    /// for all); the best has the lowest mean.
    public static func choosePenalty(x: Matrix, names: [String], y: [Double], weights: [Double]? = nil,
                                     candidates: [PenaltyStrength], folds k: Int = 5, seed: UInt64 = defaultSeed,
                                     options: LogisticOptions = LogisticOptions(dropCollinear: true)) throws -> CrossValidationResult {
        guard k >= 2, k <= x.rows else { throw ChurnError.invalidOption("cross-validation needs 2 ≤ folds ≤ rows, got \(k)") }
        guard !candidates.isEmpty else { throw ChurnError.invalidOption("the penalty grid is empty") }
        let fold = foldAssignment(rows: x.rows, folds: k, seed: seed)
        var losses = [[Double]](repeating: [], count: candidates.count)
        for f in 0..<k {
            let train = fold.indices.filter { fold[$0] != f }, test = fold.indices.filter { fold[$0] == f }
            let xTrain = selectRows(x, train), xTest = selectRows(x, test)
            let yTrain = train.map { y[$0] }, yTest = test.map { y[$0] }
            let wTrain = weights.map { w in train.map { w[$0] } }
            for (c, candidate) in candidates.enumerated() {
                var o = options
                o.l1 = candidate.l1
                o.l2 = candidate.l2
                let fit = try LogisticRegression.fit(x: xTrain, names: names, y: yTrain, weights: wTrain, options: o)
                // Score the held-out fold with the kept columns.
                let keep = fit.names.map { names.firstIndex(of: $0)! }
                let p = try LogisticRegression.probabilities(x: selectColumns(xTest, keep), coefficients: fit.coefficients)
                losses[c].append(ChurnMetrics.logLoss(labels: yTest, probabilities: p))
            }
        }
        let means = losses.map { $0.reduce(0, +) / Double(k) }
        let ses = zip(losses, means).map { ls, m in (ls.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(k - 1) / Double(k)).squareRoot() }
        let best = means.indices.min { means[$0] < means[$1] }!
        return CrossValidationResult(candidates: candidates, meanLogLoss: means, standardErrors: ses, folds: k, seed: seed,
                                     best: candidates[best])
    }
}

/// The strengths of a logistic fit's penalty: λ₁ Σ|β_j| + λ₂/2 Σβ_j² (see `LogisticOptions`).
public struct PenaltyStrength: Sendable, Equatable {
    public var l1: Double
    public var l2: Double
    public init(l1: Double = 0, l2: Double = 0) { self.l1 = l1; self.l2 = l2 }
}

/// Held-out log-loss per penalty from k-fold cross-validation.
public struct CrossValidationResult: Sendable {
    public var candidates: [PenaltyStrength]
    public var meanLogLoss: [Double]
    /// Standard error of each mean over the folds.
    public var standardErrors: [Double]
    public var folds: Int
    public var seed: UInt64
    /// The penalty with the lowest mean held-out log-loss.
    public var best: PenaltyStrength

    public var report: String {
        var lines = ["\(folds)-fold cross-validation (seed \(seed)), mean held-out log-loss:"]
        let showL1 = candidates.contains { $0.l1 > 0 }
        for (i, c) in candidates.enumerated() {
            let label = (showL1 ? String(format: "l1 = %-10g  ", c.l1) : "") + String(format: "l2 = %-10g", c.l2)
            lines.append("  " + label + String(format: "  %.5f ± %.5f", meanLogLoss[i], standardErrors[i]) + (c == best ? "  <- best" : ""))
        }
        return lines.joined(separator: "\n")
    }
}
