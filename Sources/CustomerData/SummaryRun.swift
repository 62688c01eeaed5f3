/// A summary and the report of how it was made.
public struct SummaryRun: Sendable {
    public var summary: CustomerSummary
    public var report: RunReport

    public init(summary: CustomerSummary, report: RunReport) {
        self.summary = summary
        self.report = report
    }
}
