import ArgumentParser
import Foundation

/// How a command talks to people and to schedulers: human text or one JSON object per line on
/// stderr (`--log-format json`), so cron/Airflow can parse what happened. Results go to stdout.
final class Log: @unchecked Sendable {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    static let shared = Log()
    var format: Format = .text
    var quiet = false

    func info(_ message: String, fields: [String: Any] = [:]) {
        guard !quiet || format == .json else { return }
        emit("info", message, fields)
    }

    func warning(_ message: String, fields: [String: Any] = [:]) { emit("warning", message, fields) }
    func error(_ message: String, fields: [String: Any] = [:]) { emit("error", message, fields) }

    private func emit(_ level: String, _ message: String, _ fields: [String: Any]) {
        let line: String
        switch format {
        case .text:
            line = level == "info" ? message : "\(level): \(message)"
        case .json:
            var object = fields
            object["level"] = level
            object["message"] = message
            object["time"] = ISO8601DateFormatter().string(from: Date())
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// Options every subcommand shares.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "How to write progress and errors to stderr: text or json (one object per line, for schedulers). Example: --log-format json")
    var logFormat: Log.Format = .text

    @Flag(name: .shortAndLong, help: "Print only warnings and errors (results still go to the output files / stdout).")
    var quiet = false

    func apply() {
        Log.shared.format = logFormat
        Log.shared.quiet = quiet
    }
}

/// An error a subcommand reports with a chosen exit code (1 failure, 2 bad input).
struct KlantFailure: Error {
    var message: String
    var exitCode: Int32
}
