import CustomerData
import Foundation

/// Where one axis of the value matrix is split into "high" and "low": a customer is high when
/// their value is above the threshold (`value > threshold`), so ties at the threshold are
/// always low, whatever the row order.
///
/// Text syntax (for `--value-split`):
/// - `median` — the median of the axis (the default);
/// - `q0.8` — the 0.8 quantile (any q strictly between 0 and 1; `q0.5` is the median);
/// - `amount:250` — a fixed amount in the currency of the input (may be 0 or negative).
///
/// Quantiles interpolate linearly between order statistics (Hyndman & Fan 1996, definition 7:
/// numpy's and R's default), so `median` of an even count is the mean of the two middle values.
public enum ValueSplit: Equatable, Sendable, CustomStringConvertible {
    case median
    case quantile(Double)
    case amount(Double)

    /// Parses `median`, `q<fraction>` or `amount:<number>`; anything else is an error that says
    /// what to write.
    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "median" { self = .median; return }
        if t.hasPrefix("q"), let q = Double(t.dropFirst()), q > 0, q < 1 { self = .quantile(q); return }
        if t.hasPrefix("amount:"), let a = Double(t.dropFirst("amount:".count)), a.isFinite { self = .amount(a); return }
        throw InputError(kind: .badOption, value: text,
                         problem: "value split \"\(text)\" is not understood",
                         remedy: "Write median, q0.8 (a quantile strictly between 0 and 1) or amount:250 (a fixed amount in the input's currency)")
    }

    /// The threshold for `values` (non-empty, finite).
    public func threshold(of values: [Double]) -> Double {
        switch self {
        case .median: return SortedRanks.quantile(of: values, 0.5)
        case .quantile(let q): return SortedRanks.quantile(of: values, q)
        case .amount(let a): return a
        }
    }

    /// The text form, which parses back to the same split.
    public var description: String {
        switch self {
        case .median: return "median"
        case .quantile(let q): return "q\(q)"
        case .amount(let a): return "amount:\(a)"
        }
    }
}
