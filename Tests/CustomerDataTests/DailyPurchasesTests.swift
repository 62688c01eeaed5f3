import Foundation
import Testing
@testable import CustomerData

/// First and repeat purchases per day (for the report's tracking charts) count the same purchases
/// as the summary: same-day rows merged, overflow days beyond the 16 kept inline, any thread count.
@Suite struct DailyPurchasesTests {
    @Test func countsFirstAndRepeatPurchasesPerDayOnAnyThreadCount() throws {
        // Customer a: 20 distinct days (4 overflow), two rows on day 0; b: first on day 3 and again on day 3 and 5;
        // c: one purchase on day 25 (after the calibration end); rows out of date order.
        var lines = ["customer_id,date,amount"]
        for d in (0..<20).reversed() { lines.append("a,2024-01-\(String(format: "%02d", d + 1)),1") }
        lines += ["a,2024-01-01,2", "b,2024-01-06,1", "b,2024-01-04,1", "b,2024-01-04,3", "c,2024-01-26,4"]
        for threads in [1, 3] {
            var options = SummaryOptions(timeUnit: .day, calibrationEnd: CalendarDay(year: 2024, month: 1, day: 15),
                                         observationEnd: CalendarDay(year: 2024, month: 1, day: 31), threads: threads)
            options.countDailyPurchases = true
            let run = try summarizeText(lines.joined(separator: "\n") + "\n", options: options)
            let daily = try #require(run.dailyPurchases)
            #expect(daily.firstDay == CalendarDay(year: 2024, month: 1, day: 1))
            #expect(daily.lastDay == CalendarDay(year: 2024, month: 1, day: 31))
            var first = [Int](repeating: 0, count: 31), repeats = [Int](repeating: 0, count: 31)
            first[0] = 1; first[3] = 1; first[25] = 1
            for d in 1..<20 { repeats[d] = 1 }
            repeats[5] += 1
            #expect(daily.firstPurchases == first, "threads \(threads)")
            #expect(daily.repeatPurchases == repeats, "threads \(threads)")
            // The summary's repeat purchases are the same ones.
            let calibrationRepeats = daily.repeatPurchases.prefix(15).reduce(0, +), holdoutRepeats = daily.repeatPurchases.dropFirst(15).reduce(0, +)
            #expect(run.summary.frequency.reduce(0, +) == Double(calibrationRepeats))
            #expect(run.summary.frequencyHoldout!.reduce(0, +) == Double(holdoutRepeats))
        }
    }

    @Test func notCountedUnlessAskedFor() throws {
        let run = try summarizeText("customer_id,date,amount\na,2024-01-01,1\na,2024-01-03,1\n",
                                    options: SummaryOptions(timeUnit: .day, allowFuture: true))
        #expect(run.dailyPurchases == nil)
    }
}
