import Foundation
import Testing
import CustomerData
import Models
@testable import Churn

/// The generic CSV customer-table reader (CustomerData/CustomerTable.swift).
@Suite struct CustomerTableTests {
    @Test func rfc4180Quoting() throws {
        let csv = "id,name,note\r\n1,\"Smith, J\",\"said \"\"hi\"\"\"\r\n2,Lee,\"two\nlines\"\r\n3,,\"\"\r\n"
        let t = try CustomerTable(csv: Data(csv.utf8), source: "q.csv")
        #expect(t.columnNames == ["id", "name", "note"])
        #expect(try t.column(named: "name") == ["Smith, J", "Lee", ""])
        #expect(try t.column(named: "note") == ["said \"hi\"", "two\nlines", ""])
        #expect(t.lineNumbers == [2, 3, 5])  // record 3 starts after the quoted line break
    }

    @Test func keepsRawStringsAndSkipsEmptyLines() throws {
        let t = try table("a,b\n 1 , x \n\n2,y")  // no final newline, an empty line
        #expect(try t.column(named: "a") == [" 1 ", "2"])
        #expect(t.rowCount == 2)
        #expect(t.lineNumbers == [2, 4])
    }

    @Test func errorsNameFileAndLine() throws {
        #expect(throws: CustomerTableError.malformed(source: "test.csv", line: 3, message: "3 fields, but the header has 2 columns")) {
            try table("a,b\n1,2\n3,4,5\n")
        }
        #expect(throws: CustomerTableError.duplicateColumn(source: "test.csv", name: "a")) { try table("a,b,a\n1,2,3\n") }
        #expect(throws: CustomerTableError.malformed(source: "test.csv", line: 2, message: "a quoted field is never closed")) {
            try table("a,b\n1,\"2\n")
        }
        #expect(throws: CustomerTableError.self) { try table("a,b\n1,x\"y\"\n") }
        #expect { try table("a,b\n1,2\n").column(named: "c") } throws: { "\($0)".contains("no column named 'c'; the columns are: a, b") }
        #expect(throws: CustomerTableError.empty(source: "test.csv")) { try table("") }
    }

    @Test func readsTelco() throws {
        let t = try telcoTable()
        #expect(t.rowCount == 7043)
        #expect(t.columnNames.count == 21)
        #expect(try t.column(named: "TotalCharges").filter { $0.trimmingCharacters(in: .whitespaces).isEmpty }.count == 11)
    }
}

/// Metrics against values worked out by hand.
@Suite struct EvaluationTests {
    @Test func aucWithTiesAndDeLongVariance() throws {
        // Positives 0.9, 0.4, 0.6(tie); negatives 0.6(tie), 0.1, 0.3.
        let y: [Double] = [1, 1, 1, 0, 0, 0]
        let p = [0.9, 0.4, 0.6, 0.6, 0.1, 0.3]
        let (auc, variance) = ChurnMetrics.aucDeLong(labels: y, scores: p)
        // Pairs won: 0.9 beats 3, 0.4 beats 2, 0.6 beats 2 + tie ½ → 7.5 of 9.
        #expect(abs(auc - 7.5 / 9) < 1e-15)
        // V10 = [1, 2/3, 5/6], V01 = [1/6+... ] by hand: negatives 0.6 → (1 + ½)/3 = 0.5, 0.1 → 1, 0.3 → 1.
        let v10 = [1.0, 2.0 / 3, 5.0 / 6], v01 = [0.5, 1.0, 1.0]
        func sampleVariance(_ v: [Double]) -> Double { let m = v.reduce(0, +) / Double(v.count); return v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1) }
        #expect(abs(variance - (sampleVariance(v10) / 3 + sampleVariance(v01) / 3)) < 1e-15)
    }

    @Test func logLossBrierConfusionAndDeciles() throws {
        let y: [Double] = [1, 0, 1, 0, 0, 0, 1, 0, 0, 0]
        let p = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]
        let e = try ChurnEvaluation(labels: y, probabilities: p, threshold: 0.5)
        let expectedLogLoss = -(log(0.9) + log(0.2) + log(0.7) + log(0.4) + log(0.5) + log(0.6) + log(0.3) + log(0.8) + log(0.9) + log(0.95)) / 10
        #expect(abs(e.logLoss - expectedLogLoss) < 1e-14)
        let expectedBrier = (0.01 + 0.64 + 0.09 + 0.36 + 0.25 + 0.16 + 0.49 + 0.04 + 0.01 + 0.0025) / 10
        #expect(abs(e.brier - expectedBrier) < 1e-14)
        #expect(e.confusion == ConfusionMatrix(truePositives: 2, falsePositives: 3, trueNegatives: 4, falseNegatives: 1))
        #expect(e.accuracy == 0.6)
        #expect(e.deciles.count == 10)
        #expect(e.deciles[0].lift == 1 / 0.3)
        #expect(e.deciles.last?.cumulativeGain == 1)
        #expect(abs(e.deciles[2].cumulativeGain - 2.0 / 3) < 1e-15)
        #expect(e.report.contains("AUC:"))
    }

    @Test func oddsRatiosInWords() throws {
        let (x, names, y) = syntheticDesign(rows: 2000, seed: 31)
        let fit = try LogisticRegression.fit(x: x, names: names, y: y)
        let effects = fit.table.topEffects(2)
        #expect(effects.count == 2)
        #expect(effects[0].hasPrefix("x1: odds of churning x2.") || effects[0].hasPrefix("x1: odds of churning x3."))
        #expect(fit.table.text.contains("P>|z|"))
    }
}

/// The transaction-history form: features from a calibration-period summary.
@Suite struct TransactionFeatureTests {
    func summary(_ n: Int, seed: UInt64) -> CustomerSummary {
        var rng = SeededGenerator(seed: seed)
        var f: [Double] = [], r: [Double] = [], t: [Double] = [], m: [Double] = [], fh: [Double] = []
        for _ in 0..<n {
            let T = Double(20 + rng.nextInt(below: 30))
            let freq = Double(rng.nextInt(below: 8))
            let rec = freq == 0 ? 0 : Double(rng.nextInt(below: Int(T)))
            f.append(freq); r.append(rec); t.append(T); m.append(freq == 0 ? 0 : Double(10 + rng.nextInt(below: 90)))
            // Recent, frequent customers buy again more often.
            let chance: Double = 0.2 + 0.6 * (rec / T) * min(1.0, freq / 3)
            let alive = Double(rng.nextInt(below: 1000)) / 1000 < chance
            fh.append(alive ? Double(1 + rng.nextInt(below: 3)) : 0)
        }
        return CustomerSummary(customerIDs: (0..<n).map { "c\($0)" }, frequency: f, recency: r, T: t, monetaryValue: m, frequencyHoldout: fh)
    }

    @Test func designLabelsAndComparison() throws {
        let s = summary(2000, seed: 37)
        let pAlive: [Double] = (0..<s.count).map { i in
            let chance: Double = 0.2 + 0.6 * (s.recency[i] / s.T[i]) * min(1.0, s.frequency[i] / 3)
            return min(0.99, max(0.01, chance))
        }
        let (x, names, churned) = try TransactionChurnFeatures.design(summary: s, pAlive: pAlive)
        #expect(names == TransactionChurnFeatures.names + ["p_alive"])
        #expect(x.rows == 2000 && x.columns == 10)
        let y = try #require(churned)
        #expect(y[0] == (s.frequencyHoldout![0] == 0 ? 1 : 0))
        #expect(x[5, 5] == log1p(s.frequency[5]))
        let fit = try LogisticRegression.fit(x: x, names: names, y: y, options: LogisticOptions(l2: 1))
        let p = try LogisticRegression.probabilities(x: x, coefficients: fit.coefficients)
        let (evaluations, report) = try TransactionChurnFeatures.compare(churned: y, logistic: p, pAlive: pAlive)
        #expect(evaluations.map { $0.0 } == ["logistic", "1 - P(alive)", "blend 0.50"])
        #expect(evaluations[0].1.auc > 0.6)
        #expect(report.contains("1 - P(alive)"))
        #expect(throws: ChurnError.self) { try TransactionChurnFeatures.design(summary: s, pAlive: [0.5]) }
    }
}
