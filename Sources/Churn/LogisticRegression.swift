import Foundation
import Linalg

/// Options of a logistic fit.
public struct LogisticOptions: Sendable {
    /// L2 penalty λ. The fit minimises
    ///
    ///     −Σ_i w_i [y_i log p_i + (1 − y_i) log(1 − p_i)]  +  λ/2 Σ_{j ≠ intercept} β_j²
    ///
    /// scikit-learn's `LogisticRegression(C=…)` minimises 0.5‖β‖² + C Σ_i w_i loss_i (intercept not
    /// penalised), which has the same minimiser when λ = 1/C. λ = 0 is the unpenalised
    /// maximum-likelihood fit of statsmodels' `Logit`.
    public var l2: Double
    /// L1 penalty λ₁: adds λ₁ Σ_{j ≠ intercept} |β_j| (lasso; with `l2` the elastic net), which sets
    /// coefficients exactly to 0. scikit-learn's `penalty="elasticnet", C, l1_ratio=ρ` is
    /// λ₁ = ρ/C, λ₂ = (1 − ρ)/C. Fitted by proximal Newton steps (see `LogisticPenalty`).
    public var l1: Double
    /// Drop design columns that are exact linear combinations of earlier ones (and report them)
    /// instead of failing. Their coefficients are not estimated.
    public var dropCollinear: Bool
    public var maxIterations: Int
    /// Convergence: stop when every Newton step component is below `tolerance · (1 + |β_j|)`.
    /// Newton converges quadratically, so after that step the coefficients are exact to far better
    /// than 1e-6 relative.
    public var tolerance: Double
    /// Threads for the X^T W X pass (rows split into this many blocks).
    public var threads: Int
    /// Index of the intercept column (never penalised), nil when the design has none.
    public var interceptColumn: Int?
    /// Rows per cache-sized chunk in the X^T W X pass.
    public var chunkRows: Int
    /// On large designs (≥ 200,000 rows) the first Newton steps run on systematic subsamples of the
    /// row chunks (a coarse one, then every 8th chunk; objective scaled up) until their steps fall
    /// below 1e-2 relative. Gradient passes over all rows, with the subsample's information matrix
    /// as a BFGS-updated Newton matrix, then bring the error to the tolerance, and one full Newton
    /// pass confirms it and gives the information matrix at the optimum. Each full pass costs a
    /// dsyrk over all rows, so this is about twice as fast as Newton from the start. The optimum,
    /// the convergence test and the standard errors are those of the full data (cf. subsampled
    /// Newton methods: Byrd, Chin, Neveitt & Nocedal 2011; Roosta-Khorasani & Mahoney 2019).
    public var subsampleHessian: Bool

    public init(l2: Double = 0, l1: Double = 0, dropCollinear: Bool = false, maxIterations: Int = 50, tolerance: Double = 1e-7,
                threads: Int = 2, interceptColumn: Int? = 0, chunkRows: Int = 512, subsampleHessian: Bool = true) {
        self.l2 = l2; self.l1 = l1; self.dropCollinear = dropCollinear; self.maxIterations = maxIterations
        self.tolerance = tolerance; self.threads = threads; self.interceptColumn = interceptColumn
        self.chunkRows = chunkRows; self.subsampleHessian = subsampleHessian
    }
}

/// A fitted logistic regression: coefficients (one per design column; dropped columns are absent),
/// standard errors for unpenalised fits, and how the optimisation ended.
public struct LogisticFit: Sendable {
    public var names: [String]
    public var coefficients: [Double]
    /// sqrt(diag((X^T W X)^{-1})) at the optimum; nil for penalised fits (the penalised Hessian's
    /// inverse is not a sampling covariance).
    public var standardErrors: [Double]?
    /// Weighted log-likelihood at the optimum (total, not mean).
    public var logLikelihood: Double
    /// Log-likelihood of the intercept-only model (for McFadden's pseudo-R²).
    public var nullLogLikelihood: Double
    /// The minimised objective: −logLikelihood + λ₁ ‖β‖₁ + λ₂/2 ‖β‖² (intercept not penalised).
    public var objective: Double
    public var l1: Double
    public var l2: Double
    /// Newton steps on all rows (warm-start steps on a row subsample are not counted).
    public var iterations: Int
    public var converged: Bool
    /// max |∂objective/∂β_j| at the last evaluated point (before the final, tiny, step); with an L1
    /// penalty the distance of the gradient from the penalty's subdifferential (0 at the optimum).
    public var maxAbsGradient: Double
    /// Newton decrement² g^T H^{-1} g at the last evaluated point (half of it estimates objective − optimum).
    public var newtonDecrement: Double
    /// Columns dropped as collinear, with what they duplicate.
    public var dropped: [CollinearColumn]
    public var rows: Int
    public var weightSum: Double

    /// Statsmodels-style coefficient table (requires standard errors).
    public var table: CoefficientTable { CoefficientTable(fit: self) }
}

/// Logistic regression by Newton's method (IRLS), with the information matrix X^T W X from dsyrk
/// on both cores and the Newton system solved by Cholesky (LAPACK dpotrf/dpotrs); step halving
/// keeps every step downhill. See McCullagh & Nelder, *Generalized Linear Models* §4.4 for IRLS and
/// Boyd & Vandenberghe §9.5 for the Newton decrement.
public enum LogisticRegression {
    /// Set KLANT_TRACE_IRLS=1 to print every Newton step to stderr.
    static let trace = ProcessInfo.processInfo.environment["KLANT_TRACE_IRLS"] == "1"
    static let traceStart = Date()
    /// Writes one trace line, stamped with the seconds since the first one, when tracing is on.
    static func traceLine(_ message: @autoclosure () -> String) {
        guard trace else { return }
        let stamp = String(format: "[%.4f] ", Date().timeIntervalSince(traceStart))
        FileHandle.standardError.write((stamp + message() + "\n").data(using: .utf8)!)
    }

    /// Fits on a column-major design `x` (intercept column included, usually column 0) with 0/1
    /// labels `y` and optional non-negative `weights` (sample weights times class weights).
    ///
    /// Throws `ChurnError.collinear` (naming the columns) when the unpenalised design is rank
    /// deficient and `dropCollinear` is off, and `ChurnError.separation` when the classes are
    /// (quasi-)separated, instead of returning infinite or NaN coefficients.
    public static func fit(x: Matrix, names: [String], y: [Double], weights: [Double]? = nil,
                           options: LogisticOptions = LogisticOptions()) throws -> LogisticFit {
        let n = x.rows, p = x.columns
        traceLine("fit start")
        guard names.count == p else { throw ChurnError.invalidOption("\(names.count) names for \(p) design columns") }
        guard y.count == n else { throw ChurnError.invalidOption("\(y.count) labels for \(n) rows") }
        guard n > 0 else { throw ChurnError.numerical("no rows to fit") }
        guard options.l2 >= 0, options.l2.isFinite else { throw ChurnError.invalidOption("the L2 penalty must be a finite number ≥ 0, got \(options.l2)") }
        guard options.l1 >= 0, options.l1.isFinite else { throw ChurnError.invalidOption("the L1 penalty must be a finite number ≥ 0, got \(options.l1)") }
        let labels = labelSummary(y)
        if labels.nonBinary > 0, let bad = y.first(where: { $0 != 0 && $0 != 1 }) {
            throw ChurnError.invalidOption("labels must be 0 or 1, found \(bad)")
        }
        if let w = weights {
            guard w.count == n else { throw ChurnError.badWeights("\(w.count) weights for \(n) rows") }
            if let bad = w.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) { throw ChurnError.badWeights("row \(bad) has weight \(w[bad]); weights must be finite and ≥ 0") }
        }
        let weightSum = weights?.reduce(0, +) ?? Double(n)
        guard weightSum > 0 else { throw ChurnError.badWeights("all weights are zero") }
        let positives = weights.map { zip(y, $0).reduce(0) { $0 + $1.0 * $1.1 } } ?? labels.sum
        /// Rows that take part in the fit (positive weight), for the separation message.
        func weightedRows() -> Int { weights?.filter { $0 > 0 }.count ?? n }
        guard positives > 0 && positives < weightSum else {
            throw ChurnError.badTarget(column: "y", message: "every (weighted) row has the same label; a churn model needs both classes")
        }
        let intercept = options.interceptColumn
        let penalty = LogisticPenalty(l1: options.l1, l2: options.l2, penalised: (0..<p).map { $0 != intercept })

        // Start at the intercept-only optimum: β_0 = logit(mean y), others 0.
        var beta = [Double](repeating: 0, count: p)
        let ybar = positives / weightSum
        let nullLL = weightSum * (ybar * log(ybar) + (1 - ybar) * log(1 - ybar))
        if let i = intercept { beta[i] = log(ybar / (1 - ybar)) }

        return try x.values.withUnsafeBufferPointer { xp -> LogisticFit in
            var active = Array(0..<p)
            // Large designs: warm start on subsamples of the row chunks (see `subsampleHessian`).
            let strides = options.subsampleHessian ? warmStartStrides(rows: n, chunk: options.chunkRows) : []
            let sampleStride = strides.first ?? 1
            var pass = IRLSPass(x: xp.baseAddress!, rows: n, columns: p, active: active, y: y, weights: weights,
                                threads: options.threads, chunk: options.chunkRows)
            /// A non-finite objective at a finite β means a NaN or infinity in the design. Only then is
            /// the design scanned for the culprit (a scan costs as much as a pass).
            func requireFiniteObjective() throws {
                guard !pass.objective.isFinite else { return }
                if let bad = x.values.firstIndex(where: { !$0.isFinite }) {
                    throw ChurnError.numerical("design column '\(names[bad / n])' has a non-finite value in row \(bad % n)")
                }
                throw ChurnError.numerical("the log-likelihood is not finite at the starting point")
            }
            try pass.run(beta: beta, sampleStride: sampleStride)
            try requireFiniteObjective()

            // Rank check on the first information matrix (X^T W X with W > 0 has the rank of X).
            // A subsample can only lose rank, so columns it flags are re-checked on more rows, in the
            // end on all of them.
            var dropped: [CollinearColumn] = []
            var rank = Collinearity.check(gram: pass.hessian)
            for stride in strides.dropFirst() + [1] where !rank.dependent.isEmpty && sampleStride > 1 {
                try pass.run(beta: beta, sampleStride: stride)
                rank = Collinearity.check(gram: pass.hessian)
            }
            if !rank.dependent.isEmpty {
                let found = rank.dependent.map { d in
                    CollinearColumn(column: names[d.column], combination: d.combination.map { (names[$0.0], $0.1) })
                }
                if options.dropCollinear {
                    dropped = found
                    active = rank.kept
                    pass = IRLSPass(x: xp.baseAddress!, rows: n, columns: p, active: active, y: y, weights: weights,
                                    threads: options.threads, chunk: options.chunkRows)
                    try pass.run(beta: beta, sampleStride: sampleStride)
                } else if !penalty.isActive {  // (an L1 penalty alone picks one of the equivalent solutions)
                    throw ChurnError.collinear(found)
                }
            }

            func penaltyValue(_ b: [Double]) -> Double { penalty.value(b, active: active) }
            /// The Newton step at the current pass through the penalty layer (a proximal Newton step when
            /// there is an L1 penalty), on the active columns. `hessian` replaces the pass's information
            /// matrix (the refinement's BFGS matrix). `decrement` is twice the decrease the step's model
            /// predicts (the Newton decrement g^T H^{-1} g without L1); `maxGradient` the optimality gap.
            func newtonStep(hessian: Matrix? = nil) throws -> (step: [Double], relative: Double, decrement: Double, maxGradient: Double) {
                let g = active.map { pass.gradient[$0] }
                let b = active.map { beta[$0] }
                let newton: (step: [Double], predictedDecrease: Double)
                do { newton = try penalty.step(hessian: hessian ?? pass.hessian, gradient: g, beta: b, active: active) } catch {
                    throw ChurnError.numerical("the information matrix is not positive definite (\(error)); the design is (nearly) rank deficient: use --drop-collinear or an L2 penalty")
                }
                let relative = zip(b, newton.step).map { abs($1) / (1 + abs($0)) }.max() ?? 0
                return (newton.step, relative, 2 * newton.predictedDecrease, penalty.optimalityGap(gradient: g, beta: b, active: active))
            }
            /// Step halving: moves β to β + tΔ for the largest t in 1, 1/2, 1/4, … that does not increase
            /// the objective. The trial pass computes gradient and information matrix too, so an accepted
            /// step (nearly always the full one) costs exactly one pass over the design.
            var lastStepWasFull = false
            func halvingStep(_ step: [Double], from objective: Double, sampleStride: Int) throws -> Double? {
                var t = 1.0
                var candidate = beta
                for _ in 0..<40 {
                    for (a, j) in active.enumerated() { candidate[j] = beta[j] + t * step[a] }
                    try pass.run(beta: candidate, sampleStride: sampleStride)
                    let value = pass.objective + penaltyValue(candidate)
                    if value.isFinite && value <= objective + 1e-12 * max(1, abs(objective)) {
                        beta = candidate
                        lastStepWasFull = t == 1
                        return value
                    }
                    t /= 2
                }
                return nil
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
            /// Returns the last point whose objective was verified (the caller's full pass checks the
            /// final step).
            func secantUpdate(_ b: inout Matrix, step: [Double], gradientChange: [Double]) {
                LogisticRegression.secantUpdate(&b, step: step, gradientChange: gradientChange)
            }
            func refineWithWarmStartHessian() throws -> (beta: [Double], objective: Double) {
                var matrix = pass.hessian
                var verified = (beta: beta, objective: Double.infinity)
                var previous: (relative: Double, gradient: [Double], step: [Double])?
                for _ in 0..<8 {
                    try pass.run(beta: beta, withHessian: false)
                    let value = pass.objective + penaltyValue(beta)
                    guard value <= verified.objective + 1e-12 * max(1, abs(value)) else {
                        beta = verified.beta
                        break
                    }
                    verified = (beta, value)
                    // The matrix approximates X^T W X, the Hessian of −LL: its secant pairs are the step and
                    // the change of −LL's gradient; the penalty layer adds the penalty to every step.
                    let gradient = active.map { pass.gradient[$0] }
                    if let previous {
                        secantUpdate(&matrix, step: previous.step, gradientChange: zip(previous.gradient, gradient).map { $0 - $1 })
                    }
                    let newton = try newtonStep(hessian: matrix)
                    traceLine("refinement: objective \(value) relative step \(newton.relative)")
                    if let previous, newton.relative > previous.relative / 4 { break }
                    for (a, j) in active.enumerated() { beta[j] += newton.step[a] }
                    if let previous, newton.relative * newton.relative / previous.relative <= options.tolerance { break }
                    previous = (newton.relative, gradient, newton.step)
                }
                return verified
            }

            // Warm start (large designs): Newton on a coarse row subsample until its step is below 1e-1,
            // then on 1/8 of the rows until its step is below 1e-2 relative: closer than that a subsample's own
            // sampling error (≈ 1e-2 on 1/8 of 200,000+ rows) dominates. A subsample's objective
            // estimates the full one. If a subsample misbehaves (a rare level absent from it makes its
            // information matrix singular, or it is separated where the full data is not), its level is
            // skipped; if the 1/8 level fails, Newton on all rows starts afresh.
            if let finest = strides.last {
                let start = beta
                var reached = false
                for (level, stride) in strides.enumerated() {
                    let levelStart = beta
                    var levelReached = false
                    do {
                        if level > 0 { try pass.run(beta: beta, sampleStride: stride) }
                        var sampledObjective = pass.objective + penaltyValue(beta)
                        for _ in 0..<20 {
                            let newton = try newtonStep()
                            traceLine("warm start 1/\(stride): objective \(sampledObjective) relative step \(newton.relative)")
                            // Close enough: the next level (or the refinement) corrects this step's
                            // remaining error together with the subsample's, so it is not taken.
                            if newton.relative <= (stride == finest ? 1e-2 : 1e-1) { levelReached = true; break }
                            guard let value = try halvingStep(newton.step, from: sampledObjective, sampleStride: stride) else { break }
                            sampledObjective = value
                        }
                    } catch {
                        levelReached = false
                    }
                    if !levelReached { beta = levelStart }
                    reached = levelReached
                }
                if !reached { beta = start }
                let refined = reached ? try refineWithWarmStartHessian() : nil
                try pass.run(beta: beta)
                try requireFiniteObjective()  // the warm start has not seen every row
                if let refined, !(pass.objective + penaltyValue(beta) <= refined.objective + 1e-12 * max(1, abs(refined.objective))) {
                    // The refinement's last step went uphill: go back to its last verified point.
                    beta = refined.beta
                    try pass.run(beta: beta)
                }
            }

            var objective = pass.objective + penaltyValue(beta)
            var iterations = 0
            var converged = false
            var decrement = Double.infinity
            var maxGradient = Double.infinity
            var history: [[Double]] = [beta]
            var previousRelative: Double?
            var previousFull = false
            while iterations < options.maxIterations {
                let newton = try newtonStep()
                decrement = newton.decrement
                maxGradient = newton.maxGradient
                iterations += 1
                traceLine("iteration \(iterations): objective \(objective) relative step \(newton.relative) max|g| \(maxGradient)")
                if newton.relative <= options.tolerance {
                    // Converged. Take the tiny last step without another pass: the objective there is
                    // objective − decrement/2 to O(|Δ|³), and the information matrix at the previous point
                    // (a relative 1e-8 away) serves for the standard errors.
                    for (a, j) in active.enumerated() { beta[j] += newton.step[a] }
                    objective -= newton.decrement / 2
                    history.append(beta)
                    converged = true
                    break
                }
                // Penalised fits need no standard errors, so they may also stop one pass early: once
                // Newton has shown its quadratic rate (r_k ≈ C r_{k−1}²) and that rate predicts the step
                // after this one below a tenth of the tolerance, this step lands on the optimum to
                // about C r_k² ≤ 1e-8 relative (far inside the 1e-6 the peers are matched to). Unpenalised fits always verify with a pass,
                // because their standard errors need the information matrix at the optimum.
                if penalty.isActive, let previous = previousRelative, previousFull, newton.relative < previous {
                    let rate = newton.relative / (previous * previous)
                    let predicted = rate * newton.relative * newton.relative
                    if rate < 100 && predicted <= options.tolerance / 10 {
                        for (a, j) in active.enumerated() { beta[j] += newton.step[a] }
                        objective -= newton.decrement / 2
                        history.append(beta)
                        converged = true
                        traceLine("stopping: predicted next relative step \(predicted)")
                        break
                    }
                }
                previousRelative = newton.relative
                guard let value = try halvingStep(newton.step, from: objective, sampleStride: 1) else {
                    // No downhill step left although the step is not tiny: stop, not converged.
                    try pass.run(beta: beta)
                    break
                }
                objective = value
                previousFull = lastStepWasFull
                history.append(beta)

                // Separation: a well-posed logistic fit converges in well under 20 Newton steps.
                // Still going with rows predicted perfectly means the MLE does not exist.
                if !penalty.isActive && iterations >= 20 && pass.perfectlyPredicted > 0 {
                    throw separationError(history: history, names: names, active: active, intercept: intercept,
                                          perfect: pass.perfectlyPredicted, rows: weightedRows(),
                                          complete: pass.misclassified == 0)
                }
            }
            if !converged && !penalty.isActive && pass.perfectlyPredicted > 0 {
                throw separationError(history: history, names: names, active: active, intercept: intercept,
                                      perfect: pass.perfectlyPredicted, rows: weightedRows(),
                                          complete: pass.misclassified == 0)
            }

            // Standard errors from the inverse information at the optimum (unpenalised fits only).
            var standardErrors: [Double]?
            if !penalty.isActive {
                let covariance = try LAPACK.inversePositiveDefinite(pass.hessian)
                standardErrors = active.indices.map { covariance[$0, $0].squareRoot() }
            }
            let ll = -(objective - penaltyValue(beta))
            traceLine("done")
            return LogisticFit(names: active.map { names[$0] }, coefficients: active.map { beta[$0] },
                               standardErrors: standardErrors, logLikelihood: ll, nullLogLikelihood: nullLL,
                               objective: objective, l1: options.l1, l2: options.l2, iterations: iterations, converged: converged,
                               maxAbsGradient: maxGradient, newtonDecrement: decrement, dropped: dropped,
                               rows: n, weightSum: weightSum)
        }
    }

    /// The sum of the labels and how many are not 0 or 1 (NaN included), in one branch-free pass:
    /// x (1 − x) is 0 exactly for 0 and 1, so random 0/1 labels cost no mispredicted branches (5x
    /// faster than testing `x == 0 || x == 1`).
    static func labelSummary(_ values: [Double]) -> (sum: Double, nonBinary: Int) {
        values.withUnsafeBufferPointer { v in
            var sum = 0.0
            var nonBinary = 0
            for x in v {
                sum += x
                nonBinary &+= x * (1 - x) != 0 ? 1 : 0
            }
            return (sum, nonBinary)
        }
    }

    /// The row-chunk strides of the warm start: none below 200,000 rows; otherwise every 8th chunk,
    /// preceded by a coarser power-of-two stride (up to 64) that still leaves at least 12,000 rows,
    /// enough for the first, large Newton steps at a fraction of the cost.
    static func warmStartStrides(rows: Int, chunk: Int) -> [Int] {
        guard rows >= 200_000 else { return [] }
        let coarse = [64, 32, 16].first { rows / $0 >= 12_000 && rows / chunk >= 4 * $0 }
        return (coarse.map { [$0] } ?? []) + [8]
    }

    /// BFGS update of a Hessian approximation B after a step s that changed the objective's gradient
    /// by y: B + y yᵀ / (yᵀ s) − (B s)(B s)ᵀ / (sᵀ B s) (Nocedal & Wright eq. 6.19). Skipped when
    /// yᵀ s is not safely positive (B would lose positive definiteness).
    static func secantUpdate(_ b: inout Matrix, step s: [Double], gradientChange y: [Double]) {
        let k = s.count
        let bs = (0..<k).map { i in (0..<k).reduce(0.0) { $0 + b[i, $1] * s[$1] } }
        let ys = zip(y, s).reduce(0) { $0 + $1.0 * $1.1 }
        let sbs = zip(s, bs).reduce(0) { $0 + $1.0 * $1.1 }
        guard ys > 1e-12 * sbs, sbs > 0 else { return }
        for i in 0..<k { for j in 0..<k { b[i, j] += y[i] * y[j] / ys - bs[i] * bs[j] / sbs } }
    }

    /// Names the columns whose coefficients keep running away (the separating direction).
    static func separationError(history: [[Double]], names: [String], active: [Int], intercept: Int?,
                                perfect: Int, rows: Int, complete: Bool) -> ChurnError {
        let last = history[history.count - 1]
        let earlier = history[max(0, history.count - 6)]
        let growth = active.map { (j: $0, d: abs(last[$0] - earlier[$0])) }
        let largest = growth.filter { $0.j != intercept }.map(\.d).max() ?? 0
        let involved = growth.filter { $0.j != intercept && $0.d >= 0.1 * largest && $0.d > 0 }
            .sorted { $0.d > $1.d }.map { names[$0.j] }
        return .separation(columns: involved, perfectlyPredicted: perfect, rows: rows, complete: complete)
    }

    /// Probabilities 1 / (1 + exp(−x β)) for a design with the fit's columns (in the fit's order).
    public static func probabilities(x: Matrix, coefficients: [Double]) throws -> [Double] {
        guard x.columns == coefficients.count else {
            throw ChurnError.invalidOption("design has \(x.columns) columns, the model \(coefficients.count) coefficients")
        }
        let eta = try BLAS.multiply(x, coefficients)
        return eta.map(logistic)
    }

    /// The logistic function, accurate for large |η| (never exactly 0 or 1 from cancellation).
    public static func logistic(_ eta: Double) -> Double {
        eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))
    }
}
