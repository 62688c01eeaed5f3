import Foundation
import Models
import Testing

/// Compares BG/NBD, MBG/NBD and Gamma-Gamma with lifetimes 0.11.3 on the full CDNOW master file
/// (39-week calibration, time = days / 7). The Python script builds the summary and both sides
/// fit that same summary. Needs KLANT_PEER_PYTHON (set by `make test`); never skipped.
@Suite("BG/NBD family vs lifetimes 0.11.3", .serialized)
struct BetaGeometricNBDLifetimesTests {
    struct PeerRun {
        var frequency: [Double], recency: [Double], T: [Double], monetaryValue: [Double]
        var json: [String: Any]
        func model(_ name: String) -> [String: Any] { json[name] as! [String: Any] }
        func params(_ name: String) -> [Double] { (model(name)["params"] as! [NSNumber]).map(\.doubleValue) }
        func logLikelihood(_ name: String) -> Double { (model(name)["log_likelihood"] as! NSNumber).doubleValue }
        func column(_ name: String, _ key: String) -> [Double] { (model(name)[key] as! [NSNumber]).map(\.doubleValue) }
        var patterns: PurchasePatterns { .compressing(frequency: frequency, recency: recency, T: T) }
    }

    /// Runs the peer script once per test process.
    static let run: Result<PeerRun, Error> = Result {
        guard let python = ProcessInfo.processInfo.environment["KLANT_PEER_PYTHON"] else {
            throw ModelError.invalidData("KLANT_PEER_PYTHON is not set: run make test (it creates the lifetimes venv and sets it)")
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("klant-bgnbd-peers-\(getpid())")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [TestData.packageRoot.appendingPathComponent("Tests/ModelsTests/peers/lifetimes_bgnbd_compare.py").path,
                             TestData.dataset("CDNOW_master.txt").path, out.path]
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ModelError.invalidData("peer script failed (\(process.terminationStatus)): \(String(decoding: errors, as: UTF8.self))")
        }
        defer { try? FileManager.default.removeItem(at: out) }
        let c = try TestData.csvColumns(out.appendingPathComponent("summary.csv"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("lifetimes.json"))) as! [String: Any]
        return PeerRun(frequency: c["frequency"]!, recency: c["recency"]!, T: c["T"]!, monetaryValue: c["monetary_value"]!, json: json)
    }

    /// Parameters agree to 1e-4 relative, or, where lifetimes stopped early, our log-likelihood is
    /// higher than lifetimes' at its own parameters (so ours is the better maximum). Our LL function
    /// at lifetimes' parameters equals lifetimes' LL (1e-9 relative).
    func compareFit(ours: [Double], ourLL: Double, theirs: [Double], theirLL: Double, ourLLAtTheirs: Double, name: String) {
        #expect(TestData.relativelyClose(ourLLAtTheirs, theirLL, 1e-9), "\(name): our LL at lifetimes' parameters \(ourLLAtTheirs) vs lifetimes' \(theirLL)")
        let agree = zip(ours, theirs).allSatisfy { TestData.relativelyClose($0, $1, 1e-4) }
        let worst = zip(ours, theirs).map { abs($0 - $1) / abs($1) }.max() ?? 0
        print("\(name) vs lifetimes: max relative parameter difference \(worst), LL ours \(ourLL) lifetimes \(theirLL) (ours − theirs = \(ourLL - theirLL))")
        #expect(agree || ourLL > theirLL, "\(name): parameters \(ours) vs lifetimes \(theirs), LL \(ourLL) vs \(theirLL)")
        #expect(ourLL >= theirLL - 1e-9 * abs(theirLL), "\(name): our maximum \(ourLL) is below lifetimes' \(theirLL)")
    }

    @Test("BG/NBD: parameters (1e-4 relative or a higher LL) and predictions at lifetimes' parameters (1e-4 relative)")
    func bgnbd() throws {
        let peer = try Self.run.get()
        let fitted = try BetaGeometricNBD.fit(peer.patterns)
        let theirs = peer.params("bgnbd")
        var g = [Double](repeating: 0, count: 4)
        compareFit(ours: fitted.model.parameters, ourLL: fitted.fit.logLikelihood, theirs: theirs, theirLL: peer.logLikelihood("bgnbd"),
                   ourLLAtTheirs: BetaGeometricNBD.logLikelihood(theirs, data: peer.patterns, gradient: &g), name: "BG/NBD")
        let same = try BetaGeometricNBD(parameters: theirs)
        let expected = peer.column("bgnbd", "expected_39"), alive = peer.column("bgnbd", "p_alive")
        let scored = same.score(horizon: 39, frequency: peer.frequency, recency: peer.recency, T: peer.T)
        var worst = (0.0, 0.0)
        for i in peer.frequency.indices {
            worst.0 = max(worst.0, abs(scored.expectedPurchases[i] - expected[i]) / max(abs(expected[i]), 1e-300))
            worst.1 = max(worst.1, abs(scored.probabilityAlive[i] - alive[i]) / max(abs(alive[i]), 1e-300))
        }
        print("BG/NBD predictions at lifetimes' parameters: worst relative difference expected \(worst.0), P(alive) \(worst.1)")
        #expect(worst.0 <= 1e-4 && worst.1 <= 1e-4, "worst relative difference: expected purchases \(worst.0), P(alive) \(worst.1)")
        #expect(TestData.relativelyClose(same.expectedPurchases(horizon: 39), (peer.model("bgnbd")["unconditional_39"] as! NSNumber).doubleValue, 1e-8))
    }

    @Test("BG/NBD with penalizer 0.01 equals lifetimes' penalizer_coef = 0.01 (1e-4 relative, or a higher penalised LL)")
    func penalized() throws {
        let peer = try Self.run.get()
        let c = (peer.json["penalizer"] as! NSNumber).doubleValue
        let data = peer.patterns
        let fitted = try BetaGeometricNBD.fit(data, penalizer: c)
        let theirs = peer.params("bgnbd_penalized")
        let penalty = L2Penalty(coefficient: c, customers: data.customers, scales: BetaGeometricNBD.penaltyScales(for: data))
        let objective = penalty.wrapping(BetaGeometricNBD.makeLogLikelihood(for: data))
        var g = [Double](repeating: 0, count: 4)
        let theirPenalised = objective(theirs, &g)
        let agree = zip(fitted.model.parameters, theirs).allSatisfy { TestData.relativelyClose($0, $1, 1e-4) }
        #expect(agree || fitted.fit.logLikelihood > theirPenalised,
                "penalised: \(fitted.model.parameters) vs lifetimes \(theirs); objective \(fitted.fit.logLikelihood) vs \(theirPenalised)")
        #expect(fitted.fit.logLikelihood >= theirPenalised - 1e-9 * abs(theirPenalised))
        let worst = zip(fitted.model.parameters, theirs).map { abs($0 - $1) / abs($1) }.max() ?? 0
        print("BG/NBD penalised vs lifetimes: max relative parameter difference \(worst), objective ours \(fitted.fit.logLikelihood) lifetimes \(theirPenalised)")
    }

    @Test("MBG/NBD: parameters (1e-4 relative or a higher LL) and predictions at lifetimes' parameters (1e-4 relative)")
    func mbgnbd() throws {
        let peer = try Self.run.get()
        let fitted = try ModifiedBetaGeometricNBD.fit(peer.patterns)
        let theirs = peer.params("mbgnbd")
        var g = [Double](repeating: 0, count: 4)
        compareFit(ours: fitted.model.parameters, ourLL: fitted.fit.logLikelihood, theirs: theirs, theirLL: peer.logLikelihood("mbgnbd"),
                   ourLLAtTheirs: ModifiedBetaGeometricNBD.logLikelihood(theirs, data: peer.patterns, gradient: &g), name: "MBG/NBD")
        let same = try ModifiedBetaGeometricNBD(parameters: theirs)
        let expected = peer.column("mbgnbd", "expected_39"), alive = peer.column("mbgnbd", "p_alive")
        let scored = same.score(horizon: 39, frequency: peer.frequency, recency: peer.recency, T: peer.T)
        for i in peer.frequency.indices {
            #expect(TestData.relativelyClose(scored.expectedPurchases[i], expected[i], 1e-4), "customer \(i): \(scored.expectedPurchases[i]) vs \(expected[i])")
            #expect(TestData.relativelyClose(scored.probabilityAlive[i], alive[i], 1e-4), "customer \(i): \(scored.probabilityAlive[i]) vs \(alive[i])")
        }
        #expect(TestData.relativelyClose(same.expectedPurchases(horizon: 39), (peer.model("mbgnbd")["unconditional_39"] as! NSNumber).doubleValue, 1e-8))
    }

    @Test("Gamma-Gamma: parameters (1e-4 relative or a higher LL) and expected spend at lifetimes' parameters (1e-4 relative)")
    func gammaGamma() throws {
        let peer = try Self.run.get()
        // lifetimes refuses repeat buyers with $0 mean spend, and so do we: both fit the same rows.
        let keep = peer.frequency.indices.filter { peer.frequency[$0] > 0 && peer.monetaryValue[$0] > 0 }
        let x = keep.map { peer.frequency[$0] }, m = keep.map { peer.monetaryValue[$0] }
        let fitted = try GammaGamma.fit(frequency: x, monetaryValue: m)
        let theirs = peer.params("gamma_gamma")
        var g = [Double](repeating: 0, count: 3)
        let data = try GammaGamma.spendData(frequency: x, monetaryValue: m)
        compareFit(ours: fitted.model.parameters, ourLL: fitted.fit.logLikelihood, theirs: theirs, theirLL: peer.logLikelihood("gamma_gamma"),
                   ourLLAtTheirs: GammaGamma.logLikelihood(theirs, data: data, gradient: &g), name: "Gamma-Gamma")
        let same = try GammaGamma(parameters: theirs)
        let spend = peer.column("gamma_gamma", "expected_spend")
        for i in peer.frequency.indices {
            let ours = try same.conditionalExpectedAverageSpend(frequency: peer.frequency[i], monetaryValue: peer.monetaryValue[i])
            #expect(TestData.relativelyClose(ours, spend[i], 1e-4), "customer \(i): \(ours) vs \(spend[i])")
        }
    }
}
