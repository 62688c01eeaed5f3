import Foundation
import Testing
import CustomerData
import Linalg
import Models
@testable import Churn

/// Each kind of bad input gets a clear error naming the column(s) or rows, never NaN coefficients.
@Suite struct BadInputTests {
    let base = "id,age,plan,churn\n1,30,a,Yes\n2,40,b,No\n3,35,a,No\n4,50,b,Yes\n5,20,a,No\n6,45,b,Yes\n7,33,a,Yes\n8,41,b,No\n"

    @Test func nonNumericValueInNumericColumn() throws {
        var csv = "id,age,churn\n"
        for i in 1...20 { csv += "\(i),\(20 + i),\(i % 3 == 0 ? "Yes" : "No")\n" }
        csv += "21,n/a,Yes\n"
        let t = try table(csv)
        #expect(throws: ChurnError.nonNumeric(column: "age", lines: [22], values: ["n/a"])) {
            try FeatureEncoding.learn(from: t, options: EncodingOptions(target: "churn", idColumn: "id"))
        }
        // Declared numeric explicitly: the same error, even when most values are not numbers.
        let t2 = try table("id,age,churn\n1,x,Yes\n2,3,No\n3,y,No\n")
        #expect(throws: ChurnError.nonNumeric(column: "age", lines: [2, 4], values: ["x", "y"])) {
            try FeatureEncoding.learn(from: t2, options: EncodingOptions(target: "churn", idColumn: "id", kinds: ["age": .numeric]))
        }
        #expect("\(ChurnError.nonNumeric(column: "age", lines: [22], values: ["n/a"]))".contains("line 22: 'n/a'"))
    }

    @Test func targetWithOtherThanTwoValues() throws {
        let three = try table(base + "9,33,a,Maybe\n")
        #expect {
            try FeatureEncoding.learn(from: three, options: EncodingOptions(target: "churn", idColumn: "id"))
        } throws: { error in
            guard case let ChurnError.badTarget(column, message) = error else { return false }
            return column == "churn" && message.contains("found 3") && message.contains("'Maybe'")
        }
        let one = try table("id,age,churn\n1,3,No\n2,4,No\n")
        #expect(throws: ChurnError.self) { try FeatureEncoding.learn(from: one, options: EncodingOptions(target: "churn")) }
        // A positive label that does not occur.
        #expect {
            try FeatureEncoding.learn(from: try table(base), options: EncodingOptions(target: "churn", positive: "Churned", idColumn: "id"))
        } throws: { "\($0)".contains("'Churned' does not occur") }
    }

    @Test func constantColumn() throws {
        let t = try table("id,age,region,churn\n1,30,north,Yes\n2,40,north,No\n3,35,north,No\n")
        #expect(throws: ChurnError.constantColumn(column: "region", value: "north")) {
            try FeatureEncoding.learn(from: t, options: EncodingOptions(target: "churn", idColumn: "id"))
        }
        let t2 = try table("id,age,fee,churn\n1,30,5,Yes\n2,40,5,No\n3,35,5,No\n")
        #expect(throws: ChurnError.constantColumn(column: "fee", value: "5")) {
            try FeatureEncoding.learn(from: t2, options: EncodingOptions(target: "churn", idColumn: "id"))
        }
    }

    @Test func identifierLikeColumnIsRefused() throws {
        // customerID not declared as the id: 7043 levels would make a 7043-column design.
        #expect {
            try FeatureEncoding.learn(from: try telcoTable(), options: EncodingOptions(target: "Churn", exclude: ["TotalCharges"]))
        } throws: { "\($0)".contains("column 'customerID' has 7043 distinct values") }
    }

    @Test func collinearColumnsAreNamed() throws {
        let (x, names, y) = syntheticDesign(rows: 300, seed: 3)
        // Add x3 = 2 x1 - x2.
        var values = x.values
        values += (0..<x.rows).map { 2 * x[$0, 1] - x[$0, 2] }
        let wide = Matrix(rows: x.rows, columns: x.columns + 1, columnMajor: values)
        let wideNames = names + ["x3"]
        #expect(throws: ChurnError.collinear([CollinearColumn(column: "x3", combination: [("x1", 2), ("x2", -1)])])) {
            try LogisticRegression.fit(x: wide, names: wideNames, y: y)
        }
        // With dropCollinear the column is dropped and the fit equals the fit without it.
        let dropped = try LogisticRegression.fit(x: wide, names: wideNames, y: y, options: LogisticOptions(dropCollinear: true))
        let plain = try LogisticRegression.fit(x: x, names: names, y: y)
        #expect(dropped.names == names)
        #expect(dropped.dropped.map(\.column) == ["x3"])
        for j in names.indices { #expect(close(dropped.coefficients[j], plain.coefficients[j], relative: 1e-10)) }
        #expect(dropped.coefficients.allSatisfy { $0.isFinite })
    }

    @Test func completeSeparationIsExplained() throws {
        // y = 1 exactly when x1 > 0.
        let (x, names, _) = syntheticDesign(rows: 200, seed: 5)
        let y = (0..<x.rows).map { x[$0, 1] > 0 ? 1.0 : 0.0 }
        #expect {
            try LogisticRegression.fit(x: x, names: names, y: y)
        } throws: { error in
            guard case let ChurnError.separation(columns, perfect, rows, complete) = error else { return false }
            return columns.first == "x1" && complete && perfect > 0 && rows == 200 && "\(error)".contains("complete separation")
        }
        // With an L2 penalty the estimate exists.
        let fit = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(l2: 1))
        #expect(fit.converged && fit.coefficients.allSatisfy { $0.isFinite })
    }

    @Test func quasiSeparationIsExplained() throws {
        // A dummy that is 1 only for churners: those rows are predicted perfectly, the others are not.
        let (x, names, y0) = syntheticDesign(rows: 400, seed: 7)
        var values = x.values
        values += (0..<x.rows).map { $0 % 10 == 0 ? 1 : 0 }
        var y = y0
        for i in stride(from: 0, to: x.rows, by: 10) { y[i] = 1 }
        let design = Matrix(rows: x.rows, columns: x.columns + 1, columnMajor: values)
        #expect {
            try LogisticRegression.fit(x: design, names: names + ["promo"], y: y)
        } throws: { error in
            guard case let ChurnError.separation(columns, perfect, rows, complete) = error else { return false }
            return columns == ["promo"] && !complete && perfect >= 40 && rows == 400 && "\(error)".contains("quasi-complete")
        }
    }

    @Test func blanksErrorByDefaultAndPoliciesOnRequest() throws {
        let csv = "id,age,plan,churn\n1,30,a,Yes\n2, ,b,No\n3,35,a,No\n4,50,b,Yes\n5,20,a,No\n6,45,,Yes\n7,33,a,Yes\n8,41,b,No\n9,38,b,No\n"
        let t = try table(csv)
        #expect(throws: ChurnError.blanks(column: "age", lines: [3], count: 1)) {
            try ChurnModel.train(table: t, options: ChurnFitOptions(encoding: EncodingOptions(target: "churn", idColumn: "id")))
        }
        // drop-rows: reported and written to the rejects file.
        let rejects = FileManager.default.temporaryDirectory.appendingPathComponent("klant-rejects-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: rejects) }
        let dropped = try ChurnModel.train(table: t, options: ChurnFitOptions(
            encoding: EncodingOptions(target: "churn", idColumn: "id", blankPolicy: .dropRows), l2: 0.1, rejectsPath: rejects))
        #expect(dropped.rejected.map(\.line) == [3, 7])
        #expect(dropped.fit.rows == 7)
        #expect(dropped.report.contains("rows left out (blank values): 2, lines 3, 7"))
        let written = try String(contentsOf: rejects, encoding: .utf8)
        // The shared CSVWriter quotes a cell with leading/trailing spaces, so the blank " " survives readers that trim.
        #expect(written.hasPrefix("line,id,age,plan,churn,reject_reason\n3,2,\" \",b,No,blank age\n7,6,45,,Yes,blank plan\n"))
        // impute-mean: the training mean of age (of the 8 non-blank values) is stored and used.
        let imputed = try ChurnModel.train(table: t, options: ChurnFitOptions(
            encoding: EncodingOptions(target: "churn", idColumn: "id", blankPolicy: .imputeMean), l2: 0.1))
        let age = try #require(imputed.model.encoding.columns.first { $0.name == "age" })
        #expect(close(age.mean!, (30.0 + 35 + 50 + 20 + 45 + 33 + 41 + 38) / 8, relative: 1e-12))
        let design = try imputed.model.encoding.design(for: t)
        #expect(design.x[1, 1] == age.mean!)
        #expect(imputed.fit.rows == 9)
    }

    @Test func unseenLevelAndMissingColumnAtScoring() throws {
        let model = try ChurnModel.train(table: try table(base), options: ChurnFitOptions(
            encoding: EncodingOptions(target: "churn", idColumn: "id"), l2: 0.5)).model
        let unseen = try table("id,age,plan\n10,30,a\n11,31,c\n")
        #expect(throws: ChurnError.unseenLevel(column: "plan", level: "c", lines: [3])) { try model.predict(unseen) }
        let fallback = try model.predict(unseen, unseenLevels: .reference)
        #expect(fallback.unseenFallbackRows == 1)
        let reference = try model.predict(try table("id,age,plan\n11,31,\(model.encoding.columns[1].reference!)\n"))
        #expect(fallback.probabilities[1] == reference.probabilities[0])
        #expect(throws: ChurnError.missingColumn("plan")) { try model.predict(try table("id,age\n1,30\n")) }
    }

    @Test func wrongModelFiles() throws {
        let model = try ChurnModel.train(table: try table(base), options: ChurnFitOptions(
            encoding: EncodingOptions(target: "churn", idColumn: "id"), l2: 0.5)).model
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as! [String: Any]
        json["kind"] = "bg-nbd"
        #expect { try ChurnModel.decode(try JSONSerialization.data(withJSONObject: json)) } throws: { "\($0)".contains("is a 'bg-nbd' model, not a 'logistic-churn' model") }
        json["kind"] = "logistic-churn"
        json["format_version"] = 3
        #expect { try ChurnModel.decode(try JSONSerialization.data(withJSONObject: json)) } throws: { "\($0)".contains("format_version 3, newer") }
        #expect { try ChurnModel.decode(Data("[1,2]".utf8)) } throws: { "\($0)".contains("not a JSON model file") }
    }

    @Test func badWeights() throws {
        let (x, names, y) = syntheticDesign(rows: 50, seed: 9)
        var w = [Double](repeating: 1, count: 50)
        w[4] = -1
        #expect { try LogisticRegression.fit(x: x, names: names, y: y, weights: w) } throws: { "\($0)".contains("row 4 has weight -1") }
        #expect(throws: ChurnError.badWeights("all weights are zero")) {
            try LogisticRegression.fit(x: x, names: names, y: y, weights: [Double](repeating: 0, count: 50))
        }
    }
}

/// A reproducible design: intercept + 3 standard-normal columns, labels from a known logistic model.
func syntheticDesign(rows n: Int, seed: UInt64, beta: [Double] = [-0.5, 1.0, -0.7, 0.3]) -> (Matrix, [String], [Double]) {
    var rng = SeededGenerator(seed: seed)
    func uniform() -> Double { (Double(rng.next() >> 11) + 0.5) / 9_007_199_254_740_992 }
    func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
    let p = beta.count
    var x = Matrix(rows: n, columns: p)
    var y = [Double](repeating: 0, count: n)
    for i in 0..<n {
        x[i, 0] = 1
        var eta = beta[0]
        for j in 1..<p { x[i, j] = normal(); eta += beta[j] * x[i, j] }
        y[i] = uniform() < 1 / (1 + exp(-eta)) ? 1 : 0
    }
    return (x, ["intercept"] + (1..<p).map { "x\($0)" }, y)
}
