import CustomerData
import Foundation
import Models

/// A length of time such as "month", "30 days" or "4.345 weeks": one step of the value horizon.
/// A month is 365.25/12 days and a year 365.25 days (no 30-day month unless asked for).
public struct StepLength: Equatable, Sendable, CustomStringConvertible {
    public var amount: Double
    public var unit: TimeUnit

    public init(amount: Double = 1, unit: TimeUnit) {
        self.amount = amount
        self.unit = unit
    }

    /// Parses "month", "2 weeks", "30 days", "4.345 weeks" (a positive number, then a unit name).
    public init(parsing text: String) throws {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "_" }).map(String.init)
        let bad = ModelError.invalidParameters("cannot read the step length '\(text)': write a unit (day, week, month, year), optionally after a positive number, e.g. month, '30 days' or '4.345 weeks'")
        switch parts.count {
        case 1: self.init(unit: try Self.unit(parts[0], orThrow: bad))
        case 2:
            guard let amount = Double(parts[0]), amount > 0, amount.isFinite else { throw bad }
            self.init(amount: amount, unit: try Self.unit(parts[1], orThrow: bad))
        default: throw bad
        }
    }

    private static func unit(_ name: String, orThrow error: Error) throws -> TimeUnit {
        guard let unit = try? TimeUnit(parsing: name) else { throw error }
        return unit
    }

    public var days: Double { amount * unit.days }

    /// The length measured in another unit (e.g. a month in weeks: 4.348...).
    public func measured(in other: TimeUnit) -> Double { days / other.days }

    public var description: String { amount == 1 ? unit.rawValue : "\(amount) \(unit.rawValue)s" }
}

/// How far ahead value is counted: `steps` steps of `stepLength`, or without end (`steps == nil`).
public struct ValueHorizon: Equatable, Sendable {
    public var steps: Int?
    public var stepLength: StepLength

    public init(steps: Int?, stepLength: StepLength) throws {
        if let steps, steps < 1 || steps > 100_000 {
            throw ModelError.invalidParameters("the horizon must be between 1 and 100000 steps (or infinite), got \(steps)")
        }
        self.steps = steps
        self.stepLength = stepLength
    }

    /// Parses "12" or "infinite" for `steps` and a `StepLength` text.
    public init(parsing steps: String, stepLength: String) throws {
        let length = try StepLength(parsing: stepLength)
        if ["infinite", "inf", "forever"].contains(steps.lowercased()) {
            try self.init(steps: nil, stepLength: length)
        } else if let n = Int(steps) {
            try self.init(steps: n, stepLength: length)
        } else {
            throw ModelError.invalidParameters("the horizon must be a whole number of steps or 'infinite', got '\(steps)'")
        }
    }

    public var isInfinite: Bool { steps == nil }
}

/// The rate at which future money is discounted, and the period it is quoted for.
public struct Discounting: Equatable, Sendable {
    /// The period a rate is quoted for: a calendar length, or one horizon step (lifetimes'
    /// convention: `discount_rate` is per step of its `freq`).
    public enum Period: Equatable, Sendable {
        case length(StepLength)
        case step
    }

    public var rate: Double
    public var period: Period

    /// Throws unless the rate is finite and above -1 (a rate of -1 or below has no meaning).
    public init(rate: Double, period: Period = .length(StepLength(unit: .year))) throws {
        guard rate > -1, rate.isFinite else {
            throw ModelError.invalidParameters("the discount rate must be a finite number above -1 (0.10 means 10% per period), got \(rate)")
        }
        self.rate = rate
        self.period = period
    }

    /// Parses the period: "step" or a `StepLength` ("year", "month", ...).
    public init(rate: Double, parsingPeriod text: String) throws {
        let period: Period = text.lowercased() == "step" ? .step : .length(try StepLength(parsing: text))
        try self.init(rate: rate, period: period)
    }

    /// The rate per step: d = (1 + D)^(step / period) − 1, compounding the quoted rate D.
    public func ratePerStep(_ step: StepLength) -> Double {
        switch period {
        case .step: return rate
        case .length(let length): return expm1(log1p(rate) * step.days / length.days)
        }
    }
}
