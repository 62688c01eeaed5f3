import Foundation

extension ModelFile {
    /// A printable table of the fit, in the layout data scientists know from statsmodels/CLVTools:
    /// estimate, standard error, 95% interval per parameter, then log-likelihood and convergence.
    public var summaryTable: String {
        var lines: [String] = []
        let patterns = training.patterns.map { $0 > 0 ? " (\($0) distinct patterns)" : "" } ?? ""
        lines.append("\(kind.rawValue) model — \(Int(training.customers)) customers\(patterns), time unit: \(timeUnit)")
        lines.append(pad("parameter", 10) + pad("estimate", 14) + pad("std. error", 14) + pad("95% lower", 14) + pad("95% upper", 14))
        for p in parameters {
            lines.append(pad(p.name, 10) + pad(format(p.estimate), 14) + pad(format(p.standardError), 14)
                         + pad(format(p.lower95), 14) + pad(format(p.upper95), 14))
        }
        lines.append("log-likelihood: \(String(format: "%.4f", logLikelihood))" + (penalizer > 0 ? " (penalised, penalizer \(penalizer))" : ""))
        lines.append("converged: \(convergence.converged ? "yes" : "NO") after \(convergence.iterations) iterations; "
                     + "max |gradient| \(String(format: "%.2e", convergence.gradientNorm)), Newton decrement \(String(format: "%.2e", convergence.newtonDecrement))")
        for note in notes { lines.append("note: \(note)") }
        return lines.joined(separator: "\n")
    }

    private func format(_ v: Double?) -> String {
        guard let v else { return "—" }
        return String(format: "%.6g", v)
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
