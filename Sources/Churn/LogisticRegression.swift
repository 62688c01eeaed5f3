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
/// on both cores and the Newton system solved by Cholesky (LAPACK dpotrf/dpotrs), or, with an L1
/// penalty, proximal Newton steps (`LogisticPenalty`); step halving keeps every step downhill.
/// `LogisticSolver` runs the phases. See McCullagh & Nelder, *Generalized Linear Models* §4.4 for
/// IRLS and Boyd & Vandenberghe §9.5 for the Newton decrement.
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
        guard positives > 0 && positives < weightSum else {
            throw ChurnError.badTarget(column: "y", message: "every (weighted) row has the same label; a churn model needs both classes")
        }
        // Start at the intercept-only optimum: β_0 = logit(mean y), others 0.
        var start = [Double](repeating: 0, count: p)
        let ybar = positives / weightSum
        let nullLL = weightSum * (ybar * log(ybar) + (1 - ybar) * log(1 - ybar))
        if let i = options.interceptColumn { start[i] = log(ybar / (1 - ybar)) }

        // The whole fit keeps OpenBLAS to one thread: its passes call BLAS from their own threads,
        // and switching the setting per pass would wake OpenBLAS's pool, whose threads then spin
        // (sched_yield) through the next pass on the same cores (10-13% of the CPU time measured).
        return try BLAS.withSingleThreadedBLAS { try x.values.withUnsafeBufferPointer { xp -> LogisticFit in
            let solver = LogisticSolver(x: x, design: xp.baseAddress!, names: names, y: y, weights: weights,
                                        options: options, beta: start)
            // Large designs: warm start on subsamples of the row chunks (see `subsampleHessian`).
            let strides = options.subsampleHessian ? warmStartStrides(rows: n, chunk: options.chunkRows) : []
            var evaluatedStride = strides.first ?? 1
            try solver.evaluate(sampleStride: evaluatedStride)

            // Rank check on the first information matrix (X^T W X with W > 0 has the rank of X).
            // A subsample can only lose rank, so columns it flags are re-checked on more rows, in the
            // end on all of them.
            var dropped: [CollinearColumn] = []
            var rank = Collinearity.check(gram: solver.pass.hessian)
            for stride in strides.dropFirst() + [1] where !rank.dependent.isEmpty && !strides.isEmpty {
                try solver.evaluate(sampleStride: stride)
                evaluatedStride = stride
                rank = Collinearity.check(gram: solver.pass.hessian)
            }
            if !rank.dependent.isEmpty {
                let found = rank.dependent.map { d in
                    CollinearColumn(column: names[d.column], combination: d.combination.map { (names[$0.0], $0.1) })
                }
                if options.dropCollinear {
                    dropped = found
                    solver.restrict(to: rank.kept)
                    evaluatedStride = 0  // a new pass, not evaluated yet
                } else if !solver.penalty.isActive {  // (a penalty picks one of the equivalent solutions)
                    throw ChurnError.collinear(found)
                }
            }

            // The warm start (or Newton) starts from an evaluation on its own rows: the rank check may
            // have left one on more rows, or none after dropping columns.
            if evaluatedStride != (strides.first ?? 1) { try solver.evaluate(sampleStride: strides.first ?? 1) }
            if !strides.isEmpty {
                if solver.warmStart(strides: strides) {
                    try solver.refine()
                } else {
                    try solver.evaluate()  // Newton on all rows from the start
                }
            }
            let newton = try solver.newton(weightedRows: { weights?.filter { $0 > 0 }.count ?? n })

            // Standard errors from the inverse information at the optimum (unpenalised fits only).
            var standardErrors: [Double]?
            if !solver.penalty.isActive {
                let covariance = try LAPACK.inversePositiveDefinite(solver.pass.hessian)
                standardErrors = solver.active.indices.map { covariance[$0, $0].squareRoot() }
            }
            traceLine("done")
            let beta = solver.beta
            return LogisticFit(names: solver.active.map { names[$0] }, coefficients: solver.active.map { beta[$0] },
                               standardErrors: standardErrors,
                               logLikelihood: -(newton.objective - solver.penalty.value(beta, active: solver.active)),
                               nullLogLikelihood: nullLL, objective: newton.objective, l1: options.l1, l2: options.l2,
                               iterations: newton.iterations, converged: newton.converged,
                               maxAbsGradient: newton.last?.maxGradient ?? .infinity,
                               newtonDecrement: newton.last?.decrement ?? .infinity, dropped: dropped,
                               rows: n, weightSum: weightSum)
        } }
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
