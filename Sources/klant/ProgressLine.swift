import CustomerData
import Foundation

/// A one-line progress indicator on stderr, shown only when stderr is a terminal and logs are human
/// text: schedulers and pipes never see it. With a `WorkProgress` it is a bar with a percentage
/// (`summarising sales.csv [██████░░░░░░░░░░░░░░]  31%  0.8 s`); without, the label and the elapsed time.
final class ProgressLine: @unchecked Sendable {
    private let start = Date()
    private var timer: DispatchSourceTimer?

    /// Runs `body` with the indicator shown while it works.
    static func run<T>(_ label: String, progress: WorkProgress? = nil, _ body: () throws -> T) rethrows -> T {
        let line = ProgressLine(label: label, progress: progress)
        defer { line.stop() }
        return try body()
    }

    private init(label: String, progress: WorkProgress?) {
        guard isatty(STDERR_FILENO) == 1, Log.shared.format == .text, !Log.shared.quiet else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + 0.3, repeating: 0.2)
        timer.setEventHandler { [start] in
            let elapsed = Date().timeIntervalSince(start)
            FileHandle.standardError.write(Data(("\r" + Self.text(label: label, fraction: progress?.fraction, elapsed: elapsed)).utf8))
        }
        timer.resume()
        self.timer = timer
    }

    /// The line's text: a 20-cell bar and percentage when the fraction is known.
    static func text(label: String, fraction: Double?, elapsed: Double) -> String {
        guard let fraction else { return String(format: "%@ … %.1f s", label, elapsed) }
        let cells = 20, filled = Int((fraction * Double(cells)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled)
        return String(format: "%@ [%@] %3.0f%%  %.1f s", label, bar, fraction * 100, elapsed)
    }

    private func stop() {
        guard let timer else { return }
        timer.cancel()
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))   // clear the line
    }
}
