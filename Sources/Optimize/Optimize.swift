import Foundation
import Linalg

/// An objective to minimise: returns f(x) and writes ∇f(x) into `gradient` (same count as x).
/// Non-finite values are allowed and treated as "outside the domain" by the line searches.
public typealias Objective = (_ x: [Double], _ gradient: inout [Double]) -> Double

/// An objective that also gives its Hessian ∇²f(x), in the same pass as the gradient, whenever
/// `hessian` is non-nil on entry (overwritten); left alone when nil. For objectives whose second
/// derivatives share the first derivatives' expensive terms (a likelihood over a million
/// customers): the Newton phase then needs one evaluation per step instead of 2n + 1.
public typealias SecondOrderObjective = (_ x: [Double], _ gradient: inout [Double], _ hessian: inout Matrix?) -> Double

/// What the minimiser found and how sure it is.
public struct OptimizationResult: Sendable {
    public var x: [Double]
    public var value: Double
    public var gradient: [Double]
    /// Quasi-Newton plus Newton iterations.
    public var iterations: Int
    /// Objective (value + gradient) evaluations, Hessian columns included.
    public var evaluations: Int
    /// g^T H^-1 g / 2 at the end: how far (in objective units) the minimum can still be.
    public var newtonDecrement: Double
    public var converged: Bool
    public var message: String
    /// The Hessian at `x` from the last Newton check (analytic, or by finite differences), when the
    /// run ended there (callers reuse it, e.g. for standard errors, instead of recomputing it).
    public var hessian: Matrix? = nil

    public var gradientNorm: Double { gradient.map(abs).max() ?? 0 }
}

public struct OptimizerOptions: Sendable {
    /// L-BFGS iterations before handing over to Newton.
    public var maxQuasiNewtonIterations = 500
    public var maxNewtonIterations = 50
    /// Converged when the Newton decrement g^T H^-1 g / 2 is below this (objective units,
    /// e.g. log-likelihood points): the optimum is then exact to far below any reported digit.
    /// The effective tolerance is at least 1e-14 |f|, the rounding floor of large sums.
    public var decrementTolerance = 1e-11
    /// Relative step for the finite-difference Hessian built from the analytic gradient.
    public var hessianStep = 1e-5
    /// An approximation of the objective's Hessian at the start (e.g. from a fit on a subsample,
    /// scaled to the data), used for the first Newton steps as long as they pay off (chord steps),
    /// instead of computing one by finite differences; convergence is only ever declared with a
    /// Hessian computed at the end point. Ignored for objectives that give their own Hessian.
    public var initialHessian: Matrix? = nil
    public init() {}
}

/// Minimisation in two phases: L-BFGS with a backtracking (Armijo) line search gets close
/// cheaply; Newton steps with a Hessian from central differences of the analytic gradient and a
/// Cholesky solve through LAPACK then land on the optimum to machine precision (Nocedal &
/// Wright, "Numerical Optimization", 2nd ed., Algorithms 7.5 and 3.1).
public enum Minimizer {
    public static func minimize(_ f: Objective, from start: [Double], options: OptimizerOptions = OptimizerOptions()) -> OptimizationResult {
        minimize(secondOrder: { x, g, _ in f(x, &g) }, analyticHessian: false, from: start, options: options)
    }

    /// As `minimize(_:from:options:)`, with the Newton phase's Hessians from `f` itself (computed
    /// with the gradient at every point the Newton steps try) instead of central differences.
    public static func minimize(_ f: @escaping SecondOrderObjective, from start: [Double], options: OptimizerOptions = OptimizerOptions()) -> OptimizationResult {
        minimize(secondOrder: f, analyticHessian: true, from: start, options: options)
    }

    private static func minimize(secondOrder f: SecondOrderObjective, analyticHessian: Bool, from start: [Double],
                                 options: OptimizerOptions) -> OptimizationResult {
        let n = start.count
        var evaluations = 0
        /// f(x) and its gradient; with `hessian` the analytic Hessian too (nil if not finite).
        func eval(_ x: [Double], _ g: inout [Double], hessian: inout Matrix?) -> Double {
            evaluations += 1
            let v = f(x, &g, &hessian)
            if let h = hessian, !h.values.allSatisfy(\.isFinite) { hessian = nil }
            return v.isFinite && g.allSatisfy(\.isFinite) ? v : .infinity
        }
        func eval(_ x: [Double], _ g: inout [Double]) -> Double {
            var none: Matrix? = nil
            return eval(x, &g, hessian: &none)
        }
        /// An empty Hessian to be filled when the objective gives it, nil otherwise.
        func hessianRequest() -> Matrix? { analyticHessian ? Matrix(rows: n, columns: n) : nil }
        var x = start
        var g = [Double](repeating: 0, count: n)
        // Going straight to Newton: the Hessian at the start comes with the first evaluation.
        var hessianAtX: Matrix? = options.maxQuasiNewtonIterations == 0 ? hessianRequest() : nil
        var fx = eval(x, &g, hessian: &hessianAtX)
        guard fx.isFinite else {
            return OptimizationResult(x: x, value: fx, gradient: g, iterations: 0, evaluations: evaluations,
                                      newtonDecrement: .infinity, converged: false,
                                      message: "the objective is not finite at the starting values")
        }

        // Phase 1: L-BFGS (memory 8).
        var sHistory: [[Double]] = [], yHistory: [[Double]] = []
        var iterations = 0
        var stall = 0
        while iterations < options.maxQuasiNewtonIterations {
            iterations += 1
            var d = lbfgsDirection(g, sHistory, yHistory)
            var slope = dot(g, d)
            if !(slope < 0) { d = g.map { -$0 }; slope = dot(g, d); sHistory = []; yHistory = [] }
            var step = sHistory.isEmpty ? min(1, 1 / max(1e-12, sqrt(dot(d, d)))) : 1
            var gNew = g, xNew = x, fNew = Double.infinity
            var accepted = false
            for _ in 0..<60 {
                xNew = zip(x, d).map { $0 + step * $1 }
                fNew = eval(xNew, &gNew)
                if fNew <= fx + 1e-4 * step * slope { accepted = true; break }
                step *= fNew.isFinite ? 0.5 : 0.1
            }
            if !accepted { break }
            let s = zip(xNew, x).map { $0 - $1 }, y = zip(gNew, g).map { $0 - $1 }
            if dot(s, y) > 1e-12 * sqrt(dot(s, s) * dot(y, y)) {
                sHistory.append(s); yHistory.append(y)
                if sHistory.count > 8 { sHistory.removeFirst(); yHistory.removeFirst() }
            }
            let improvement = fx - fNew
            x = xNew; g = gNew; fx = fNew
            hessianAtX = nil
            // Hand over to Newton once progress per step is small relative to the objective.
            stall = improvement <= 1e-10 * max(1, abs(fx)) ? stall + 1 : 0
            if stall >= 2 || (g.map(abs).max() ?? 0) <= 1e-8 * max(1, abs(fx)) { break }
        }

        // Phase 2: Newton with the objective's own Hessian or a finite-difference Hessian of the
        // analytic gradient. With the latter the decrement cannot fall below the rounding noise of an
        // objective that is a sum over many terms (about 1e-14 |f| for 1e5-1e6 customers), so the
        // tolerance has that floor; an analytic Hessian is limited only by the gradient's rounding,
        // so there the floor is 1e-18 |f| and the estimate lands on the optimum to ~1e-9 relative.
        func tolerance(_ f: Double) -> Double { max(options.decrementTolerance, (analyticHessian ? 1e-18 : 1e-14) * abs(f)) }
        var decrement = Double.infinity
        var message = ""
        var newtonIterations = 0
        if analyticHessian && hessianAtX == nil {   // after quasi-Newton steps: one evaluation with the Hessian
            hessianAtX = hessianRequest()
            fx = eval(x, &g, hessian: &hessianAtX)
        }
        // Near the optimum the Hessian barely changes between steps, so after a full, undamped
        // Newton step with a small decrement the previous Hessian is reused (a chord step: one
        // evaluation instead of 2n + 1) as long as each such step shrinks the decrement at least
        // tenfold; otherwise (or if its line search fails) a fresh Hessian is computed.
        var reusable: Matrix? = analyticHessian || hessianAtX != nil ? nil : options.initialHessian
        var previousDecrement = Double.infinity
        while newtonIterations < options.maxNewtonIterations {
            let stale = reusable != nil
            let h: Matrix
            if let r = reusable { h = r } else if let known = hessianAtX { h = known } else {
                h = finiteDifferenceHessian(at: x, step: options.hessianStep, gradient: { xx, gg in _ = eval(xx, &gg) })
                hessianAtX = h
            }
            guard let newton = dampedNewtonDirection(hessian: h, gradient: g) else {
                message = "the Hessian is not finite near the optimum"
                break
            }
            let direction = newton.direction
            decrement = newton.damped ? .infinity : newton.decrement
            if stale && !(decrement <= 0.1 * previousDecrement) {
                reusable = nil   // the chord step did not pay off: recompute the Hessian here
                continue
            }
            if decrement <= tolerance(fx) {
                if stale { reusable = nil; continue }   // confirm with a Hessian computed here
                break
            }
            newtonIterations += 1
            let slope = dot(g, direction)
            var step = 1.0, accepted = false
            var gNew = g, xNew = x, fNew = Double.infinity
            var hNew: Matrix? = nil
            for _ in 0..<60 {
                xNew = zip(x, direction).map { $0 + step * $1 }
                hNew = hessianRequest()
                fNew = eval(xNew, &gNew, hessian: &hNew)
                // Near the optimum the gain (about the decrement) can be below the objective's own
                // rounding (a total log-likelihood of 5e5 is only resolved to ~1e-10, while the
                // decrement tolerance is 1e-11): there, accept the step unless f rose beyond that rounding.
                let roundingAllowance = 1e-14 * abs(fx)
                if fNew <= fx + 1e-4 * step * slope || (fNew.isFinite && fNew <= fx + roundingAllowance && decrement < 1e-6) { accepted = true; break }
                step *= 0.5
            }
            if !accepted {
                if stale { reusable = nil; continue }
                message = "the line search could not decrease the objective (Newton decrement \(decrement))"
                break
            }
            x = xNew; g = gNew; fx = fNew
            hessianAtX = hNew
            reusable = analyticHessian ? nil : step == 1 && !newton.damped && decrement < 100 ? h : nil
            previousDecrement = decrement
        }
        let converged = decrement <= tolerance(fx)
        if converged {
            message = "converged: Newton decrement \(decrement) <= \(tolerance(fx))"
        } else if message.isEmpty {
            message = "not converged after \(iterations) quasi-Newton and \(newtonIterations) Newton iterations (Newton decrement \(decrement))"
        }
        return OptimizationResult(x: x, value: fx, gradient: g, iterations: iterations + newtonIterations,
                                  evaluations: evaluations, newtonDecrement: decrement, converged: converged, message: message,
                                  hessian: hessianAtX)
    }

    /// Symmetric Hessian by central differences of an analytic gradient (step relative to |x_i|).
    public static func finiteDifferenceHessian(at x: [Double], step: Double = 1e-5,
                                               gradient: (_ x: [Double], _ g: inout [Double]) -> Void) -> Matrix {
        let n = x.count
        var h = Matrix(rows: n, columns: n)
        var gPlus = [Double](repeating: 0, count: n), gMinus = gPlus
        for j in 0..<n {
            let hj = step * max(1, abs(x[j]))
            var xp = x, xm = x
            xp[j] += hj; xm[j] -= hj
            gradient(xp, &gPlus)
            gradient(xm, &gMinus)
            for i in 0..<n { h[i, j] = (gPlus[i] - gMinus[i]) / (2 * hj) }
        }
        for j in 0..<n { for i in 0..<j { let v = 0.5 * (h[i, j] + h[j, i]); h[i, j] = v; h[j, i] = v } }
        return h
    }

    /// Newton direction −H⁻¹g through a LAPACK Cholesky solve; if H is not positive definite,
    /// adds a growing multiple of the identity (Levenberg–Marquardt damping) until it is.
    /// Returns the direction, the Newton decrement g^T H^-1 g / 2, and whether damping was needed
    /// (a damped step is not a Newton step, so convergence is never declared from it).
    static func dampedNewtonDirection(hessian: Matrix, gradient g: [Double]) -> (direction: [Double], decrement: Double, damped: Bool)? {
        guard hessian.values.allSatisfy(\.isFinite) else { return nil }
        let scale = max(1e-12, hessian.diagonal.map(abs).max() ?? 1)
        var damping = 0.0
        for _ in 0..<40 {
            var h = hessian
            for i in 0..<h.rows { h[i, i] += damping }
            if let solution = try? LAPACK.solvePositiveDefinite(h, g) {
                let direction = solution.map { -$0 }
                return (direction, 0.5 * dot(g, solution), damping > 0)
            }
            damping = damping == 0 ? 1e-8 * scale : damping * 10
        }
        return nil
    }

    static func lbfgsDirection(_ g: [Double], _ s: [[Double]], _ y: [[Double]]) -> [Double] {
        var q = g
        var alphas = [Double](repeating: 0, count: s.count)
        for i in stride(from: s.count - 1, through: 0, by: -1) {
            let rho = 1 / dot(y[i], s[i])
            alphas[i] = rho * dot(s[i], q)
            for k in q.indices { q[k] -= alphas[i] * y[i][k] }
        }
        if let sl = s.last, let yl = y.last {
            let gamma = dot(sl, yl) / dot(yl, yl)
            for k in q.indices { q[k] *= gamma }
        }
        for i in 0..<s.count {
            let rho = 1 / dot(y[i], s[i])
            let beta = rho * dot(y[i], q)
            for k in q.indices { q[k] += s[i][k] * (alphas[i] - beta) }
        }
        return q.map { -$0 }
    }

    @inline(__always)
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }
}
