import CustomerData
import Foundation
import Optimize

/// Which model a file holds. The raw values are what model files and the CLI use.
public enum ModelKind: String, Codable, CaseIterable, Sendable {
    case bgnbd = "bg-nbd"
    case mbgnbd = "mbg-nbd"
    case paretoNBD = "pareto-nbd"
    case bgbb = "bg-bb"
    case gammaGamma = "gamma-gamma"
    case shiftedBetaGeometric = "sbg"
    case logisticChurn = "logistic-churn"
    /// A logistic model of any binary target (the churn model's training path, module Responses).
    case propensity
    /// Response per arm of a randomised campaign and each treatment's uplift (module Responses).
    case uplift
    /// Item-item recommender from purchase histories (module Responses).
    case crossSell = "cross-sell"

    /// Kinds whose file is a `Churn.ChurnModel` (one logistic training path, two names).
    public var isLogistic: Bool { self == .logisticChurn || self == .propensity }
}

/// Errors of the model layer, each saying what to do.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    case invalidParameters(String)
    case invalidData(String)
    case notConverged(String)
    case modelFile(String)

    public var description: String {
        switch self {
        case let .invalidParameters(m), let .invalidData(m), let .notConverged(m), let .modelFile(m): return m
        }
    }
}

/// A probabilistic repeat-purchase model of the "buy till you die" family (BG/NBD, MBG/NBD,
/// Pareto/NBD, BG/BB). Each family writes its log-likelihood once (`logLikelihood`) and the
/// fit, standard errors and model file come from the shared driver in this file.
public protocol RepeatPurchaseModel: Sendable {
    static var kind: ModelKind { get }
    /// Parameter names as in the papers, in the order of `parameters`.
    static var parameterNames: [String] { get }
    var parameters: [Double] { get }
    /// Throws `ModelError.invalidParameters` unless every parameter is finite and positive.
    init(parameters: [Double]) throws

    /// Total log-likelihood over weighted patterns and its gradient with respect to the parameters.
    static func logLikelihood(_ theta: [Double], data: PurchasePatterns, gradient: inout [Double]) -> Double
    /// Reasonable starting values for the optimiser (the fit must not depend on them much).
    static func startingValues(for data: PurchasePatterns) -> [Double]
    /// Checks the data fit the model's assumptions (e.g. integer frequency, t_x ≤ T).
    static func validate(_ data: PurchasePatterns) throws
    /// The log-likelihood closure the fit optimises. The default calls `logLikelihood`; a family
    /// may precompute tables over the data once per fit (distinct x, distinct times) here.
    static func makeLogLikelihood(for data: PurchasePatterns) -> LogLikelihood
    /// The same likelihood with its Hessian from the same pass (`SecondOrderLogLikelihood`), for
    /// families that write it; nil (the default) fits with finite-difference Hessians.
    static func makeSecondOrderLogLikelihood(for data: PurchasePatterns) -> SecondOrderLogLikelihood?
    /// Per-parameter scales of the L2 penalty (see `L2Penalty.scales`); default all ones.
    static func penaltyScales(for data: PurchasePatterns) -> [Double]
    /// Optimiser settings for a fit on these data; default `OptimizerOptions()`. A family whose
    /// starting values are already near the optimum (e.g. fitted on a subsample) can hand over
    /// to Newton's method sooner.
    static func optimizerOptions(for data: PurchasePatterns) -> OptimizerOptions
    /// Starting values and optimiser settings together; the default is `startingValues` with
    /// `optimizerOptions`. A family whose start comes from a fit on a subsample can pass that fit's
    /// Hessian on (`OptimizerOptions.initialHessian`), saving the first finite-difference Hessian.
    static func startingPoint(for data: PurchasePatterns) -> (values: [Double], options: OptimizerOptions)

    /// P(alive | x, t_x, T), always in [0, 1].
    func probabilityAlive(frequency x: Double, recency tx: Double, T: Double) -> Double
    /// E[X(T, T + t) | x, t_x, T]: expected purchases in the next `t` time units.
    func conditionalExpectedPurchases(horizon t: Double, frequency x: Double, recency tx: Double, T: Double) -> Double
    /// E[X(t)] for a new customer.
    func expectedPurchases(horizon t: Double) -> Double
    /// P(X(t) = k) for a new customer.
    func probabilityOfPurchases(_ k: Int, horizon t: Double) -> Double
    /// P(alive) and expected purchases in the next `t` units for many customers. The default
    /// calls the two per-customer functions over all cores; a family may share work between
    /// customers (e.g. terms that depend only on x and T).
    func score(horizon t: Double, frequency: [Double], recency: [Double], T: [Double]) -> (probabilityAlive: [Double], expectedPurchases: [Double])
    /// P(alive) and expected purchases at every one of `horizons` for many customers in one pass
    /// (equal to `score(horizon:)` at each horizon). The default evaluates each horizon per
    /// customer; BG/NBD, MBG/NBD and Pareto/NBD share their per-(x, T) terms across customers and horizons.
    func score(horizons: [Double], frequency: [Double], recency: [Double], T: [Double]) -> HorizonScores
    /// P(X(T, T + t) = 0 | x, t_x, T): no purchase in the next `t` units, the model's own answer to
    /// "will this customer be quiet in the holdout?". Nil where no closed form is implemented.
    func probabilityOfNoPurchases(horizon t: Double, frequency x: Double, recency tx: Double, T: Double) -> Double?
}

extension RepeatPurchaseModel {
    /// Checks that every parameter is finite and positive (the common rule of these models).
    public static func checkedParameters(_ parameters: [Double]) throws -> [Double] {
        guard parameters.count == parameterNames.count else {
            throw ModelError.invalidParameters("\(kind.rawValue) takes \(parameterNames.count) parameters (\(parameterNames.joined(separator: ", "))), got \(parameters.count)")
        }
        for (name, value) in zip(parameterNames, parameters) where !(value > 0 && value.isFinite) {
            throw ModelError.invalidParameters("\(kind.rawValue): parameter \(name) = \(value) must be finite and positive")
        }
        return parameters
    }

    public static func makeLogLikelihood(for data: PurchasePatterns) -> LogLikelihood {
        { theta, gradient in logLikelihood(theta, data: data, gradient: &gradient) }
    }

    public static func penaltyScales(for data: PurchasePatterns) -> [Double] {
        [Double](repeating: 1, count: parameterNames.count)
    }

    public static func makeSecondOrderLogLikelihood(for data: PurchasePatterns) -> SecondOrderLogLikelihood? { nil }

    public static func optimizerOptions(for data: PurchasePatterns) -> OptimizerOptions { OptimizerOptions() }

    public static func startingPoint(for data: PurchasePatterns) -> (values: [Double], options: OptimizerOptions) {
        (startingValues(for: data), optimizerOptions(for: data))
    }

    /// Default data check: non-negative integer frequency, 0 ≤ t_x ≤ T, x = 0 ⇒ t_x = 0, positive weights.
    public static func validate(_ data: PurchasePatterns) throws {
        guard data.count > 0 else { throw ModelError.invalidData("no customers to fit") }
        // One branch-light pass finds the first bad pattern (if any); the messages below name its problem.
        guard let first = firstInvalidPattern(data) else { return }
        for i in first..<data.count {
            let x = data.frequency[i], tx = data.recency[i], t = data.T[i], w = data.weight[i]
            guard x >= 0, x == x.rounded(), x.isFinite else {
                throw ModelError.invalidData("pattern \(i + 1): frequency \(x) is not a non-negative whole number")
            }
            guard tx >= 0, tx <= t, t > 0, t.isFinite else {
                throw ModelError.invalidData("pattern \(i + 1): recency \(tx) and T \(t) must satisfy 0 <= recency <= T and T > 0")
            }
            guard x > 0 || tx == 0 else {
                throw ModelError.invalidData("pattern \(i + 1): frequency 0 but recency \(tx); a customer without repeat purchases has recency 0")
            }
            guard w > 0, w.isFinite else { throw ModelError.invalidData("pattern \(i + 1): weight \(w) must be positive") }
        }
    }

    /// The first pattern breaking the default data check, or nil.
    static func firstInvalidPattern(_ data: PurchasePatterns) -> Int? {
        data.frequency.withUnsafeBufferPointer { xs in
        data.recency.withUnsafeBufferPointer { txs in
        data.T.withUnsafeBufferPointer { ts in
        data.weight.withUnsafeBufferPointer { ws in
            for i in 0..<xs.count {
                let x = xs[i], tx = txs[i], t = ts[i], w = ws[i]
                // NaN fails every comparison, so it is caught too.
                let ok = x >= 0 && isWholeNumber(x) && x < .infinity && tx >= 0 && tx <= t && t > 0
                    && t < .infinity && (x > 0 || tx == 0) && w > 0 && w < .infinity
                if !ok { return i }
            }
            return nil
        }}}}
    }

    /// Fits the model by maximum likelihood on compressed patterns (optionally L2-penalised).
    /// Throws on invalid data; a fit that did not converge is returned with `converged == false`
    /// and must not be saved as if it had (see `FittedModel.requireConverged`).
    public static func fit(_ data: PurchasePatterns, penalizer: Double = 0, start: [Double]? = nil) throws -> FittedModel<Self> {
        try validate(data)
        guard penalizer >= 0, penalizer.isFinite else {
            throw ModelError.invalidParameters("the penalizer must be a finite number >= 0, got \(penalizer)")
        }
        // The fingerprint (a serial hash, a few ms per million patterns) is taken beside the fit.
        let fingerprint = BackgroundValue { DataFingerprint.of(data) }
        let penalty = penalizer > 0 ? L2Penalty(coefficient: penalizer, customers: data.customers, scales: penaltyScales(for: data)) : nil
        let (start, options) = start.map { ($0, optimizerOptions(for: data)) } ?? startingPoint(for: data)
        let secondOrder = makeSecondOrderLogLikelihood(for: data)
        let firstOrder = secondOrder == nil ? makeLogLikelihood(for: data) : nil
        func run(_ options: OptimizerOptions) -> MaximumLikelihoodFit {
            if let secondOrder {
                return MaximumLikelihood.fit(names: parameterNames, start: start, logLikelihood: secondOrder, penalty: penalty, options: options)
            }
            return MaximumLikelihood.fit(names: parameterNames, start: start, logLikelihood: firstOrder!, penalty: penalty, options: options)
        }
        var fit = run(options)
        // Newton steps straight from a subsample start that did not converge: quasi-Newton steps first.
        if !fit.convergence.converged && options.maxQuasiNewtonIterations == 0 {
            var twoPhase = options
            twoPhase.maxQuasiNewtonIterations = OptimizerOptions().maxQuasiNewtonIterations
            twoPhase.initialHessian = nil
            fit = run(twoPhase)
        }
        let model = try Self(parameters: fit.estimates)
        return FittedModel(model: model, fit: fit, penalizer: penalizer, customers: data.customers,
                           fingerprint: fingerprint.wait())
    }

    /// P(alive) and expected purchases in the next `t` units for many customers, split over all cores.
    public func probabilityOfNoPurchases(horizon t: Double, frequency x: Double, recency tx: Double, T: Double) -> Double? { nil }

    public func score(horizon t: Double, frequency: [Double], recency: [Double], T: [Double]) -> (probabilityAlive: [Double], expectedPurchases: [Double]) {
        let n = frequency.count
        var alive = [Double](repeating: 0, count: n)
        var expected = [Double](repeating: 0, count: n)
        alive.withUnsafeMutableBufferPointer { aliveBuffer in
            expected.withUnsafeMutableBufferPointer { expectedBuffer in
                nonisolated(unsafe) let a = aliveBuffer, e = expectedBuffer
                let chunks = Swift.max(1, Swift.min(n / 4096, ProcessInfo.processInfo.activeProcessorCount * 8))
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let lo = n * c / chunks, hi = n * (c + 1) / chunks
                    for i in lo..<hi {
                        a[i] = probabilityAlive(frequency: frequency[i], recency: recency[i], T: T[i])
                        e[i] = conditionalExpectedPurchases(horizon: t, frequency: frequency[i], recency: recency[i], T: T[i])
                    }
                }
            }
        }
        return (alive, expected)
    }
}

/// A fitted model together with how it was fitted: what a model file stores.
public struct FittedModel<Model: RepeatPurchaseModel>: Sendable {
    public var model: Model
    public var fit: MaximumLikelihoodFit
    public var penalizer: Double
    public var customers: Double
    public var fingerprint: String

    /// Throws `ModelError.notConverged` with advice, so a failed fit is never saved as a good one.
    public func requireConverged() throws {
        guard fit.convergence.converged else {
            throw ModelError.notConverged("""
                \(Model.kind.rawValue) fit did not converge: \(fit.convergence.message). \
                Try a small penalizer (e.g. --penalizer 0.001), check the summary's time unit (weeks are typical), \
                or look for customers with extreme frequency.
                """)
        }
    }
}

/// A value computed on another thread while the caller works on; `wait()` returns it.
final class BackgroundValue<Value: Sendable>: @unchecked Sendable {
    private var value: Value?
    private let done = DispatchSemaphore(value: 0)

    init(_ compute: @escaping @Sendable () -> Value) {
        Thread.detachNewThread { [self] in
            value = compute()
            done.signal()
        }
    }

    /// The value, once computed (blocks until then; call once).
    func wait() -> Value {
        done.wait()
        return value!
    }
}
