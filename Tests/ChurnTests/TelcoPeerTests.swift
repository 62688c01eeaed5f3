import Foundation
import Testing
import CustomerData
import Linalg
import Models
@testable import Churn

/// Telco churn against statsmodels `Logit` (unpenalised) and scikit-learn
/// `LogisticRegression(solver="newton-cholesky")` (L2, C = 1/λ) on the same design.
@Suite struct TelcoPeerTests {
    struct Peer: Decodable {
        struct SM: Decodable { var params: [Double]; var bse: [Double]; var llf: Double; var pvalues: [Double] }
        struct SK: Decodable { var C: Double; var coef: [Double] }
        var names: [String]
        var rows: Int
        var statsmodels: SM
        var sklearn: [SK]
    }

    static let cs = [1.0, 0.05]

    func peer() throws -> Peer {
        try JSONDecoder().decode(Peer.self, from: runMLPeer("churn_telco_peer.py", [telcoURL.path] + Self.cs.map { String($0) }))
    }

    func telcoDesign() throws -> (Design, [Double]) {
        let table = try telcoTable()
        let (encoding, target) = try FeatureEncoding.learn(from: table, options: telcoEncodingOptions())
        let design = try encoding.design(for: table)
        return (design, try FeatureEncoding.targetValues(table, target: target, rows: design.rowIndices))
    }

    @Test func unpenalisedMatchesStatsmodels() throws {
        let peer = try peer()
        let (design, y) = try telcoDesign()
        let fit = try LogisticRegression.fit(x: design.x, names: design.names, y: y, options: LogisticOptions(dropCollinear: true))
        #expect(fit.converged)
        #expect(fit.names == peer.names)
        #expect(Set(fit.dropped.map(\.column)) == ["MultipleLines_No phone service", "OnlineSecurity_No internet service",
                                                   "OnlineBackup_No internet service", "DeviceProtection_No internet service",
                                                   "TechSupport_No internet service", "StreamingTV_No internet service",
                                                   "StreamingMovies_No internet service"])
        let se = try #require(fit.standardErrors)
        for j in peer.names.indices {
            #expect(close(fit.coefficients[j], peer.statsmodels.params[j], relative: 1e-6), "\(peer.names[j]): \(fit.coefficients[j]) vs \(peer.statsmodels.params[j])")
            #expect(close(se[j], peer.statsmodels.bse[j], relative: 1e-6), "SE \(peer.names[j]): \(se[j]) vs \(peer.statsmodels.bse[j])")
            #expect(close(fit.table.rows[j].pValue!, peer.statsmodels.pvalues[j], relative: 1e-5, floor: 1e-12))
        }
        #expect(close(fit.logLikelihood, peer.statsmodels.llf, relative: 1e-9))
    }

    @Test func l2MatchesScikitLearnNewtonCholesky() throws {
        let peer = try peer()
        let (design, y) = try telcoDesign()
        for sk in peer.sklearn {
            let fit = try LogisticRegression.fit(x: design.x, names: design.names, y: y,
                                                 options: LogisticOptions(l2: 1 / sk.C, dropCollinear: true))
            #expect(fit.converged)
            for j in peer.names.indices {
                #expect(close(fit.coefficients[j], sk.coef[j], relative: 1e-6), "C=\(sk.C) \(peer.names[j]): \(fit.coefficients[j]) vs \(sk.coef[j])")
            }
        }
    }

    /// The documented holdout: 30% of the rows held out by `Models.SeededGenerator` (SplitMix64)
    /// seed 20240601 (`CrossValidation.defaultSeed`; the same split the module's former private
    /// SplitMix64 drew), unpenalised fit with duplicate dummies dropped.
    @Test func holdoutAUCInExpectedRange() throws {
        let options = ChurnFitOptions(encoding: telcoEncodingOptions(), dropCollinear: true, holdoutFraction: 0.3)
        let result = try ChurnModel.train(csv: telcoURL, options: options)
        let auc = try #require(result.holdout?.auc)
        #expect(auc >= 0.83 && auc <= 0.86, "holdout AUC \(auc)")
        #expect(result.report.contains("holdout evaluation"))
    }

    @Test func unpenalisedWithoutDropNamesDuplicateDummies() throws {
        let (design, y) = try telcoDesign()
        #expect {
            try LogisticRegression.fit(x: design.x, names: design.names, y: y)
        } throws: { error in
            guard case let ChurnError.collinear(list) = error else { return false }
            let byName = Dictionary(uniqueKeysWithValues: list.map { ($0.column, $0.combination.map(\.0)) })
            return list.count == 7 && byName["OnlineSecurity_No internet service"] == ["InternetService_No"]
                && byName["MultipleLines_No phone service"] == ["intercept", "PhoneService"]
                && "\(error)".contains("'MultipleLines_No phone service' = intercept - PhoneService")
        }
    }
}

/// Telco-specific input handling: the 11 blank TotalCharges and the evaluation options.
@Suite struct TelcoInputTests {
    @Test func blankTotalChargesNamedByDefaultDroppedOrImputedOnRequest() throws {
        var options = EncodingOptions(target: "Churn", positive: "Yes", idColumn: "customerID")
        let t = try telcoTable()
        #expect {
            try ChurnModel.train(table: t, options: ChurnFitOptions(encoding: options, dropCollinear: true))
        } throws: { error in
            guard case let ChurnError.blanks(column, lines, count) = error else { return false }
            return column == "TotalCharges" && count == 11 && lines.first == 490 && "\(error)".contains("drop-rows")
        }
        options.blankPolicy = .dropRows
        let dropped = try ChurnModel.train(table: t, options: ChurnFitOptions(encoding: options, l2: 1, dropCollinear: true))
        #expect(dropped.fit.rows == 7032 && dropped.rejected.count == 11)
        options.blankPolicy = .imputeZero
        let zero = try ChurnModel.train(table: t, options: ChurnFitOptions(encoding: options, l2: 1, dropCollinear: true))
        #expect(zero.fit.rows == 7043)
    }

    /// The exact command (`--l2 1.0`, no --drop-collinear): the penalty makes the duplicate
    /// dummies harmless, and they share their effect equally.
    @Test func penalisedFitKeepsDuplicateDummies() throws {
        let result = try ChurnModel.train(csv: telcoURL, options: ChurnFitOptions(encoding: telcoEncodingOptions(), l2: 1))
        #expect(result.fit.converged && result.fit.dropped.isEmpty)
        #expect(result.model.coefficients.count == 30)
        let c = Dictionary(uniqueKeysWithValues: result.model.coefficients.map { ($0.name, $0.estimate) })
        #expect(abs(c["OnlineSecurity_No internet service"]! - c["TechSupport_No internet service"]!) < 1e-9)
    }

    @Test func crossValidatedEvaluation() throws {
        let result = try ChurnModel.train(csv: telcoURL, options: ChurnFitOptions(
            encoding: telcoEncodingOptions(), l2: 1, folds: 5, dropCollinear: true, crossValidatedEvaluation: true))
        let e = try #require(result.holdout)
        #expect(e.rows == 7043)
        #expect(e.auc > 0.83 && e.auc < 0.86)
        #expect(result.report.contains("cross-validated evaluation"))
    }

    @Test func sampleWeightColumn() throws {
        var csv = "id,x,w,churn\n"
        var rng = SeededGenerator(seed: 41)
        for i in 0..<100 { csv += "\(i),\(rng.nextInt(below: 100)),\(1 + rng.nextInt(below: 3)),\(rng.nextInt(below: 3) == 0 ? "Yes" : "No")\n" }
        let t = try table(csv)
        let r = try ChurnModel.train(table: t, options: ChurnFitOptions(encoding: EncodingOptions(target: "churn", idColumn: "id", weightColumn: "w")))
        #expect(r.model.weightColumn == "w")
        #expect(r.fit.names == ["intercept", "x"])  // the weight column is not a feature
        let w = try t.column(named: "w").map { Double($0)! }
        #expect(abs(r.fit.weightSum - w.reduce(0, +)) < 1e-12)
    }
}
