import Foundation

/// The statsmodels-style summary of an unpenalised fit: estimate, standard error, z = β/SE,
/// two-sided p-value from the normal distribution, and the 95% Wald interval β ± 1.96 SE.
/// For penalised fits only the estimates and odds ratios are shown.
public struct CoefficientTable: Sendable {
    public struct Row: Sendable, Equatable {
        public var name: String
        public var estimate: Double
        public var standardError: Double?
        public var z: Double?
        public var pValue: Double?
        public var lower95: Double?
        public var upper95: Double?
        /// exp(β): the multiplicative change in the odds of churning per unit of the feature.
        public var oddsRatio: Double { exp(estimate) }
    }

    public var rows: [Row]

    /// The 97.5% quantile of the standard normal distribution.
    public static let z975 = 1.959963984540054

    public init(fit: LogisticFit) {
        rows = fit.names.indices.map { j in
            let b = fit.coefficients[j]
            guard let se = fit.standardErrors?[j] else { return Row(name: fit.names[j], estimate: b) }
            let z = b / se
            return Row(name: fit.names[j], estimate: b, standardError: se, z: z, pValue: Self.twoSidedNormalP(z),
                       lower95: b - Self.z975 * se, upper95: b + Self.z975 * se)
        }
    }

    /// P(|Z| > |z|) for standard normal Z: erfc(|z| / √2) (Abramowitz & Stegun 7.1.2 / 26.2.29).
    public static func twoSidedNormalP(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// Fixed-width text table in the layout of statsmodels' `summary()`.
    public var text: String {
        let width = max(12, rows.map(\.name.count).max() ?? 0)
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
        func padRight(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
        func num(_ x: Double?, _ f: String = "%.4f") -> String { x.map { String(format: f, $0) } ?? "-" }
        var lines = [padRight("", width) + pad("coef", 11) + pad("std err", 11) + pad("z", 9) + pad("P>|z|", 9)
                     + pad("[0.025", 11) + pad("0.975]", 11) + pad("odds ratio", 12)]
        lines.append(String(repeating: "-", count: lines[0].count))
        for r in rows {
            lines.append(padRight(r.name, width) + pad(num(r.estimate), 11) + pad(num(r.standardError), 11)
                         + pad(num(r.z, "%.3f"), 9) + pad(num(r.pValue, "%.3f"), 9) + pad(num(r.lower95), 11)
                         + pad(num(r.upper95), 11) + pad(num(r.oddsRatio, "%.3f"), 12))
        }
        return lines.joined(separator: "\n")
    }

    /// The `count` largest effects (by |β|, intercept excluded) explained in words, e.g.
    /// "Contract_Two year: odds of churning x0.25 (75% lower) per unit, other features fixed".
    public func topEffects(_ count: Int = 5, intercept: String = FeatureEncoding.interceptName) -> [String] {
        rows.filter { $0.name != intercept }.sorted { abs($0.estimate) > abs($1.estimate) }.prefix(count).map { r in
            let or = r.oddsRatio
            let change = or >= 1 ? String(format: "%.0f%% higher", (or - 1) * 100) : String(format: "%.0f%% lower", (1 - or) * 100)
            let sig = r.pValue.map { $0 < 0.05 ? String(format: ", p = %.2g", $0) : String(format: ", p = %.2g, not significant at 5%%", $0) } ?? ""
            return "\(r.name): odds of churning x\(String(format: "%.3g", or)) (\(change)) per unit increase (for a dummy: versus the reference level), other features held fixed\(sig)"
        }
    }
}
