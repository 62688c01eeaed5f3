import Foundation
import Linalg
import Optimize

/// A log-likelihood over strictly positive parameters θ: returns the total log-likelihood and
/// writes ∂LL/∂θ into `gradient`. Each model family writes this once and reuses it for fitting,
/// standard errors and (where the formulas share terms) prediction.
public typealias LogLikelihood = (_ theta: [Double], _ gradient: inout [Double]) -> Double

/// A log-likelihood that also writes ∂²LL/∂θ² into `hessian` when it is non-nil on entry, in the
/// same pass as the gradient (see `Optimize.SecondOrderObjective`); nil on entry: value and gradient only.
public typealias SecondOrderLogLikelihood = (_ theta: [Double], _ gradient: inout [Double], _ hessian: inout Matrix?) -> Double

/// An L2 penalty on the parameters, as lifetimes' `penalizer_coef`: lifetimes minimises
/// mean(−LL) + c Σθ², i.e. −LL_total + N c Σθ² in total units (with θ in its rescaled time,
/// see `scales`). A layer over any likelihood.
public struct L2Penalty: Sendable, Equatable {
    public var coefficient: Double
    /// Number of customers the mean is taken over (lifetimes divides the LL by it).
    public var customers: Double

    /// Per-parameter scale s_i: the penalty is c N Σ (s_i θ_i)². lifetimes penalises parameters
    /// in its internally rescaled time (α/max T for BG/NBD), so matching it needs s_α = 1/max T.
    /// Empty means all ones.
    public var scales: [Double]

    public init(coefficient: Double, customers: Double, scales: [Double] = []) {
        self.coefficient = coefficient
        self.customers = customers
        self.scales = scales
    }

    /// The penalised log-likelihood LL(θ) − N c Σθ²: the penalty wraps the likelihood.
    public func wrapping(_ ll: @escaping LogLikelihood) -> LogLikelihood {
        let wrapped = wrapping { theta, gradient, _ in ll(theta, &gradient) }
        return { theta, gradient in
            var none: Matrix? = nil
            return wrapped(theta, &gradient, &none)
        }
    }

    /// The same penalty on a likelihood with its Hessian (the penalty adds −2 N c s_i² on the diagonal).
    public func wrapping(_ ll: @escaping SecondOrderLogLikelihood) -> SecondOrderLogLikelihood {
        let c = coefficient * customers
        guard c != 0 else { return ll }
        let scales = self.scales
        return { theta, gradient, hessian in
            let value = ll(theta, &gradient, &hessian)
            var penalty = 0.0
            for i in theta.indices {
                let s2 = scales.isEmpty ? 1 : scales[i] * scales[i]
                penalty += s2 * theta[i] * theta[i]
                gradient[i] -= 2 * c * s2 * theta[i]
                hessian?[i, i] -= 2 * c * s2
            }
            return value - c * penalty
        }
    }
}

/// One estimated parameter with its standard error and Wald 95% interval.
public struct ParameterEstimate: Codable, Equatable, Sendable {
    public var name: String
    public var estimate: Double
    public var standardError: Double?
    public var lower95: Double?
    public var upper95: Double?

    public init(name: String, estimate: Double, standardError: Double?) {
        self.name = name
        self.estimate = estimate
        self.standardError = standardError
        if let se = standardError {
            lower95 = estimate - 1.959963984540054 * se
            upper95 = estimate + 1.959963984540054 * se
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, estimate
        case standardError = "std_error"
        case lower95 = "lower_95"
        case upper95 = "upper_95"
    }
}

/// How the optimiser ended: written into every model file so nobody mistakes a failed fit.
public struct Convergence: Codable, Equatable, Sendable {
    public var converged: Bool
    public var iterations: Int
    public var evaluations: Int
    /// max |gradient| of the objective at the end, in the optimiser's coordinates (∂(−LL)/∂ log θ for
    /// maximum-likelihood fits, ∂(penalised −LL)/∂β for churn models).
    public var gradientNorm: Double
    /// g^T H^-1 g / 2 at the end, in log-likelihood units.
    public var newtonDecrement: Double
    public var message: String

    public init(converged: Bool, iterations: Int, evaluations: Int, gradientNorm: Double, newtonDecrement: Double, message: String) {
        self.converged = converged
        self.iterations = iterations
        self.evaluations = evaluations
        self.gradientNorm = gradientNorm
        self.newtonDecrement = newtonDecrement
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case converged, iterations, evaluations, message
        case gradientNorm = "gradient_norm"
        case newtonDecrement = "newton_decrement"
    }
}

/// The result of a maximum-likelihood fit.
public struct MaximumLikelihoodFit: Sendable {
    public var parameters: [ParameterEstimate]
    /// The (penalised, if a penalty was given) log-likelihood at the estimate, a total.
    public var logLikelihood: Double
    /// Covariance of θ̂: inverse of the observed information, nil if it is not positive definite.
    public var covariance: Matrix?
    public var convergence: Convergence
    /// Why standard errors are missing, when they are.
    public var standardErrorNote: String?

    public var estimates: [Double] { parameters.map(\.estimate) }
}

/// The shared maximum-likelihood driver for every model family: optimises over log θ (so the
/// parameters stay positive without bounds), then computes standard errors from the inverse of
/// the observed information −∂²LL/∂θ² (finite differences of the analytic gradient, inverted
/// through LAPACK).
public enum MaximumLikelihood {
    public static func fit(names: [String], start: [Double], logLikelihood ll: @escaping LogLikelihood,
                           penalty: L2Penalty? = nil, options: OptimizerOptions = OptimizerOptions()) -> MaximumLikelihoodFit {
        fit(names: names, start: start, likelihood: { theta, gradient, _ in ll(theta, &gradient) }, analyticHessian: false,
            penalty: penalty, options: options)
    }

    /// As `fit(names:start:logLikelihood:penalty:options:)` with the likelihood's own Hessian for
    /// the Newton steps and the standard errors (one likelihood pass per Newton step).
    public static func fit(names: [String], start: [Double], logLikelihood ll: @escaping SecondOrderLogLikelihood,
                           penalty: L2Penalty? = nil, options: OptimizerOptions = OptimizerOptions()) -> MaximumLikelihoodFit {
        fit(names: names, start: start, likelihood: ll, analyticHessian: true, penalty: penalty, options: options)
    }

    private static func fit(names: [String], start: [Double], likelihood ll: @escaping SecondOrderLogLikelihood, analyticHessian: Bool,
                            penalty: L2Penalty?, options: OptimizerOptions) -> MaximumLikelihoodFit {
        precondition(names.count == start.count, "MaximumLikelihood.fit: \(names.count) names for \(start.count) parameters")
        let objective = penalty?.wrapping(ll) ?? ll
        // Minimise F(x) = −LL(e^x) over x = log θ; the chain rule gives ∂F/∂x_i = −θ_i ∂LL/∂θ_i and
        // ∂²F/∂x_i∂x_j = −θ_i θ_j ∂²LL/∂θ_i∂θ_j − δ_ij θ_i ∂LL/∂θ_i.
        let negativeLogLikelihood: SecondOrderObjective = { x, g, hessian in
            let theta = x.map(exp)
            var gTheta = [Double](repeating: 0, count: theta.count)
            let value = objective(theta, &gTheta, &hessian)
            for i in g.indices { g[i] = -gTheta[i] * theta[i] }
            if var h = hessian {
                for j in theta.indices { for i in theta.indices { h[i, j] *= -theta[i] * theta[j] } }
                for i in theta.indices { h[i, i] += g[i] }
                hessian = h
            }
            return -value
        }
        let result = analyticHessian
            ? Minimizer.minimize(negativeLogLikelihood, from: start.map(log), options: options)
            : Minimizer.minimize({ x, g in var none: Matrix? = nil; return negativeLogLikelihood(x, &g, &none) }, from: start.map(log), options: options)
        let theta = result.x.map(exp)

        // Observed information in θ. When the optimiser ended on a Newton check it already holds
        // the Hessian of F(x) = −LL(e^x) there; with D = diag(θ) and F' its gradient,
        // ∂²(−LL)/∂θ² = D⁻¹ (∇²F − diag(F')) D⁻¹, which saves recomputing it.
        let information: Matrix
        if let h = result.hessian {
            var m = h
            for i in 0..<theta.count { m[i, i] -= result.gradient[i] }
            for j in 0..<theta.count { for i in 0..<theta.count { m[i, j] /= theta[i] * theta[j] } }
            information = m
        } else {
            information = Minimizer.finiteDifferenceHessian(at: theta, step: 1e-5) { t, g in
                var gTheta = [Double](repeating: 0, count: t.count)
                var none: Matrix? = nil
                _ = objective(t, &gTheta, &none)
                for i in g.indices { g[i] = -gTheta[i] }
            }
        }
        var covariance: Matrix? = nil
        var note: String? = nil
        do {
            covariance = try LAPACK.inversePositiveDefinite(information)
        } catch {
            note = "standard errors unavailable: the observed information is not positive definite (\(error)); the estimate may sit on a boundary or the model is not identified by these data"
        }
        let parameters = names.indices.map { i -> ParameterEstimate in
            let variance = covariance?[i, i]
            let se = variance.flatMap { $0 > 0 && $0.isFinite ? sqrt($0) : nil }
            return ParameterEstimate(name: names[i], estimate: theta[i], standardError: se)
        }
        let convergence = Convergence(converged: result.converged && result.value.isFinite, iterations: result.iterations,
                                      evaluations: result.evaluations, gradientNorm: result.gradientNorm,
                                      newtonDecrement: result.newtonDecrement, message: result.message)
        return MaximumLikelihoodFit(parameters: parameters, logLikelihood: -result.value, covariance: covariance,
                                    convergence: convergence, standardErrorNote: note)
    }
}
