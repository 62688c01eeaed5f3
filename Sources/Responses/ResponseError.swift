import Foundation

/// What can go wrong in the response models, each message naming the column, value, arm or file
/// and what to do. Bad input maps to exit code 2, numerical failure to 1.
public enum ResponseError: Error, Equatable, CustomStringConvertible {
    /// Options or data that cannot be used as given (a missing column, a control value that does not occur, ...).
    case invalidInput(String)
    /// A treatment arm too small (or with one outcome) to fit a model on.
    case armTooSmall(arm: String, rows: Int, positives: Int, message: String)
    /// A model file of another kind, a newer version, or damaged.
    case wrongModelFile(path: String, message: String)
    /// A fit that did not converge or produced non-finite numbers.
    case numerical(String)

    public var description: String {
        switch self {
        case let .invalidInput(message): return message
        case let .armTooSmall(arm, rows, positives, message):
            return "arm '\(arm)' has \(rows) rows with \(positives) positive outcomes: \(message)"
        case let .wrongModelFile(path, message): return "model file \(path) \(message)"
        case let .numerical(message): return message
        }
    }

    /// 2 for bad input, 1 for a numerical failure.
    public var exitCode: Int32 {
        if case .numerical = self { return 1 }
        return 2
    }
}
