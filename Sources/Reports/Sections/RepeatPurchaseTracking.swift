import CustomerData
import Models

/// Actual vs expected repeat purchases week by week over calibration and holdout, for every customer
/// of a transaction log (Fader, Hardie & Lee 2005, "Counting your customers the easy way", Figure 2;
/// the same sum as lifetimes' `expected_cumulative_transactions`): the customers who first bought on
/// day s are a cohort of n_s, and the model expects Σ_{s < p} n_s E[X((p − s) / unit days)] repeat
/// purchases in the log's first p days, E[X(t)] being a new customer's expected purchases in t units.
public struct RepeatPurchaseTracking: Sendable {
    /// Days per tracking period (a week).
    public static let periodDays = 7
    /// Periods 1 ... K (K full weeks of the log); period k ends after day 7k of the log.
    public var periods: [Double]
    public var actualCumulative: [Double]
    public var expectedCumulative: [Double]
    /// Repeat purchases in each week: the differences of the cumulative counts.
    public var actualWeekly: [Double]
    public var expectedWeekly: [Double]
    /// The calibration end as weeks since the log's first day (nil: no calibration end given).
    public var calibrationEndPeriod: Double?
    /// Totals in the calibration period (first day ... calibration end) and after it (... the log's last day).
    public var calibration: (actual: Double, expected: Double)
    public var holdout: (actual: Double, expected: Double)?

    /// `unitDays`: the model's time unit in days (7 for weeks).
    public init(daily: DailyPurchases, model: any RepeatPurchaseModel, unitDays: Double, calibrationEnd: CalendarDay?) {
        let days = daily.dayCount
        let expectedByLag = Self.expectedPurchasesByLag(model: model, days: days, unitDays: unitDays)
        let actualThrough = Self.cumulative(daily.repeatPurchases)
        func expected(_ p: Int) -> Double { Self.expectedCumulative(firstPurchases: daily.firstPurchases, expectedByLag: expectedByLag, through: p) }
        let k = days / Self.periodDays
        periods = (0..<k).map { Double($0 + 1) }
        actualCumulative = (0..<k).map { actualThrough[($0 + 1) * Self.periodDays] }
        expectedCumulative = (0..<k).map { expected(($0 + 1) * Self.periodDays) }
        actualWeekly = Self.differences(actualCumulative)
        expectedWeekly = Self.differences(expectedCumulative)
        let total = (actual: actualThrough[days], expected: expected(days))
        if let calibrationEnd, calibrationEnd.dayNumber < daily.lastDay.dayNumber {
            let c = max(0, calibrationEnd.dayNumber - daily.firstDay.dayNumber + 1)
            calibrationEndPeriod = Double(c) / Double(Self.periodDays)
            calibration = (actualThrough[c], expected(c))
            holdout = (total.actual - calibration.actual, total.expected - calibration.expected)
        } else {
            calibrationEndPeriod = nil
            calibration = total
            holdout = nil
        }
    }

    /// E[X(lag / unitDays)] for lag = 0 ... days (index = lag in days; lag 0 is 0).
    static func expectedPurchasesByLag(model: any RepeatPurchaseModel, days: Int, unitDays: Double) -> [Double] {
        [0] + (1...max(1, days)).map { model.expectedPurchases(horizon: Double($0) / unitDays) }
    }

    /// Σ_{s < p} n_s E[X(p − s)]: what the model expects the cohorts that started before day p to have
    /// bought again in days 0 ..< p.
    static func expectedCumulative(firstPurchases: [Int], expectedByLag: [Double], through p: Int) -> Double {
        var total = 0.0
        for s in 0..<min(p, firstPurchases.count) where firstPurchases[s] > 0 {
            total += Double(firstPurchases[s]) * expectedByLag[p - s]
        }
        return total
    }

    /// Running sums: element p is the sum of the first p counts (element 0 is 0).
    static func cumulative(_ counts: [Int]) -> [Double] {
        var out = [0.0]
        out.reserveCapacity(counts.count + 1)
        for c in counts { out.append(out.last! + Double(c)) }
        return out
    }

    static func differences(_ cumulative: [Double]) -> [Double] {
        cumulative.indices.map { $0 == 0 ? cumulative[0] : cumulative[$0] - cumulative[$0 - 1] }
    }
}
