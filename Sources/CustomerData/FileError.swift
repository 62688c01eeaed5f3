import Foundation

/// A file Klant could not write or read at the operating-system level (exit code 1, not bad input).
public struct FileError: Error, LocalizedError, CustomStringConvertible, Sendable {
    public var path: String
    public var operation: String
    public var reason: String

    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    /// Builds the error from the current `errno`.
    static func fromErrno(path: String, operation: String) -> FileError {
        FileError(path: path, operation: operation, reason: String(cString: strerror(errno)))
    }

    public var description: String { "\(path): cannot \(operation): \(reason)" }
    public var errorDescription: String? { description }
}
