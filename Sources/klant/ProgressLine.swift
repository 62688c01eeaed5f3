import Foundation

/// A one-line progress indicator on stderr (label and elapsed seconds), shown only when stderr is a
/// terminal and logs are human text: schedulers and pipes never see it.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let start = Date()
    private var timer: DispatchSourceTimer?

    /// Runs `body` with the indicator shown while it works.
    static func run<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        let line = ProgressLine(label: label)
        defer { line.stop() }
        return try body()
    }

    private init(label: String) {
        self.label = label
        guard isatty(STDERR_FILENO) == 1, Log.shared.format == .text, !Log.shared.quiet else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + 0.3, repeating: 0.2)
        timer.setEventHandler { [label, start] in
            let text = String(format: "\r%@ … %.1f s", label, Date().timeIntervalSince(start))
            FileHandle.standardError.write(Data(text.utf8))
        }
        timer.resume()
        self.timer = timer
    }

    private func stop() {
        guard let timer else { return }
        timer.cancel()
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))   // clear the line
    }
}
