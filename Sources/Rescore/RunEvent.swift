/// What a run tells its log: the step, a sentence, and numbers (counts, durations) for JSON logs.
public struct RunEvent: Sendable {
    public enum Level: String, Sendable { case info, warning, error }
    public var level: Level
    public var step: String
    public var message: String
    public var fields: [String: String]

    public init(level: Level = .info, step: String, message: String, fields: [String: String] = [:]) {
        self.level = level
        self.step = step
        self.message = message
        self.fields = fields
    }
}
