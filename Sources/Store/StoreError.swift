import Foundation

/// A store that cannot be opened, migrated or written, with the file and what to do.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var problem: String
    public var remedy: String

    public var description: String { "\(path): \(problem). \(remedy)" }
}
