import Foundation

/// Everything that can go wrong while encoding, fitting, scoring or loading a churn model.
/// Each message names the column(s), rows or file involved and says what to do.
public enum ChurnError: Error, Equatable, CustomStringConvertible {
    /// A value in a numeric column is not a number.
    case nonNumeric(column: String, lines: [Int], values: [String])
    /// Blank values where the blank policy is `.error`.
    case blanks(column: String, lines: [Int], count: Int)
    /// The target column does not have exactly two distinct values (or the positive label is absent).
    case badTarget(column: String, message: String)
    /// A feature column that takes a single value in every row.
    case constantColumn(column: String, value: String)
    /// Design columns that are exact (or numerically exact) linear combinations of other columns.
    case collinear([CollinearColumn])
    /// The classes are (quasi-)perfectly separated: the unpenalised maximum-likelihood estimate does not exist.
    case separation(columns: [String], perfectlyPredicted: Int, rows: Int, complete: Bool)
    /// A column the model needs is absent from the data being scored.
    case missingColumn(String)
    /// A categorical value not seen in training.
    case unseenLevel(column: String, level: String, lines: [Int])
    /// A weight that is negative, not finite, or all weights zero.
    case badWeights(String)
    /// A feature column with no value in any row used: nothing to learn or impute from.
    case allBlank(column: String, rows: Int, policy: String)
    /// The drop-rows policy left no row: (column, blank rows) for the columns with blanks, most first.
    case noRowsLeft(rows: Int, blanks: [BlankCount])
    /// More design columns than training rows: no model can be estimated (checked before any matrix is built).
    case tooManyColumns(columns: Int, rows: Int, widest: [BlankCount])
    /// Options that contradict each other or the data.
    case invalidOption(String)
    /// The data has no usable rows or the fit produced non-finite numbers.
    case numerical(String)
    /// A model file of another kind or a newer format.
    case wrongModelFile(path: String, message: String)

    public var description: String {
        switch self {
        case let .nonNumeric(column, lines, values):
            let shown = zip(lines, values).prefix(5).map { "line \($0): '\($1)'" }.joined(separator: ", ")
            return "column '\(column)' is numeric but has \(lines.count) value(s) that are not numbers (\(shown)); fix the data or declare the column categorical"
        case let .blanks(column, lines, count):
            let shown = lines.prefix(10).map(String.init).joined(separator: ", ")
            return "column '\(column)' has \(count) blank value(s) (lines \(shown)\(count > 10 ? ", ..." : "")); choose a blank policy: drop-rows, impute-mean or impute-zero, or exclude the column"
        case let .badTarget(column, message):
            return "target column '\(column)': \(message)"
        case let .constantColumn(column, value):
            return "column '\(column)' is constant (every row is '\(value)'); it carries no information: exclude it"
        case let .collinear(list):
            let parts = list.map { $0.description }.joined(separator: "; ")
            return "collinear design columns: \(parts). Drop them (dropCollinear / --drop-collinear), exclude a source column, or use an L2 penalty"
        case let .separation(columns, perfect, rows, complete):
            let kind = complete ? "complete separation" : "quasi-complete separation"
            return "\(kind): \(perfect) of \(rows) rows are predicted perfectly (to 1e-6), so the unpenalised estimate does not exist (coefficients run to infinity). Columns involved: \(columns.joined(separator: ", ")). Use an L2 penalty (--l2) or remove these columns"
        case let .missingColumn(name):
            return "the data has no column '\(name)', which the model was trained with"
        case let .unseenLevel(column, level, lines):
            let shown = lines.prefix(5).map(String.init).joined(separator: ", ")
            return "column '\(column)' has level '\(level)' (lines \(shown)) that was not seen in training; fix the data or score with unseen levels mapped to the reference level"
        case let .allBlank(column, rows, policy):
            return "column '\(column)' is blank in every one of the \(rows) rows used, so there is nothing to learn\(policy == "error" || policy == "drop-rows" ? "" : " or impute (\(policy))") from: exclude it (--exclude \(column))"
        case let .noRowsLeft(rows, blanks):
            let shown = blanks.prefix(5).map { "'\($0.column)' blank in \($0.count)" }.joined(separator: ", ")
            return "the drop-rows blank policy leaves no rows: each of the \(rows) rows has a blank in some used column (\(shown)); exclude the mostly blank columns (--exclude \(blanks.first?.column ?? "COLUMN")) or impute them (--blanks impute-mean or impute-zero)"
        case let .tooManyColumns(columns, rows, widest):
            let shown = widest.prefix(5).map { "'\($0.column)' \($0.count) columns" }.joined(separator: ", ")
            return "the design would have \(columns) columns (intercept and encoded features) but there are only \(rows) training rows, so no model can be estimated; the widest features: \(shown). Exclude wide categorical columns (--exclude), lower --max-levels, or train on more rows"
        case let .badWeights(message): return "weights: \(message)"
        case let .invalidOption(message): return message
        case let .numerical(message): return message
        case let .wrongModelFile(path, message): return "\(path): \(message)"
        }
    }
}

/// A column and a count (blank rows, or design columns it produces), for messages.
public struct BlankCount: Equatable, Sendable {
    public var column: String
    public var count: Int
    public init(column: String, count: Int) { self.column = column; self.count = count }
}

/// One design column found to be a linear combination of earlier (kept) columns.
public struct CollinearColumn: Equatable, Sendable, CustomStringConvertible {
    /// The dependent design column.
    public var column: String
    /// The earlier columns it is a combination of, with their weights (intercept included).
    public var combination: [(String, Double)]

    public static func == (a: CollinearColumn, b: CollinearColumn) -> Bool {
        a.column == b.column && a.combination.map(\.0) == b.combination.map(\.0) && a.combination.map(\.1) == b.combination.map(\.1)
    }

    public var description: String {
        var text = ""
        for (k, (name, w)) in combination.enumerated() {
            let magnitude = abs(abs(w) - 1) < 1e-9 ? name : "\(formatNumber(abs(w)))*\(name)"
            text += k == 0 ? (w < 0 ? "-" : "") + magnitude : (w < 0 ? " - " : " + ") + magnitude
        }
        return "'\(column)' = \(text.isEmpty ? "0" : text)"
    }
}

/// Short number formatting for messages and reports (up to 6 significant digits).
func formatNumber(_ x: Double, digits: Int = 6) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    var s = String(format: "%.\(digits)g", x)
    if s == "-0" { s = "0" }
    return s
}
