import Foundation
import SpecialFunctions

/// The Gamma-Gamma model of monetary value (Fader, Hardie & Lee 2005, "RFM and CLV: using
/// iso-value curves for customer base analysis", JMR 42(4); Fader & Hardie, "The Gamma-Gamma
/// model of monetary value", brucehardie.com/notes/025): a customer's transaction values are
/// Gamma(p, ν) with ν ~ Gamma(q, γ); it is fitted on repeat buyers' (x, z̄), z̄ the mean value of
/// their x repeat transactions, and assumes spend is independent of frequency.
public struct GammaGamma: Equatable, Sendable {
    public static let kind = ModelKind.gammaGamma
    public static let parameterNames = ["p", "q", "gamma"]

    public let p: Double, q: Double, gamma: Double
    public var parameters: [Double] { [p, q, gamma] }

    public init(parameters: [Double]) throws {
        guard parameters.count == 3 else {
            throw ModelError.invalidParameters("gamma-gamma takes 3 parameters (p, q, gamma), got \(parameters.count)")
        }
        for (name, value) in zip(Self.parameterNames, parameters) where !(value > 0 && value.isFinite) {
            throw ModelError.invalidParameters("gamma-gamma: parameter \(name) = \(value) must be finite and positive")
        }
        (p, q, gamma) = (parameters[0], parameters[1], parameters[2])
    }

    public init(p: Double, q: Double, gamma: Double) throws { try self.init(parameters: [p, q, gamma]) }

    public init(file: ModelFile) throws {
        try file.require(Self.kind)
        try self.init(parameters: file.estimates(named: Self.parameterNames))
    }

    // MARK: data

    /// Repeat buyers' (x, z̄) with weights: the Gamma-Gamma data after dropping x = 0.
    public struct SpendData: Sendable, Equatable {
        public var frequency: [Double]
        public var meanSpend: [Double]
        public var weight: [Double]
        public var count: Int { frequency.count }
        public var customers: Double { weight.reduce(0, +) }
    }

    /// What to do with repeat buyers whose mean spend is zero or negative (zero-value orders,
    /// returns netted in): the model describes positive spend only.
    public enum NonPositiveSpend: String, Sendable, CaseIterable {
        /// A clear error naming the first such row (the default of the library).
        case reject
        /// Leave them out of the fit and count them in `Fitted.excludedRepeatBuyers` and a warning.
        case exclude
    }

    /// Keeps customers with frequency > 0 and checks them: whole-number frequency, finite and
    /// positive mean spend (or, with `.exclude`, leaves non-positive spenders out and counts them).
    /// Throws if no repeat buyer is left.
    public static func spendData(frequency: [Double], monetaryValue: [Double], weight: [Double]? = nil,
                                 nonPositiveSpend: NonPositiveSpend = .reject) throws -> SpendData {
        try spendDataCountingExclusions(frequency: frequency, monetaryValue: monetaryValue, weight: weight,
                                        nonPositiveSpend: nonPositiveSpend).data
    }

    static func spendDataCountingExclusions(frequency: [Double], monetaryValue: [Double], weight: [Double]?,
                                            nonPositiveSpend: NonPositiveSpend) throws -> (data: SpendData, excluded: Int) {
        var excluded = 0
        guard frequency.count == monetaryValue.count, weight.map({ $0.count == frequency.count }) ?? true else {
            throw ModelError.invalidData("gamma-gamma: frequency, monetary_value (and weights) must have the same length")
        }
        var out = SpendData(frequency: [], meanSpend: [], weight: [])
        for i in frequency.indices {
            let x = frequency[i], m = monetaryValue[i], w = weight?[i] ?? 1
            guard x >= 0, x == x.rounded(), x.isFinite else {
                throw ModelError.invalidData("row \(i + 1): frequency \(x) is not a non-negative whole number")
            }
            guard x > 0 else { continue }
            if nonPositiveSpend == .exclude, m <= 0 {
                excluded += 1
                continue
            }
            guard m > 0, m.isFinite else {
                throw ModelError.invalidData("row \(i + 1): monetary_value \(m) of a repeat buyer must be positive; the Gamma-Gamma model describes positive spend (drop refunds or zero-value orders first)")
            }
            guard w > 0, w.isFinite else { throw ModelError.invalidData("row \(i + 1): weight \(w) must be positive") }
            out.frequency.append(x); out.meanSpend.append(m); out.weight.append(w)
        }
        guard out.count > 0 else {
            throw ModelError.invalidData("gamma-gamma needs repeat buyers (frequency > 0) with positive mean spend, and there are none")
        }
        return (out, excluded)
    }

    // MARK: likelihood

    /// Per repeat buyer, Fader & Hardie note 025 eq. (1a):
    /// ln f(z̄ | x) = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄).
    public static func logLikelihood(_ theta: [Double], data: SpendData, gradient: inout [Double]) -> Double {
        let p = theta[0], q = theta[1], g = theta[2]
        let psi = SpecialFunctions.digamma
        let lgQ = logGamma(q), lnG = log(g), psiQ = psi(q)
        var total = 0.0, gp = 0.0, gq = 0.0, gg = 0.0
        for i in 0..<data.count {
            let x = data.frequency[i], m = data.meanSpend[i], w = data.weight[i]
            let px = p * x, lnM = log(m), lnX = log(x), lnD = log(g + x * m)
            let gammaTerms: Double = logGamma(px + q) - logGamma(px) - lgQ + q * lnG
            let spendTerms: Double = (px - 1) * lnM + px * lnX - (px + q) * lnD
            total += w * (gammaTerms + spendTerms)
            let psiPXQ = psi(px + q)
            gp += w * x * (psiPXQ - psi(px) + lnM + lnX - lnD)
            gq += w * (psiPXQ - psiQ + lnG - lnD)
            gg += w * (q / g - (px + q) / (g + x * m))
        }
        gradient = [gp, gq, gg]
        return total
    }

    /// The result of a Gamma-Gamma fit, with any warning about the data.
    public struct Fitted: Sendable {
        public var model: GammaGamma
        public var fit: MaximumLikelihoodFit
        public var penalizer: Double
        public var customers: Double
        public var fingerprint: String
        /// Pearson correlation of frequency and mean spend over the repeat buyers.
        public var frequencySpendCorrelation: Double
        /// Warnings for the user (e.g. frequency and spend correlated: the model assumes independence).
        public var warnings: [String]
        /// Repeat buyers left out because their mean spend was not positive (`.exclude` only).
        public var excludedRepeatBuyers: Int

        public func modelFile(source: String?, notes: [String] = []) -> ModelFile {
            var allNotes = notes + warnings
            if let note = fit.standardErrorNote { allNotes.append(note) }
            return ModelFile(kind: GammaGamma.kind, parameters: fit.parameters, logLikelihood: fit.logLikelihood,
                             penalizer: penalizer, timeUnit: .currency, convergence: fit.convergence,
                             training: .init(customers: customers, fingerprint: fingerprint, source: source),
                             notes: allNotes, covariance: fit.parameterCovariance)
        }
    }

    /// Fits on the repeat buyers among (frequency, monetary value); customers with frequency 0
    /// are skipped. `penalizer` is lifetimes' `penalizer_coef` (c N Σθ² on the total).
    public static func fit(frequency: [Double], monetaryValue: [Double], weight: [Double]? = nil,
                           penalizer: Double = 0, nonPositiveSpend: NonPositiveSpend = .reject) throws -> Fitted {
        let (data, excluded) = try spendDataCountingExclusions(frequency: frequency, monetaryValue: monetaryValue, weight: weight,
                                                               nonPositiveSpend: nonPositiveSpend)
        guard penalizer >= 0, penalizer.isFinite else {
            throw ModelError.invalidParameters("the penalizer must be a finite number >= 0, got \(penalizer)")
        }
        let penalty = penalizer > 0 ? L2Penalty(coefficient: penalizer, customers: data.customers) : nil
        let fit = MaximumLikelihood.fit(names: parameterNames, start: startingValues(for: data),
                                        logLikelihood: { logLikelihood($0, data: data, gradient: &$1) }, penalty: penalty)
        let model = try GammaGamma(parameters: fit.estimates)
        let rho = weightedCorrelation(data.frequency, data.meanSpend, data.weight)
        var warnings: [String] = []
        if excluded > 0 {
            warnings.append("\(excluded) repeat buyers with zero or negative mean spend were left out of the Gamma-Gamma fit")
        }
        if abs(rho) > 0.3 {
            warnings.append("frequency and mean spend are correlated (Pearson r = \(String(format: "%.3f", rho))); the Gamma-Gamma model assumes they are independent, so expected spend may be biased")
        }
        if model.q <= 1 {
            warnings.append("q = \(model.q) <= 1: the expected spend is infinite under this fit; predictions will be refused")
        }
        return Fitted(model: model, fit: fit, penalizer: penalizer, customers: data.customers,
                      fingerprint: DataFingerprint.of(columns: [data.frequency, data.meanSpend, data.weight]),
                      frequencySpendCorrelation: rho, warnings: warnings, excludedRepeatBuyers: excluded)
    }

    /// Method-of-moments-like start: p = 1, q = 2 (finite mean), γ matching the mean spend.
    static func startingValues(for data: SpendData) -> [Double] {
        var s = 0.0, w = 0.0
        for i in 0..<data.count { s += data.weight[i] * data.meanSpend[i]; w += data.weight[i] }
        let mean = s / max(w, 1)
        return [1, 2, max(1e-6, mean)]   // E[z] = pγ/(q−1) = mean
    }

    // MARK: predictions

    /// E[Z | x, z̄] = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · z̄ = p(γ + x z̄)/(px + q − 1),
    /// Fader & Hardie note 025 eq. (5). Throws when q ≤ 1 (the population mean pγ/(q−1) is infinite).
    public func conditionalExpectedAverageSpend(frequency x: Double, monetaryValue m: Double) throws -> Double {
        try requireFiniteMean()
        guard x >= 0, x.isFinite, m.isFinite, m >= 0 else {
            throw ModelError.invalidData("gamma-gamma prediction needs frequency >= 0 and a finite monetary value >= 0, got \(x), \(m)")
        }
        return p * (gamma + x * m) / (p * x + q - 1)
    }

    /// Expected spend per transaction of a new customer, pγ/(q−1).
    public func expectedAverageSpend() throws -> Double {
        try requireFiniteMean()
        return p * gamma / (q - 1)
    }

    public func requireFiniteMean() throws {
        guard q > 1 else {
            throw ModelError.invalidParameters("gamma-gamma: q = \(q) <= 1 makes the expected spend infinite (the mean of the spend distribution pγ/(q−1) does not exist); refit with more data or a penalizer")
        }
    }
}

/// Weighted Pearson correlation (0 when either column is constant).
func weightedCorrelation(_ a: [Double], _ b: [Double], _ w: [Double]) -> Double {
    var sw = 0.0, ma = 0.0, mb = 0.0
    for i in a.indices { sw += w[i]; ma += w[i] * a[i]; mb += w[i] * b[i] }
    ma /= sw; mb /= sw
    var saa = 0.0, sbb = 0.0, sab = 0.0
    for i in a.indices {
        let da = a[i] - ma, db = b[i] - mb
        saa += w[i] * da * da; sbb += w[i] * db * db; sab += w[i] * da * db
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : 0
}
