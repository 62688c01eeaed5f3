import Foundation
import Testing
@testable import CustomerData

/// The CDNOW sample summarised with days / 7 must reproduce the papers' summary files.
@Suite struct PaperSummaryTests {
    @Test func cdnowSampleSummaryMatchesPublishedFrequencyRecencyAndT() throws {
        let run = try TransactionSummarizer.summarize(file: dataset("CDNOW_sample.txt"), format: cdnowSampleFormat(),
                                                      options: cdnowPaperOptions())
        let reference = try readReferenceCSV(dataset("cdnow_customers_summary.csv"))
        #expect(run.summary.count == 2357)
        #expect(reference.count == 2357)
        #expect(run.report.customersFirstSeenAfterCalibration == 0)
        let s = run.summary
        var rowOfID: [Int: Int] = [:]
        for (i, id) in s.customerIDs.enumerated() { rowOfID[Int(id)!] = i }
        #expect(Set(rowOfID.keys) == Set(1...2357))
        var mismatches: [String] = []
        for ref in reference {
            let id = Int(ref["ID"]!)!
            guard let i = rowOfID[id] else { mismatches.append("missing \(id)"); continue }
            if s.frequency[i] != Double(ref["frequency"]!)! || round2(s.recency[i]) != Double(ref["recency"]!)!
                || round2(s.T[i]) != Double(ref["T"]!)! {
                mismatches.append("ID \(id): ours \(s.frequency[i]),\(s.recency[i]),\(s.T[i]) paper \(ref)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func cdnowSampleMonetaryValueMatchesPublishedZbar() throws {
        let run = try TransactionSummarizer.summarize(file: dataset("CDNOW_sample.txt"), format: cdnowSampleFormat(),
                                                      options: cdnowPaperOptions())
        let reference = try readReferenceCSV(dataset("cdnow_customers_summary_with_transactions.csv"))
        let s = run.summary
        var rowOfID: [Int: Int] = [:]
        for (i, id) in s.customerIDs.enumerated() { rowOfID[Int(id)!] = i }
        var mismatches: [String] = []
        for ref in reference {
            let i = rowOfID[Int(ref["ID"]!)!]!
            if s.frequency[i] != Double(ref["x"]!)! || abs(s.monetaryValue[i] - Double(ref["zbar"]!)!) > 0.005 + 1e-9 {
                mismatches.append("ID \(ref["ID"]!): ours x=\(s.frequency[i]) m=\(s.monetaryValue[i]) paper \(ref)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func cdnowSampleHoldoutMatchesPublishedMeansByCalibrationFrequency() throws {
        let run = try TransactionSummarizer.summarize(file: dataset("CDNOW_sample.txt"), format: cdnowSampleFormat(),
                                                      options: cdnowPaperOptions())
        let s = run.summary
        let holdout = try #require(s.frequencyHoldout)
        var sums = [Double](repeating: 0, count: 8), counts = [Double](repeating: 0, count: 8)
        for i in 0..<s.count {
            let bin = min(Int(s.frequency[i]), 7)
            sums[bin] += holdout[i]
            counts[bin] += 1
        }
        let means = zip(sums, counts).map { (($0 / $1) * 1000).rounded() / 1000 }
        #expect(means == [0.237, 0.697, 1.393, 1.560, 2.532, 2.947, 3.862, 6.359])
        #expect(s.durationHoldout!.allSatisfy { abs($0 - 273.0 / 7) < 1e-12 })
    }

    @Test func masterIDColumnGivesTheSameStatistics() throws {
        let bySample = try TransactionSummarizer.summarize(file: dataset("CDNOW_sample.txt"), format: cdnowSampleFormat(),
                                                           options: cdnowPaperOptions()).summary
        let byMaster = try TransactionSummarizer.summarize(file: dataset("CDNOW_sample.txt"),
                                                           format: cdnowSampleFormat(customerColumn: 1),
                                                           options: cdnowPaperOptions()).summary
        #expect(byMaster.count == bySample.count)
        #expect(byMaster.frequency == bySample.frequency)
        #expect(byMaster.T == bySample.T)
        #expect(byMaster.customerIDs.first == "00004")
    }
}
