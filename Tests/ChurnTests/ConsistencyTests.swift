import Foundation
import Testing
import CustomerData
import Linalg
import Models
@testable import Churn

/// Properties that must hold whatever the data: they tie the options to each other.
@Suite struct ConsistencyTests {
    @Test func zeroPenaltyEqualsUnpenalisedFit() throws {
        let (x, names, y) = syntheticDesign(rows: 500, seed: 11)
        let plain = try LogisticRegression.fit(x: x, names: names, y: y)
        let zero = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(l2: 0))
        #expect(plain.coefficients == zero.coefficients)
        #expect(plain.standardErrors == zero.standardErrors)
        // A vanishing penalty approaches the unpenalised fit.
        let tiny = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(l2: 1e-9))
        for j in names.indices { #expect(close(tiny.coefficients[j], plain.coefficients[j], relative: 1e-6)) }
    }

    @Test func weightTwoEqualsDuplicatedRows() throws {
        let (x, names, y) = syntheticDesign(rows: 300, seed: 13)
        // Rows 0..<100 get weight 2; the other fit sees them twice.
        let weights = (0..<300).map { $0 < 100 ? 2.0 : 1.0 }
        let duplicated = Array(0..<300) + Array(0..<100)
        let xd = CrossValidation.selectRows(x, duplicated)
        let yd = duplicated.map { y[$0] }
        for l2 in [0.0, 2.0] {
            let weighted = try LogisticRegression.fit(x: x, names: names, y: y, weights: weights, options: LogisticOptions(l2: l2))
            let copies = try LogisticRegression.fit(x: xd, names: names, y: yd, options: LogisticOptions(l2: l2))
            for j in names.indices { #expect(close(weighted.coefficients[j], copies.coefficients[j], relative: 1e-9)) }
            if l2 == 0 {
                for j in names.indices { #expect(close(weighted.standardErrors![j], copies.standardErrors![j], relative: 1e-9)) }
            }
            #expect(close(weighted.logLikelihood, copies.logLikelihood, relative: 1e-12))
        }
    }

    @Test func balancedClassWeightsEqualExplicitWeights() throws {
        var csv = "id,x,churn\n"
        var rng = SeededGenerator(seed: 17)
        for i in 0..<200 { csv += "\(i),\(Double(rng.nextInt(below: 1000)) / 100),\(rng.nextInt(below: 4) == 0 ? "Yes" : "No")\n" }
        let t = try table(csv)
        let balanced = try ChurnModel.train(table: t, options: ChurnFitOptions(encoding: EncodingOptions(target: "churn", idColumn: "id"), classWeight: .balanced))
        let y = try FeatureEncoding.targetValues(t, target: balanced.model.target, rows: Array(0..<200))
        let pos = y.reduce(0, +)
        let w = y.map { $0 == 1 ? 200 / (2 * pos) : 200 / (2 * (200 - pos)) }
        let design = try balanced.model.encoding.design(for: t)
        let explicit = try LogisticRegression.fit(x: design.x, names: design.names, y: y, weights: w)
        for j in design.names.indices { #expect(close(balanced.fit.coefficients[j], explicit.coefficients[j], relative: 1e-12)) }
        #expect(balanced.model.classWeights?["positive"] == 200 / (2 * pos))
    }

    @Test func scoringTrainingDataThroughStoredModelReproducesFit() throws {
        let options = ChurnFitOptions(encoding: telcoEncodingOptions(), l2: 0.5, dropCollinear: true)
        let result = try ChurnModel.train(csv: telcoURL, options: options)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("klant-churn-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try result.model.write(to: file)
        let loaded = try ChurnModel.load(from: file)
        #expect(loaded == result.model)
        let scores = try loaded.predict(try telcoTable())
        #expect(scores.ids.count == 7043)
        #expect(scores.ids.first == "7590-VHVEG")
        for (a, b) in zip(scores.probabilities, result.fittedProbabilities) { #expect(abs(a - b) <= 1e-14) }
        // The file is self-describing JSON with a version, kind, fingerprint and no customer rows.
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("\"format_version\" : 2") && text.contains("\"kind\" : \"logistic-churn\""))
        #expect(text.contains("\"producer\" : \"klant") && text.contains("\"rows\" : 7043"))
        #expect(!text.contains("7590-VHVEG"))
        var hash = FNV1a()
        hash.add(bytes: try Data(contentsOf: telcoURL))
        #expect(result.model.training.fingerprint == "fnv1a64:" + hash.hex)
        #expect(result.model.training.customers == 7043 && result.model.training.source == "telco_churn.csv")
        // Scores CSV, written atomically.
        #expect(scores.csv.hasPrefix("customerID,churn_probability\n7590-VHVEG,"))
        let scoresFile = FileManager.default.temporaryDirectory.appendingPathComponent("klant-scores-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: scoresFile) }
        let fromFile = try loaded.predict(csv: telcoURL)
        try fromFile.write(to: scoresFile)
        #expect(try String(contentsOf: scoresFile, encoding: .utf8) == fromFile.csv)
        // Scoring the file equals scoring the table. Not bit for bit: OpenBLAS's dgemv rounds the last
        // rows of a thread's share differently, and other tests running at the same time switch its
        // thread count.
        #expect(fromFile.ids == scores.ids)
        for (a, b) in zip(fromFile.probabilities, scores.probabilities) { #expect(abs(a - b) <= 1e-14) }
        // Evaluating on the training file says so.
        let (evaluation, report) = try loaded.evaluate(csv: telcoURL)
        #expect(report.hasPrefix("note: this is the training data"))
        #expect(evaluation.rows == 7043)
    }

    /// New customers have no churn label yet: scoring a table without the target column gives the
    /// same probabilities as scoring it with the column.
    @Test func scoringNeedsNoTargetColumn() throws {
        let result = try ChurnModel.train(csv: telcoURL, options: ChurnFitOptions(encoding: telcoEncodingOptions(), l2: 1))
        let lines = try String(contentsOf: telcoURL, encoding: .utf8).split(whereSeparator: \.isNewline)  // CRLF file
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let churn = try #require(header.firstIndex(of: "Churn"))
        #expect(churn == header.count - 1)  // the last column: dropping it needs no CSV parsing
        let withoutTarget = lines.prefix(200).map { line in line.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }
        let scores = try result.model.predict(try table(withoutTarget.joined(separator: "\n") + "\n"))
        #expect(scores.ids.count == 199)
        for (a, b) in zip(scores.probabilities, result.fittedProbabilities) { #expect(abs(a - b) <= 1e-14) }
    }

    @Test func standardisingDoesNotChangeUnpenalisedProbabilities() throws {
        let plain = try ChurnModel.train(csv: telcoURL, options: ChurnFitOptions(encoding: telcoEncodingOptions(), dropCollinear: true))
        var enc = telcoEncodingOptions()
        enc.standardize = true
        let standardised = try ChurnModel.train(csv: telcoURL, options: ChurnFitOptions(encoding: enc, dropCollinear: true))
        let tenure = try #require(standardised.model.encoding.columns.first { $0.name == "tenure" })
        #expect(tenure.scale != nil && tenure.mean != nil)
        for (a, b) in zip(plain.fittedProbabilities, standardised.fittedProbabilities) { #expect(abs(a - b) < 1e-9) }
        // Only numeric columns are scaled: booleans and dummies stay 0/1.
        #expect(standardised.model.encoding.columns.first { $0.name == "Partner" }?.scale == nil)
    }

    /// 240,000 rows take the large-design path (warm start on a subsample, gradient-pass refinement,
    /// one full Newton pass); 13 slopes + intercept = 14 columns are padded to 16 for dsyrk.
    @Test(arguments: [4, 14])
    func threadsAndWarmStartDoNotChangeTheOptimum(columns: Int) throws {
        let beta = columns == 4 ? [-0.5, 1.0, -0.7, 0.3] : (0..<columns).map { 0.4 * cos(Double($0)) }
        let (x, names, y) = syntheticDesign(rows: 240_000, seed: 19, beta: beta)
        let reference = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(threads: 1, subsampleHessian: false))
        let fast = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(threads: 2, subsampleHessian: true))
        #expect(reference.converged && fast.converged)
        for j in names.indices {
            #expect(close(fast.coefficients[j], reference.coefficients[j], relative: 1e-9))
            #expect(close(fast.standardErrors![j], reference.standardErrors![j], relative: 1e-7))
        }
        let penalised = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(l2: 5, threads: 2))
        let penalisedReference = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(l2: 5, threads: 1, subsampleHessian: false))
        // Penalised fits may stop one pass early (predicted remaining step ≤ 1e-8): agreement to 1e-7.
        for j in names.indices { #expect(close(penalised.coefficients[j], penalisedReference.coefficients[j], relative: 1e-7)) }
    }

    /// The large-design path on harder data: rare positives (about 1%), columns on very different
    /// scales (x1000 and x0.001), and two strongly correlated columns. Same optimum and standard
    /// errors as plain Newton on all rows.
    @Test(arguments: ["rare positives", "bad scaling", "correlated"])
    func warmStartOnHarderData(case name: String) throws {
        let beta: [Double] = name == "rare positives" ? [-5.2, 0.8, -0.5, 0.3, 0.2] : [-0.3, 0.9, -0.6, 0.4, 0.2]
        var (x, names, y) = syntheticDesign(rows: 260_000, seed: 47, beta: beta)
        if name == "bad scaling" {
            for i in 0..<x.rows { x[i, 1] *= 1000; x[i, 2] *= 0.001 }
        } else if name == "correlated" {
            for i in 0..<x.rows { x[i, 3] = 0.98 * x[i, 4] + 0.02 * x[i, 3] }
        }
        let fast = try LogisticRegression.fit(x: x, names: names, y: y)
        let reference = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(subsampleHessian: false))
        #expect(fast.converged && reference.converged)
        if name == "rare positives" { #expect(y.reduce(0, +) / Double(y.count) < 0.02) }
        for j in names.indices {
            #expect(close(fast.coefficients[j], reference.coefficients[j], relative: 1e-8, floor: 1e-6), "\(name) \(names[j])")
            #expect(close(fast.standardErrors![j], reference.standardErrors![j], relative: 1e-6), "\(name) SE \(names[j])")
        }
    }

    @Test func rowSplitGramEqualsSingleGram() throws {
        let (x, _, _) = syntheticDesign(rows: 1001, seed: 23)
        var single = Matrix(rows: x.columns, columns: x.columns)
        try BLAS.gram(x, accumulatingInto: &single)
        for threads in [1, 2, 3] {
            let split = try BLAS.parallelGram(x, threads: threads)
            for i in single.values.indices { #expect(abs(split.values[i] - single.values[i]) <= 1e-9 * max(1, abs(single.values[i]))) }
        }
    }

    @Test func crossValidationIsReproducibleAndPicksFromTheGrid() throws {
        let (x, names, y) = syntheticDesign(rows: 400, seed: 29)
        let grid = [0.01, 1, 100, 10_000]
        let a = try CrossValidation.chooseL2(x: x, names: names, y: y, lambdas: grid, folds: 5, seed: 42)
        let b = try CrossValidation.chooseL2(x: x, names: names, y: y, lambdas: grid, folds: 5, seed: 42)
        #expect(a.meanLogLoss == b.meanLogLoss)
        #expect(grid.contains(a.best.l2) && a.best.l1 == 0)
        // A huge penalty flattens the model: clearly worse held-out log-loss than a small one.
        #expect(a.meanLogLoss[3] > a.meanLogLoss[0])
        let folds = CrossValidation.foldAssignment(rows: 10, folds: 3, seed: 1)
        #expect(folds.sorted() == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
        let split = try CrossValidation.holdoutSplit(rows: 10, testFraction: 0.3, seed: 1)
        #expect(split.test.count == 3 && Set(split.train + split.test) == Set(0..<10))
    }

    @Test func trainingWithCrossValidatedPenalty() throws {
        let result = try ChurnModel.train(csv: telcoURL, options: ChurnFitOptions(
            encoding: telcoEncodingOptions(), l2Grid: [0.1, 1, 10, 100], folds: 3, dropCollinear: true))
        #expect(result.model.penalty.chosenBy == "3-fold cross-validation, seed \(CrossValidation.defaultSeed)")
        #expect([0.1, 1, 10, 100].contains(result.model.penalty.l2))
        #expect(result.report.contains("<- best"))
    }

    /// --l1-grid (with --l2-grid: every pair) is cross-validated on the same folds; the chosen pair is
    /// the grid's lowest mean log-loss and is what the model stores and was fitted with.
    @Test func crossValidatedL1AndL2Grid() throws {
        var encoding = telcoEncodingOptions()
        encoding.standardize = true
        let result = try ChurnModel.train(csv: telcoURL, options: ChurnFitOptions(
            encoding: encoding, l2Grid: [0, 1], l1Grid: [0.5, 5, 200], folds: 3, dropCollinear: true))
        let cv = try #require(result.crossValidation)
        #expect(cv.candidates.count == 6)
        #expect(cv.candidates.contains(PenaltyStrength(l1: 200, l2: 1)))
        let best = cv.meanLogLoss.indices.min { cv.meanLogLoss[$0] < cv.meanLogLoss[$1] }!
        #expect(cv.best == cv.candidates[best])
        #expect(result.model.penalty.l1 == cv.best.l1 && result.model.penalty.l2 == cv.best.l2)
        // λ₁ = 200 zeroes most coefficients and fits the held-out folds worse than a light penalty.
        let heavy = cv.candidates.firstIndex(of: PenaltyStrength(l1: 200, l2: 0))!
        let light = cv.candidates.firstIndex(of: PenaltyStrength(l1: 0.5, l2: 0))!
        #expect(cv.meanLogLoss[heavy] > cv.meanLogLoss[light])
        #expect(result.report.contains("l1 = 200") && result.report.contains("<- best"))
    }
}

/// The large-design warm start must not turn a quirk of its row subsample into an error.
@Suite struct WarmStartTests {
    @Test func rareDummyAbsentFromSubsample() throws {
        let (x, names, y) = syntheticDesign(rows: 220_000, seed: 43)
        // A dummy that is 1 in three rows of the second chunk only (never in a sampled chunk: every 8th, from the first).
        var values = x.values
        var rare = [Double](repeating: 0, count: x.rows)
        for i in [600, 700, 800] { rare[i] = 1 }
        values += rare
        var labels = y
        labels[600] = 1; labels[700] = 0; labels[800] = 1  // mixed, so the unpenalised estimate exists
        let design = Matrix(rows: x.rows, columns: x.columns + 1, columnMajor: values)
        for l2 in [0.0, 1.0] {
            // Unpenalised, the subsample's information matrix is singular in the `rare` direction.
            let fast = try LogisticRegression.fit(x: design, names: names + ["rare"], y: labels, options: LogisticOptions(l2: l2))
            let reference = try LogisticRegression.fit(x: design, names: names + ["rare"], y: labels, options: LogisticOptions(l2: l2, subsampleHessian: false))
            #expect(fast.converged)
            for j in fast.names.indices { #expect(close(fast.coefficients[j], reference.coefficients[j], relative: 1e-7)) }
        }
    }
}
