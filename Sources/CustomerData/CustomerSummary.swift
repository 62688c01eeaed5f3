/// One row per customer in the lifetimes convention: the sufficient statistics of the
/// repeat-purchase models. Stored column-wise so models read plain arrays.
///
/// - `frequency` (x): number of repeat purchase days in the calibration period (same-day purchases merged).
/// - `recency` (t_x): time from the first purchase to the last one, in `timeUnit`s.
/// - `T`: time from the first purchase to the end of the calibration period.
/// - `monetaryValue`: mean value of the repeat purchases (0 when frequency is 0).
/// - holdout columns are present only when a holdout period was asked for.
public struct CustomerSummary: Equatable, Sendable {
    public var customerIDs: [String]
    public var frequency: [Double]
    public var recency: [Double]
    public var T: [Double]
    public var monetaryValue: [Double]
    public var frequencyHoldout: [Double]?
    public var monetaryValueHoldout: [Double]?
    public var durationHoldout: [Double]?
    /// The unit that recency, T and duration_holdout are measured in (e.g. "week").
    public var timeUnit: TimeUnit

    public init(customerIDs: [String], frequency: [Double], recency: [Double], T: [Double],
                monetaryValue: [Double]? = nil, frequencyHoldout: [Double]? = nil,
                monetaryValueHoldout: [Double]? = nil, durationHoldout: [Double]? = nil,
                timeUnit: TimeUnit = .week) {
        precondition(frequency.count == customerIDs.count && recency.count == customerIDs.count && T.count == customerIDs.count,
                     "CustomerSummary: columns of different lengths")
        self.customerIDs = customerIDs
        self.frequency = frequency
        self.recency = recency
        self.T = T
        self.monetaryValue = monetaryValue ?? [Double](repeating: 0, count: customerIDs.count)
        self.frequencyHoldout = frequencyHoldout
        self.monetaryValueHoldout = monetaryValueHoldout
        self.durationHoldout = durationHoldout
        self.timeUnit = timeUnit
    }

    public var count: Int { customerIDs.count }
    public var hasHoldout: Bool { frequencyHoldout != nil }
}

/// The time unit of a summary. A month is 365.25/12 days and a year 365.25 days, so that
/// "week" means days / 7 exactly as in the papers (not calendar-week periods).
public enum TimeUnit: String, Codable, CaseIterable, Sendable {
    case day, week, month, year

    /// Number of days in one unit.
    public var days: Double {
        switch self {
        case .day: return 1
        case .week: return 7
        case .month: return 365.25 / 12
        case .year: return 365.25
        }
    }
}

extension CustomerSummary {
    /// The customers at `rows`, in that order, with every column (holdout ones included).
    public func selecting(rows: [Int]) -> CustomerSummary {
        CustomerSummary(customerIDs: rows.map { customerIDs[$0] }, frequency: rows.map { frequency[$0] },
                        recency: rows.map { recency[$0] }, T: rows.map { T[$0] }, monetaryValue: rows.map { monetaryValue[$0] },
                        frequencyHoldout: frequencyHoldout.map { c in rows.map { c[$0] } },
                        monetaryValueHoldout: monetaryValueHoldout.map { c in rows.map { c[$0] } },
                        durationHoldout: durationHoldout.map { c in rows.map { c[$0] } }, timeUnit: timeUnit)
    }

    /// The customers of one shard (in file order).
    public func selecting(_ shard: CustomerShard) -> CustomerSummary {
        selecting(rows: customerIDs.indices.filter { shard.contains(customerIDs[$0]) })
    }
}
