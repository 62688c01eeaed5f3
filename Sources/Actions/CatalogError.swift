/// A catalog that cannot be used: the file, line, action, what was wrong and what to do.
public struct CatalogError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int?
    public var action: String?
    public var problem: String
    public var remedy: String

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let action { place += ": action \(action)" }
        return "\(place): \(problem). \(remedy)"
    }
}
