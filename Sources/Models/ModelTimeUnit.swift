import CustomerData
import Foundation

/// What a model's time axis is measured in, as stored in a model file's `time_unit`: a calendar
/// unit for models of customer histories (the summary's recency and T), discrete periods for
/// BG/BB and sBG, or none ("currency") for spend models. Scoring compares the calendar unit with
/// the summary's, so a daily summary is never scored with a weekly model.
public enum ModelTimeUnit: Equatable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// day, week, month or year.
    case calendar(TimeUnit)
    /// Discrete purchase opportunities or renewal periods (BG/BB, sBG): no calendar length.
    case period
    /// No time axis: the model is about money per transaction (Gamma-Gamma).
    case currency

    /// Parses the stored text: day, week, month, year, period or currency.
    public init(parsing text: String) throws {
        switch text {
        case "period": self = .period
        case "currency": self = .currency
        default:
            guard let unit = TimeUnit(rawValue: text) else {
                throw ModelError.modelFile("unknown time unit '\(text)': expected day, week, month, year, period or currency")
            }
            self = .calendar(unit)
        }
    }

    /// The text stored in model files.
    public var rawValue: String {
        switch self {
        case .calendar(let unit): return unit.rawValue
        case .period: return "period"
        case .currency: return "currency"
        }
    }

    public var description: String { rawValue }

    /// The calendar unit, nil for periods and currency.
    public var calendarUnit: TimeUnit? {
        if case .calendar(let unit) = self { return unit }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
