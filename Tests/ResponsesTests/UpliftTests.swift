import Foundation
import Testing
import CustomerData
import Models
@testable import Churn
@testable import Responses

/// Uplift models on Hillstrom's e-mail experiment: the published arm rates, scikit-uplift 0.5.1 on
/// the same split, and the known shape of the effects (women's varies, men's nearly uniform).
@Suite struct UpliftTests {
    static func options(_ method: UpliftMethod = .twoModel, holdout: Double? = nil) -> UpliftFitOptions {
        UpliftFitOptions(encoding: EncodingOptions(target: "visit", positive: "1", exclude: ["conversion", "spend", "history_segment"]),
                         treatmentColumn: "segment", control: "No E-Mail", method: method, holdoutFraction: holdout)
    }

    @Test func twoModelArmsReproduceThePublishedVisitRates() throws {
        let model = try UpliftModel.train(csv: hillstromURL, options: Self.options()).model
        let rate = Dictionary(uniqueKeysWithValues: model.parts.map { ($0.arm, Double($0.positives) / Double($0.rows)) })
        #expect(model.parts.map(\.rows) == [21306, 21387, 21307])
        #expect(abs(rate["No E-Mail"]! - 0.1062) < 5e-5)
        #expect(abs(rate["Womens E-Mail"]! - 0.1514) < 5e-5)
        #expect(abs(rate["Mens E-Mail"]! - 0.1828) < 5e-5)
        // A logistic model with an intercept reproduces its arm's mean exactly (score equation).
        let scores = try model.predict(try CustomerTable(contentsOf: hillstromURL))
        let table = try CustomerTable(contentsOf: hillstromURL)
        let arms = try TreatmentArms(table: table, column: "segment", control: "No E-Mail")
        let control = scores.rowIndices.indices.filter { arms.armOfRow[scores.rowIndices[$0]] == 0 }
        let meanControl = control.reduce(0) { $0 + scores.controlProbability![$1] } / Double(control.count)
        #expect(abs(meanControl - rate["No E-Mail"]!) < 1e-9)
    }

    @Test func twoModelMatchesScikitUpliftOnTheSameSplit() throws {
        let table = try CustomerTable(contentsOf: hillstromURL)
        let split = try CrossValidation.holdoutSplit(rows: table.rowCount, testFraction: 0.3)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trainURL = dir.appendingPathComponent("train.csv"), testURL = dir.appendingPathComponent("test.csv")
        try writeRows(table, split.train, to: trainURL)
        try writeRows(table, split.test, to: testURL)
        let model = try UpliftModel.train(csv: trainURL, options: Self.options()).model
        let testTable = try CustomerTable(contentsOf: testURL)
        let scores = try model.predict(testTable)
        let scoresURL = dir.appendingPathComponent("scores.csv")
        try scores.write(to: scoresURL.path)
        let evaluation = try model.evaluate(testTable)

        struct Metrics: Decodable { var qini_auc: Double; var uplift_at_k: [Double] }
        struct Peer: Decodable { var peer_uplift: [Double]; var peer_metrics: Metrics; var klant_metrics_by_sklift: Metrics }
        let peer = try JSONDecoder().decode([String: Peer].self,
                                            from: runUpliftPeer("uplift_hillstrom_peer.py", [trainURL.path, testURL.path, scoresURL.path]))
        let arms = try TreatmentArms(table: testTable, column: "segment", control: "No E-Mail")
        for (k, name) in model.treatments.enumerated() {
            let p = try #require(peer[name])
            let t = arms.treatments.firstIndex(of: name)! + 1
            let rows = scores.rowIndices.indices.filter { arms.armOfRow[scores.rowIndices[$0]] == 0 || arms.armOfRow[scores.rowIndices[$0]] == t }
            let ours = rows.map { scores.uplift[k][$0] }
            // Same maximum-likelihood arms: predicted uplifts agree to 1e-7.
            let diff = zip(ours, p.peer_uplift).map { abs($0 - $1) }.max()!
            #expect(diff < 1e-7, "\(name): max |uplift - TwoModels| = \(diff)")
            // Same metric definitions: scikit-uplift's metrics of our scores equal ours to rounding.
            let e = try #require(evaluation.treatments.first { $0.name == name })
            #expect(abs(e.qiniAUC - p.klant_metrics_by_sklift.qini_auc) < 1e-10)
            for (a, b) in zip(e.upliftAtK, p.klant_metrics_by_sklift.uplift_at_k) { #expect(abs(a - b) < 1e-12) }
            // And the peer model scores like ours (rankings of nearly equal uplifts may swap ties).
            #expect(abs(e.qiniAUC - p.peer_metrics.qini_auc) < 1e-4)
            for (a, b) in zip(e.upliftAtK, p.peer_metrics.uplift_at_k) { #expect(abs(a - b) < 1e-3) }
        }
    }

    @Test(arguments: [UpliftMethod.twoModel, .classTransformation])
    func targetingByUpliftBeatsRandomForTheWomensEmail(method: UpliftMethod) throws {
        let result = try UpliftModel.train(csv: hillstromURL, options: Self.options(method, holdout: 0.3))
        let holdout = try #require(result.holdout)
        let women = try #require(holdout.treatments.first { $0.name == "Womens E-Mail" })
        let men = try #require(holdout.treatments.first { $0.name == "Mens E-Mail" })
        #expect(women.qiniAUC > 0.03)
        for u in women.upliftAtK.prefix(3) { #expect(u > women.randomUplift) }
        // The men's effect is close to uniform: a much smaller Qini area than the women's.
        #expect(men.qiniAUC < women.qiniAUC / 2)
        #expect(abs(men.randomUplift - 0.0766) < 0.01)
    }

    @Test func classTransformationAgreesWithTwoModelOnAverageUplift() throws {
        let table = try CustomerTable(contentsOf: hillstromURL)
        let two = try UpliftModel.train(table: table, options: Self.options()).model.predict(table)
        let ct = try UpliftModel.train(table: table, options: Self.options(.classTransformation)).model.predict(table)
        #expect(ct.controlProbability == nil)
        for k in 0..<2 {
            let a = two.uplift[k].reduce(0, +) / Double(table.rowCount), b = ct.uplift[k].reduce(0, +) / Double(table.rowCount)
            #expect(abs(a - b) < 0.005, "mean uplift \(a) vs \(b)")
        }
    }

    @Test func modelFileRoundTripsAndScoresTheSame() throws {
        let table = try CustomerTable(contentsOf: hillstromURL)
        let model = try UpliftModel.train(table: table, options: Self.options()).model
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("uplift.json")
        try model.write(to: url)
        #expect(try UpliftModel.load(from: url) == model)
        #expect(try ResponseModelKind.of(url) == .uplift)
        #expect(throws: ChurnError.self) { try ChurnModel.load(from: url) }
        // The one model-file header: format version, kind, producer, training, convergence, notes.
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect(json["format_version"] as? Int == 2 && json["kind"] as? String == "uplift")
        #expect((json["producer"] as? String)?.hasPrefix("klant ") == true && json["notes"] is [Any])
        let training = try #require(json["training"] as? [String: Any])
        #expect(training["customers"] as? Double == 64000 && training["rows"] as? Int == 64000)
        let convergence = try #require(json["convergence"] as? [String: Any])
        #expect(convergence["converged"] as? Bool == true && convergence["message"] as? String == "every part converged")
        #expect(json["training_data"] == nil)
        #expect(try ModelFileFormat.header(of: Data(contentsOf: url), source: url.path).kind == .uplift)
    }

    @Test func aFileOfFormatVersion1LoadsAndScoresLikeItsRefit() throws {
        // fixtures/uplift-v1.json: the first 4,000 rows of hillstrom.csv, fitted before uplift models shared the header.
        let v1 = packageRoot.appendingPathComponent("Tests/ResponsesTests/fixtures/uplift-v1.json")
        let old = try UpliftModel.load(from: v1)
        #expect(old.formatVersion == 1 && old.kind == .uplift && old.heldOut == 0)
        #expect(old.training.customers == 4000 && old.training.rows == 4000 && old.training.fingerprint.hasPrefix("fnv1a64:"))
        #expect(old.convergence.converged && old.convergence.message.contains("format version 1"))
        let table = try CustomerTable(contentsOf: hillstromURL).selectingRows(Array(0..<4000))
        var options = Self.options()
        options.encoding.exclude += ["zip_code", "channel", "history"]
        let refit = try UpliftModel.train(table: table, options: options).model
        // Equal to rounding: the refit's BLAS kernels depend on the CPU (an AVX-512 EPYC differs from the
        // fixture's machine in the last bit of some coefficients), the file format must not.
        #expect(largestRelativeDifference(old.parts.flatMap(\.coefficients), refit.parts.flatMap(\.coefficients)) < 1e-12)
        #expect(largestRelativeDifference(try old.predict(table).uplift.flatMap { $0 }, try refit.predict(table).uplift.flatMap { $0 }) < 1e-12)
        // Written again, it is a version 2 file that reads back to the same model.
        var reread = try JSONDecoder().decode(UpliftModel.self, from: ModelFileFormat.encoder().encode(old))
        #expect(reread.formatVersion == 2)
        reread.formatVersion = 1
        #expect(reread == old)
    }
}

@Suite struct UpliftInputTests {
    let csv = "x,arm,y\n1,c,0\n2,t,1\n3,c,1\n4,t,0\n5,c,0\n6,t,1\n"

    @Test func aControlValueThatDoesNotOccurIsAnErrorListingTheValues() throws {
        let error = #expect(throws: ResponseError.self) { try TreatmentArms(table: table(csv), column: "arm", control: "none") }
        #expect(error?.description.contains("'none' does not occur") == true)
        #expect(error?.description.contains("'t'") == true)
    }

    @Test func aTreatmentColumnWithOneLevelIsAnError() throws {
        let error = #expect(throws: ResponseError.self) { try TreatmentArms(table: table("x,arm\n1,c\n2,c\n"), column: "arm", control: "c") }
        #expect(error?.description.contains("one level") == true)
    }

    @Test func aMissingTreatmentColumnAndABlankArmAreErrors() throws {
        #expect(throws: ResponseError.self) { try TreatmentArms(table: table(csv), column: "group", control: "c") }
        let error = #expect(throws: ResponseError.self) { try TreatmentArms(table: table("x,arm\n1,c\n2,\n"), column: "arm", control: "c") }
        #expect(error?.description.contains("line 3") == true)
    }

    @Test func anArmTooSmallToFitIsNamed() throws {
        var rows = (0..<60).map { "\($0 % 7),c,\($0 % 3 == 0 ? 1 : 0)" }
        rows += ["1,t,1", "2,t,0"]
        let data = try table("x,arm,y\n" + rows.joined(separator: "\n") + "\n")
        let error = #expect(throws: ResponseError.self) {
            try UpliftModel.train(table: data, options: UpliftFitOptions(encoding: EncodingOptions(target: "y"), treatmentColumn: "arm", control: "c", minimumRowsPerColumn: 5))
        }
        guard case let .armTooSmall(arm, count, _, _)? = error else { Issue.record("expected armTooSmall, got \(String(describing: error))"); return }
        #expect(arm == "t" && count == 2)
    }

    @Test func anArmWithOneOutcomeIsNamed() throws {
        let rows = (0..<40).map { "\($0 % 5),c,\($0 % 2)" } + (0..<40).map { "\($0 % 5),t,0" }
        let error = #expect(throws: ResponseError.self) {
            try UpliftModel.train(table: table("x,arm,y\n" + rows.joined(separator: "\n") + "\n"),
                                  options: UpliftFitOptions(encoding: EncodingOptions(target: "y"), treatmentColumn: "arm", control: "c"))
        }
        #expect(error?.description.contains("arm 't'") == true)
        #expect(error?.description.contains("both outcomes") == true)
    }

    @Test func anOutcomeThatIsNotBinaryIsAnError() throws {
        let rows = (0..<40).map { "\($0 % 5),\($0 % 2 == 0 ? "c" : "t"),\($0 % 3)" }
        #expect(throws: ChurnError.self) {
            try UpliftModel.train(table: table("x,arm,y\n" + rows.joined(separator: "\n") + "\n"),
                                  options: UpliftFitOptions(encoding: EncodingOptions(target: "y"), treatmentColumn: "arm", control: "c"))
        }
    }
}

/// Qini and uplift@k on small hand-computed cases.
@Suite struct UpliftMetricsTests {
    @Test func qiniCurveAndUpliftAtKByHand() {
        // Ranked: (t,1) (c,0) (t,0) (c,1); scores distinct.
        let y: [Double] = [1, 0, 0, 1], treated = [true, false, true, false], score: [Double] = [4, 3, 2, 1]
        let curve = UpliftMetrics.qiniCurve(outcomes: y, treated: treated, score: score)
        #expect(curve.n == [0, 1, 2, 3, 4])
        #expect(curve.qini == [0, 1, 1, 1, 0])
        #expect(UpliftMetrics.upliftAtK(outcomes: y, treated: treated, score: score, fraction: 0.5) == 1)
        #expect(UpliftMetrics.overallUplift(outcomes: y, treated: treated) == 0)
    }

    @Test func tiedScoresFormOneStepOfTheQiniCurve() {
        let y: [Double] = [1, 0, 1, 0], treated = [true, false, false, true], score: [Double] = [1, 1, 0, 0]
        let curve = UpliftMetrics.qiniCurve(outcomes: y, treated: treated, score: score)
        #expect(curve.n == [0, 2, 4])
        #expect(curve.qini == [0, 1, 0])
    }

    @Test func perfectRankingScoresOneAndItsReverseScoresBelowZero() {
        let y: [Double] = [1, 0, 1, 0, 0, 1, 0, 0], treated = [true, true, false, false, true, false, true, false]
        let perfect = zip(y, treated).map { $1 ? $0 : -$0 }
        #expect(abs(UpliftMetrics.qiniAUCScore(outcomes: y, treated: treated, score: perfect) - 1) < 1e-12)
        #expect(UpliftMetrics.qiniAUCScore(outcomes: y, treated: treated, score: perfect.map { -$0 }) < 0)
    }
}
