/// Counts from one summary run, so nothing is dropped silently. `linesRead` = `transactionsUsed` + `rejected`.
public struct RunReport: Equatable, Sendable, Codable, CustomStringConvertible {
    /// Data lines read (not counting the header and blank lines).
    public var linesRead: Int = 0
    /// Blank lines skipped.
    public var blankLines: Int = 0
    /// Valid transaction rows (including those of customers first seen after the calibration end).
    public var transactionsUsed: Int = 0
    /// Distinct invoices among the rows used (line-item logs with an invoice column; 0 otherwise).
    public var invoices: Int = 0
    /// Rows rejected (only with skip-invalid; each is in the rejects file).
    public var rejected: Int = 0
    /// Customers in the summary.
    public var customers: Int = 0
    /// Customers whose first purchase is after the calibration end: not in the summary.
    public var customersFirstSeenAfterCalibration: Int = 0
    /// Customers whose calibration or holdout monetary value is negative (returns outweigh purchases, policy `net`).
    public var customersWithNegativeMonetaryValue: Int = 0
    /// Customers whose first purchase is on the calibration end day (T = 0): listed, but a fit leaves them
    /// out (they carry no information about purchase rates or dropout).
    public var customersWithZeroT: Int = 0
    /// First and last transaction dates seen.
    public var firstDate: CalendarDay?
    public var lastDate: CalendarDay?
    /// The periods used.
    public var calibrationEnd: CalendarDay?
    public var observationEnd: CalendarDay?

    public init() {}

    /// One line for logs, e.g. "read 6919 lines (0 blank): 6919 transactions used, 0 rejected; 2357 customers ...".
    public var description: String {
        var text = "read \(linesRead) lines (\(blankLines) blank): \(transactionsUsed) transactions used, \(rejected) rejected; "
            + "\(customers) customers in the summary, \(customersFirstSeenAfterCalibration) first seen after the calibration end (not listed)"
        if customersWithNegativeMonetaryValue > 0 { text += ", \(customersWithNegativeMonetaryValue) with a negative monetary value" }
        if let firstDate, let lastDate { text += "; dates \(firstDate)..\(lastDate)" }
        if let calibrationEnd, let observationEnd { text += "; calibration end \(calibrationEnd), observation end \(observationEnd)" }
        return text
    }
}
