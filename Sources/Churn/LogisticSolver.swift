import Foundation
import Linalg

/// One logistic fit while it runs: the coefficients, the pass over the design that evaluates them
/// and the penalty layer. `LogisticRegression.fit` checks the input and runs its phases:
/// `warmStart` on row subsamples, `refine` by gradient passes, then `newton` on all rows.
///
/// The pass reads the design through a pointer, so a solver lives only inside the design's
/// `withUnsafeBufferPointer`.
final class LogisticSolver {
    let x: Matrix
    let names: [String]
    let options: LogisticOptions
    let penalty: LogisticPenalty
    private let design: UnsafePointer<Double>
    private let y: [Double]
    private let weights: [Double]?
    /// Design columns in the fit (collinear ones dropped) and the pass over them.
    private(set) var active: [Int]
    private(set) var pass: IRLSPass
    /// Coefficients, one per design column (dropped columns stay 0).
    var beta: [Double]
    /// Coefficients after each accepted step on all rows (for the separation message).
    private(set) var history: [[Double]] = []

    init(x: Matrix, design: UnsafePointer<Double>, names: [String], y: [Double], weights: [Double]?,
         options: LogisticOptions, beta: [Double]) {
        self.x = x; self.design = design; self.names = names; self.y = y; self.weights = weights
        self.options = options; self.beta = beta
        penalty = LogisticPenalty(l1: options.l1, l2: options.l2, penalised: (0..<x.columns).map { $0 != options.interceptColumn })
        active = Array(0..<x.columns)
        pass = IRLSPass(x: design, rows: x.rows, columns: x.columns, active: active, y: y, weights: weights,
                        threads: options.threads, chunk: options.chunkRows)
    }

    /// Keeps only the `kept` design columns from now on (a new pass over them; no copy of the design).
    func restrict(to kept: [Int]) {
        active = kept
        pass = IRLSPass(x: design, rows: x.rows, columns: x.columns, active: kept, y: y, weights: weights,
                        threads: options.threads, chunk: options.chunkRows)
    }

    /// The penalised objective at `b` given the pass's −log-likelihood there.
    func objective(at b: [Double]) -> Double { pass.objective + penalty.value(b, active: active) }

    /// Evaluates the current β on all rows (or every `sampleStride`-th chunk). A non-finite objective
    /// at a finite β means a NaN or infinity in the design; only then is the design scanned for the
    /// culprit (a scan costs as much as a pass).
    func evaluate(sampleStride: Int = 1) throws {
        try pass.run(beta: beta, sampleStride: sampleStride)
        guard !pass.objective.isFinite else { return }
        if let bad = x.values.firstIndex(where: { !$0.isFinite }) {
            throw ChurnError.numerical("design column '\(names[bad / x.rows])' has a non-finite value in row \(bad % x.rows)")
        }
        throw ChurnError.numerical("the log-likelihood is not finite at the starting point")
    }

    struct NewtonStep {
        var step: [Double]
        /// max_j |Δ_j| / (1 + |β_j|): what the convergence test bounds.
        var relative: Double
        /// Twice the decrease the step's model predicts (the Newton decrement g^T H^{-1} g without L1).
        var decrement: Double
        /// The optimality gap at the current β (max |gradient| without L1).
        var maxGradient: Double
    }

    /// The Newton step at the current pass through the penalty layer (a proximal Newton step with an
    /// L1 penalty), on the active columns. `hessian` replaces the pass's information matrix (the
    /// refinement's BFGS matrix).
    func newtonStep(hessian: Matrix? = nil) throws -> NewtonStep {
        let g = active.map { pass.gradient[$0] }
        let b = active.map { beta[$0] }
        let newton: (step: [Double], predictedDecrease: Double)
        do { newton = try penalty.step(hessian: hessian ?? pass.hessian, gradient: g, beta: b, active: active) } catch {
            throw ChurnError.numerical("the information matrix is not positive definite (\(error)); the design is (nearly) rank deficient: use --drop-collinear or an L2 penalty")
        }
        let relative = zip(b, newton.step).map { abs($1) / (1 + abs($0)) }.max() ?? 0
        return NewtonStep(step: newton.step, relative: relative, decrement: 2 * newton.predictedDecrease,
                          maxGradient: penalty.optimalityGap(gradient: g, beta: b, active: active))
    }

    /// β + t Δ over the active columns.
    func moved(by step: [Double], times t: Double = 1) -> [Double] {
        var b = beta
        for (a, j) in active.enumerated() { b[j] += t * step[a] }
        return b
    }

    /// Step halving: moves β to β + tΔ for the largest t in 1, 1/2, 1/4, … that does not increase
    /// the objective, and returns the new objective (nil when no such t ≥ 2^-39 exists) and whether
    /// the full step was taken. The trial pass computes gradient and information matrix too, so an
    /// accepted step (nearly always the full one) costs exactly one pass over the design.
    func halvingStep(_ step: [Double], from objective: Double, sampleStride: Int = 1) throws -> (objective: Double, full: Bool)? {
        var t = 1.0
        for _ in 0..<40 {
            let candidate = moved(by: step, times: t)
            try pass.run(beta: candidate, sampleStride: sampleStride)
            let value = self.objective(at: candidate)
            if value.isFinite && value <= objective + 1e-12 * max(1, abs(objective)) {
                beta = candidate
                return (value, t == 1)
            }
            t /= 2
        }
        return nil
    }

    /// Warm start (large designs): Newton on a coarse row subsample until its step is below 1e-1,
    /// then on 1/8 of the rows until its step is below 1e-2 relative: closer than that a subsample's
    /// own sampling error (≈ 1e-2 on 1/8 of 200,000+ rows) dominates. A subsample's objective
    /// estimates the full one. If a subsample misbehaves (a rare level absent from it makes its
    /// information matrix singular, or it is separated where the full data is not), its level is
    /// skipped; if the last level fails, β goes back to the start and false is returned. The pass
    /// must hold the first level's evaluation of β.
    func warmStart(strides: [Int]) -> Bool {
        let start = beta
        var reached = false
        for (level, stride) in strides.enumerated() {
            let levelStart = beta
            reached = false
            do {
                if level > 0 { try pass.run(beta: beta, sampleStride: stride) }
                var sampledObjective = objective(at: beta)
                for _ in 0..<20 {
                    let newton = try newtonStep()
                    LogisticRegression.traceLine("warm start 1/\(stride): objective \(sampledObjective) relative step \(newton.relative)")
                    // Close enough: the next level (or the refinement) corrects this step's remaining
                    // error together with the subsample's, so it is not taken.
                    if newton.relative <= (level == strides.count - 1 ? 1e-2 : 1e-1) { reached = true; break }
                    guard let accepted = try halvingStep(newton.step, from: sampledObjective, sampleStride: stride) else { break }
                    sampledObjective = accepted.objective
                }
            } catch {
                reached = false
            }
            if !reached { beta = levelStart }
        }
        if !reached { beta = start }
        return reached
    }

    /// Refinement after the warm start: gradient passes over all rows (two dgemv each, no dsyrk,
    /// a third of a full pass) with the warm start's information matrix as the Newton matrix,
    /// improved after each pass by the BFGS secant update from the change in gradient
    /// (Nocedal & Wright, *Numerical Optimization* eq. 6.19). The subsample's matrix differs
    /// from the full one by its sampling error (≈ 1e-2 relative on 1/8 of 200,000+ rows), so
    /// the first pass already shrinks the error about a hundredfold, and the secant updates
    /// correct the matrix along the directions the error still has. It stops once the observed
    /// contraction predicts the next step below the tolerance — one full Newton pass then
    /// converges and gives the information matrix at the optimum for the standard errors — or,
    /// leaving the rest to Newton, when the contraction is slower than 1/4 or a step went uphill.
    ///
    /// Ends with a full pass (gradient and information matrix) at the final β; if the last step
    /// went uphill, β goes back to the last point whose objective was verified.
    func refine() throws {
        var matrix = pass.hessian
        var verified = (beta: beta, objective: Double.infinity)
        var previous: (relative: Double, gradient: [Double], step: [Double])?
        for _ in 0..<8 {
            try pass.run(beta: beta, withHessian: false)
            let value = objective(at: beta)
            guard value <= verified.objective + 1e-12 * max(1, abs(value)) else {
                beta = verified.beta
                break
            }
            verified = (beta, value)
            // The matrix approximates X^T W X, the Hessian of −LL: its secant pairs are the step and
            // the change of −LL's gradient; the penalty layer adds the penalty to every step.
            let gradient = active.map { pass.gradient[$0] }
            if let previous {
                LogisticRegression.secantUpdate(&matrix, step: previous.step, gradientChange: zip(previous.gradient, gradient).map { $0 - $1 })
            }
            let newton = try newtonStep(hessian: matrix)
            LogisticRegression.traceLine("refinement: objective \(value) relative step \(newton.relative)")
            if let previous, newton.relative > previous.relative / 4 { break }
            beta = moved(by: newton.step)
            if let previous, newton.relative * newton.relative / previous.relative <= options.tolerance { break }
            previous = (newton.relative, gradient, newton.step)
        }
        try evaluate()
        if !(objective(at: beta) <= verified.objective + 1e-12 * max(1, abs(verified.objective))) {
            beta = verified.beta
            try evaluate()
        }
    }

    /// How Newton on all rows ended.
    struct NewtonResult {
        var objective: Double
        var iterations: Int
        var converged: Bool
        var last: NewtonStep?
    }

    /// Newton (IRLS) on all rows from the pass's evaluation of β until every step component is below
    /// `tolerance · (1 + |β_j|)`. The converging step is taken without another pass: the objective
    /// there is objective − decrement/2 to O(|Δ|³), and the information matrix at the previous point
    /// (a relative 1e-7 away) serves for the standard errors. Throws the separation error when an
    /// unpenalised fit keeps going with rows predicted perfectly.
    func newton(weightedRows: () -> Int) throws -> NewtonResult {
        var result = NewtonResult(objective: objective(at: beta), iterations: 0, converged: false, last: nil)
        history = [beta]
        var previousRelative: Double?
        var previousFull = false
        func finish(with newton: NewtonStep) {
            beta = moved(by: newton.step)
            result.objective -= newton.decrement / 2
            history.append(beta)
            result.converged = true
        }
        while result.iterations < options.maxIterations {
            let newton = try newtonStep()
            result.last = newton
            result.iterations += 1
            LogisticRegression.traceLine("iteration \(result.iterations): objective \(result.objective) relative step \(newton.relative) max|g| \(newton.maxGradient)")
            if newton.relative <= options.tolerance { finish(with: newton); break }
            // Penalised fits need no standard errors, so they may also stop one pass early: once
            // Newton has shown its quadratic rate (r_k ≈ C r_{k−1}²) and that rate predicts the step
            // after this one below a tenth of the tolerance, this step lands on the optimum to about
            // C r_k² ≤ 1e-8 relative (far inside the 1e-6 the peers are matched to). Unpenalised fits
            // always verify with a pass, because their standard errors need the information matrix
            // at the optimum.
            if penalty.isActive, let previous = previousRelative, previousFull, newton.relative < previous {
                let rate = newton.relative / (previous * previous)
                let predicted = rate * newton.relative * newton.relative
                if rate < 100 && predicted <= options.tolerance / 10 {
                    LogisticRegression.traceLine("stopping: predicted next relative step \(predicted)")
                    finish(with: newton)
                    break
                }
            }
            previousRelative = newton.relative
            guard let accepted = try halvingStep(newton.step, from: result.objective) else {
                // No downhill step left although the step is not tiny: stop, not converged.
                try pass.run(beta: beta)
                break
            }
            result.objective = accepted.objective
            previousFull = accepted.full
            history.append(beta)
            // Separation: a well-posed logistic fit converges in well under 20 Newton steps.
            // Still going with rows predicted perfectly means the MLE does not exist.
            if !penalty.isActive && result.iterations >= 20 && pass.perfectlyPredicted > 0 {
                throw separationError(rows: weightedRows())
            }
        }
        if !result.converged && !penalty.isActive && pass.perfectlyPredicted > 0 {
            throw separationError(rows: weightedRows())
        }
        return result
    }

    /// Names the columns whose coefficients keep running away (the separating direction).
    func separationError(rows: Int) -> ChurnError {
        let last = history[history.count - 1]
        let earlier = history[max(0, history.count - 6)]
        let intercept = options.interceptColumn
        let growth = active.map { (j: $0, d: abs(last[$0] - earlier[$0])) }
        let largest = growth.filter { $0.j != intercept }.map(\.d).max() ?? 0
        let involved = growth.filter { $0.j != intercept && $0.d >= 0.1 * largest && $0.d > 0 }
            .sorted { $0.d > $1.d }.map { names[$0.j] }
        return .separation(columns: involved, perfectlyPredicted: pass.perfectlyPredicted, rows: rows,
                           complete: pass.misclassified == 0)
    }
}
