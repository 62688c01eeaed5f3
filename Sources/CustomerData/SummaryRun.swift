/// A summary and the report of how it was made.
public struct SummaryRun: Sendable {
    public var summary: CustomerSummary
    public var report: RunReport
    /// First and repeat purchases per day of the whole log, when `SummaryOptions.countDailyPurchases` asked for them.
    public var dailyPurchases: DailyPurchases?

    public init(summary: CustomerSummary, report: RunReport, dailyPurchases: DailyPurchases? = nil) {
        self.summary = summary
        self.report = report
        self.dailyPurchases = dailyPurchases
    }
}
