import Foundation
import Testing
import CustomerData
@testable import Churn

/// Tables that cannot train a model get a message that says why and a remedy that works.
@Suite struct DegenerateTableTests {
    @Test func anAllBlankColumnUnderImputationSaysToExcludeItNotToChooseAPolicy() throws {
        let t = try table("id,age,notes,churn\n1,30,,Yes\n2,40,,No\n3,35,,No\n4,50,,Yes\n")
        for policy in [BlankPolicy.imputeMean, .imputeZero, .error] {
            #expect(throws: ChurnError.allBlank(column: "notes", rows: 4, policy: policy.rawValue)) {
                try FeatureEncoding.learn(from: t, options: EncodingOptions(target: "churn", idColumn: "id", blankPolicy: policy))
            }
        }
        let message = "\(ChurnError.allBlank(column: "notes", rows: 4, policy: "impute-mean"))"
        #expect(message.contains("--exclude notes"))
        #expect(!message.contains("choose a blank policy"))
        // The remedy works.
        #expect(throws: Never.self) {
            try FeatureEncoding.learn(from: t, options: EncodingOptions(target: "churn", idColumn: "id", exclude: ["notes"], blankPolicy: .imputeMean))
        }
    }

    @Test func dropRowsThatDropsEveryRowNamesTheBlankColumns() throws {
        let t = try table("id,age,fee,churn\n1,30,,Yes\n2,,5,No\n3,35,,No\n4,50,,Yes\n")
        #expect(throws: ChurnError.noRowsLeft(rows: 4, blanks: [BlankCount(column: "fee", count: 3), BlankCount(column: "age", count: 1)])) {
            try ChurnModel.train(table: t, options: ChurnFitOptions(encoding: EncodingOptions(target: "churn", idColumn: "id", blankPolicy: .dropRows)))
        }
        let message = "\(ChurnError.noRowsLeft(rows: 4, blanks: [BlankCount(column: "fee", count: 3)]))"
        #expect(message.contains("--exclude fee") && !message.contains("0 values"))
        // A target blank everywhere.
        let t2 = try table("id,age,churn\n1,30,\n2,40,\n")
        #expect(throws: ChurnError.noRowsLeft(rows: 2, blanks: [BlankCount(column: "churn", count: 2)])) {
            try ChurnModel.train(table: t2, options: ChurnFitOptions(encoding: EncodingOptions(target: "churn", idColumn: "id", blankPolicy: .dropRows)))
        }
    }

    @Test func moreDesignColumnsThanRowsIsRefusedBeforeAnyMatrixIsBuilt() throws {
        // 6 rows, a 6-level categorical and two numbers: 1 + 5 + 2 = 8 design columns.
        var csv = "id,shop,a,b,churn\n"
        for i in 0..<6 { csv += "\(i),s\(i),\(i * 3 % 5),\(i * i),\(i % 2 == 0 ? "Yes" : "No")\n" }
        let t = try table(csv)
        #expect {
            try ChurnModel.train(table: t, options: ChurnFitOptions(encoding: EncodingOptions(target: "churn", idColumn: "id"), l2: 1))
        } throws: { error in
            guard case let ChurnError.tooManyColumns(columns, rows, widest) = error else { return false }
            return columns == 8 && rows == 6 && widest.first == BlankCount(column: "shop", count: 5)
        }
    }
}
