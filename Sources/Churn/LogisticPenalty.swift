import Foundation
import Linalg

/// The penalty of a logistic fit, λ₁ Σ|β_j| + λ₂/2 Σ β_j² over the penalised coefficients (every
/// one but the intercept): a layer on the log-likelihood, as in CLVTools, so the same Newton-type
/// iteration fits the plain, ridge, lasso and elastic-net models.
///
/// Every step of the fit comes from `step`: for λ₁ = 0 the Newton step through a Cholesky solve,
/// for λ₁ > 0 the proximal Newton step (Lee, Sun & Saunders 2014), the minimiser of the quadratic
/// model plus the penalty, by cyclic coordinate descent on the k x k model (Friedman, Hastie &
/// Tibshirani 2010, glmnet's "covariance updates"): a sweep costs O(k²), not a pass over the rows.
struct LogisticPenalty {
    var l1: Double
    var l2: Double
    /// Per design column: does the penalty apply (false for the intercept).
    var penalised: [Bool]

    /// Whether any penalty is set (then there are no standard errors and no separation errors).
    var isActive: Bool { l1 > 0 || l2 > 0 }

    /// λ₁ Σ|β_j| + λ₂/2 Σ β_j² over the penalised `active` columns of `beta` (indexed by design column).
    func value(_ beta: [Double], active: [Int]) -> Double {
        value(ofActive: active.map { beta[$0] }, active.map { penalised[$0] })
    }

    /// The step Δ from `beta` that minimises the model of the objective
    ///
    ///     −gᵀΔ + ½ ΔᵀHΔ + penalty(β + Δ)
    ///
    /// where g is the log-likelihood gradient and H the information matrix (or an approximation of
    /// it), all over the active columns in their order; `penalised` is indexed by design column
    /// through `active`. Returns the step and the decrease the model predicts (half the Newton
    /// decrement when λ₁ = 0). Throws when H + λ₂ is not positive definite (λ₁ = 0).
    func step(hessian h: Matrix, gradient g: [Double], beta: [Double], active: [Int]) throws -> (step: [Double], predictedDecrease: Double) {
        let k = active.count
        let pen = active.map { penalised[$0] }
        if l1 == 0 {
            var matrix = h
            var rhs = g
            for a in 0..<k where pen[a] {
                matrix[a, a] += l2
                rhs[a] -= l2 * beta[a]
            }
            let step = try LAPACK.solvePositiveDefinite(matrix, rhs)
            return (step, 0.5 * zip(rhs, step).reduce(0) { $0 + $1.0 * $1.1 })
        }
        // Coordinate descent on z = β + Δ, keeping r = H (z − β) up to date.
        var z = beta
        var r = [Double](repeating: 0, count: k)
        for _ in 0..<10_000 {
            var largest = 0.0
            for j in 0..<k {
                let curvature = h[j, j] + (pen[j] ? l2 : 0)
                guard curvature > 0 else { continue }  // a column of zeros: its coefficient stays
                // The coordinate's model: ½ curvature z_j² − u z_j (+ λ₁ |z_j|), u as below.
                let u = h[j, j] * z[j] - r[j] + g[j]
                let updated = pen[j] ? Self.softThreshold(u, l1) / curvature : u / curvature
                let delta = updated - z[j]
                guard delta != 0 else { continue }
                for i in 0..<k { r[i] += delta * h[i, j] }
                z[j] = updated
                largest = max(largest, abs(delta) / (1 + abs(updated)))
            }
            if largest <= 1e-14 { break }
        }
        let step = zip(z, beta).map { $0 - $1 }
        let quadratic = zip(step, r).reduce(0) { $0 + $1.0 * $1.1 }  // ΔᵀHΔ
        let linear = zip(g, step).reduce(0) { $0 + $1.0 * $1.1 }
        let before = value(ofActive: beta, pen), after = value(ofActive: z, pen)
        return (step, linear - 0.5 * quadratic - (after - before))
    }

    /// The distance of `gradient` (of the log-likelihood) from the penalty's subdifferential at
    /// `beta`, largest over the active columns: 0 exactly at the optimum. For unpenalised columns
    /// it is |g_j|; for β_j ≠ 0 |g_j − λ₂β_j − λ₁ sign β_j|; for β_j = 0 max(0, |g_j| − λ₁).
    func optimalityGap(gradient g: [Double], beta: [Double], active: [Int]) -> Double {
        var gap = 0.0
        for (a, j) in active.enumerated() {
            let residual: Double
            if !penalised[j] {
                residual = abs(g[a])
            } else if beta[a] != 0 {
                residual = abs(g[a] - l2 * beta[a] - (beta[a] > 0 ? l1 : -l1))
            } else {
                residual = max(0, abs(g[a]) - l1)
            }
            gap = max(gap, residual)
        }
        return gap
    }

    /// The penalty over values already in active order, with their penalised flags.
    private func value(ofActive values: [Double], _ pen: [Bool]) -> Double {
        var absolute = 0.0, square = 0.0
        for (v, p) in zip(values, pen) where p {
            absolute += abs(v)
            square += v * v
        }
        return l1 * absolute + 0.5 * l2 * square
    }

    /// sign(u) max(|u| − t, 0): the proximal map of t|·|.
    static func softThreshold(_ u: Double, _ t: Double) -> Double {
        u > t ? u - t : (u < -t ? u + t : 0)
    }
}
