import Foundation
import Linalg
import Testing
@testable import Churn

/// L1 and elastic-net churn fits: against scikit-learn's saga (correctness), the optimality
/// conditions and the plain fits (consistency), and bad penalties (input checks).
@Suite struct ElasticNetTests {
    struct Peer: Decodable {
        struct Fit: Decodable { var C: Double; var l1_ratio: Double; var coef: [Double]; var optimality_gap: Double }
        var names: [String]
        var fits: [Fit]
    }

    /// The Telco design with tenure and MonthlyCharges standardised (--standardize), as the peer builds it.
    func standardisedTelco() throws -> (Design, [Double]) {
        let table = try telcoTable()
        var options = telcoEncodingOptions()
        options.standardize = true
        let (encoding, target) = try FeatureEncoding.learn(from: table, options: options)
        let design = try encoding.design(for: table)
        return (design, try FeatureEncoding.targetValues(table, target: target, rows: design.rowIndices))
    }

    /// max over columns of the distance of the log-likelihood gradient from the penalty's
    /// subdifferential, computed here from scratch (not with the fit's own code).
    func optimalityGap(x: Matrix, y: [Double], beta: [Double], l1: Double, l2: Double) -> Double {
        var gap = 0.0
        for j in 0..<x.columns {
            var g = 0.0
            for i in 0..<x.rows {
                let eta = (0..<x.columns).reduce(0.0) { $0 + x[i, $1] * beta[$1] }
                g += (y[i] - 1 / (1 + exp(-eta))) * x[i, j]
            }
            if j == 0 { gap = max(gap, abs(g)); continue }
            gap = max(gap, beta[j] != 0 ? abs(g - l2 * beta[j] - (beta[j] > 0 ? l1 : -l1)) : max(0, abs(g) - l1))
        }
        return gap
    }

    @Test func lassoAndElasticNetMatchScikitLearnSaga() throws {
        // C = 0.05, ρ = 1: λ₁ = 20 (lasso); C = 0.1, ρ = 0.5: λ₁ = λ₂ = 5 (elastic net).
        let peer = try JSONDecoder().decode(Peer.self, from: runMLPeer("churn_telco_l1_peer.py", [telcoURL.path, "0.05:1", "0.1:0.5"]))
        let (design, y) = try standardisedTelco()
        for sk in peer.fits {
            #expect(sk.optimality_gap < 1e-6, "the reference itself is not at its optimum")
            let l1 = sk.l1_ratio / sk.C, l2 = (1 - sk.l1_ratio) / sk.C
            let fit = try LogisticRegression.fit(x: design.x, names: design.names, y: y,
                                                 options: LogisticOptions(l2: l2, l1: l1, dropCollinear: true))
            #expect(fit.converged)
            #expect(fit.names == peer.names)
            #expect(fit.standardErrors == nil)
            for j in peer.names.indices {
                #expect(close(fit.coefficients[j], sk.coef[j], relative: 1e-6), "l1 \(l1) l2 \(l2) \(peer.names[j]): \(fit.coefficients[j]) vs \(sk.coef[j])")
                #expect((fit.coefficients[j] == 0) == (sk.coef[j] == 0), "zero pattern differs at \(peer.names[j])")
            }
            #expect(fit.coefficients.filter { $0 == 0 }.count >= (sk.l1_ratio == 1 ? 5 : 1))
        }
    }

    @Test func fitMeetsTheOptimalityConditions() throws {
        let (x, names, y) = syntheticDesign(rows: 3000, seed: 5, beta: [-0.4, 1.2, 0, 0.05, -0.8, 0, 0.3])
        for (l1, l2) in [(15.0, 0.0), (15.0, 4.0), (400.0, 0.0)] {
            let fit = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(l2: l2, l1: l1))
            #expect(fit.converged)
            #expect(optimalityGap(x: x, y: y, beta: fit.coefficients, l1: l1, l2: l2) < 1e-7)
            let ll = -fit.objective + l1 * fit.coefficients.dropFirst().reduce(0) { $0 + abs($1) }
                + 0.5 * l2 * fit.coefficients.dropFirst().reduce(0) { $0 + $1 * $1 }
            #expect(close(ll, fit.logLikelihood, relative: 1e-12))
        }
        // A penalty above max |gradient at the intercept-only fit| zeroes every slope.
        let flat = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(l1: 1e6))
        #expect(flat.coefficients.dropFirst().allSatisfy { $0 == 0 })
        let mean = y.reduce(0, +) / Double(y.count)
        #expect(close(flat.coefficients[0], log(mean / (1 - mean)), relative: 1e-9))
    }

    @Test func tinyL1EqualsThePlainFit() throws {
        let (x, names, y) = syntheticDesign(rows: 2000, seed: 7)
        for l2 in [0.0, 2.0] {
            let plain = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(l2: l2))
            let lasso = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(l2: l2, l1: 1e-12))
            for j in names.indices { #expect(close(lasso.coefficients[j], plain.coefficients[j], relative: 1e-8)) }
        }
    }

    /// 240,000 rows: the warm start and the gradient-pass refinement run through the proximal steps too.
    @Test func warmStartDoesNotChangeTheLassoOptimum() throws {
        let (x, names, y) = syntheticDesign(rows: 240_000, seed: 31, beta: [-0.5, 1.0, 0, -0.7, 0.01, 0.3])
        for (l1, l2) in [(2_000.0, 0.0), (2_000.0, 500.0)] {
            let fast = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(l2: l2, l1: l1))
            let reference = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(l2: l2, l1: l1, subsampleHessian: false))
            #expect(fast.converged && reference.converged)
            for j in names.indices {
                #expect(close(fast.coefficients[j], reference.coefficients[j], relative: 1e-7))
                #expect((fast.coefficients[j] == 0) == (reference.coefficients[j] == 0))
            }
            #expect(fast.coefficients.contains(0))
        }
    }

    @Test func negativeOrInfiniteL1IsRefused() throws {
        let (x, names, y) = syntheticDesign(rows: 100, seed: 3)
        for bad in [-1.0, .infinity, .nan] {
            #expect { try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(l1: bad)) } throws: { error in
                "\(error)".contains("L1 penalty")
            }
        }
    }

    @Test func modelFileKeepsL1AndOldFilesReadAsZero() throws {
        var options = ChurnFitOptions(encoding: telcoEncodingOptions(), l1: 20, dropCollinear: true)
        options.encoding.standardize = true
        let result = try ChurnModel.train(csv: telcoURL, options: options)
        #expect(result.model.penalty.l1 == 20)
        #expect(result.report.contains("penalty: L1, lambda1 = 20 ("))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("klant-l1-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try result.model.write(to: file)
        #expect(try ChurnModel.load(from: file) == result.model)
        // A file written before L1 existed has no "l1" key: it reads as 0.
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"l1\" : 20,", with: "")
        #expect(!text.contains("\"l1\""))
        try text.write(to: file, atomically: true, encoding: .utf8)
        #expect(try ChurnModel.load(from: file).penalty.l1 == 0)
    }
}
