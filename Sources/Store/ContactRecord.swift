/// One published contact (or control hold-out) of a run: what `klant actions --record` writes
/// and the contact policy reads back.
public struct ContactRecord: Sendable, Equatable {
    public var campaignID: String
    /// ISO date `yyyy-MM-dd` of the run (`--as-of`).
    public var date: String
    public var customerID: String
    public var action: String
    public var channel: String
    /// Held out as control: recorded for measurement, never contacted.
    public var control: Bool
    public var expectedValue: Double?

    public init(campaignID: String, date: String, customerID: String, action: String, channel: String,
                control: Bool, expectedValue: Double? = nil) {
        self.campaignID = campaignID
        self.date = date
        self.customerID = customerID
        self.action = action
        self.channel = channel
        self.control = control
        self.expectedValue = expectedValue
    }
}

/// What `KlantStore.record` did.
public enum ContactRecording: Sendable, Equatable {
    /// The contacts were written in one transaction.
    case recorded(Int)
    /// This campaign already has contacts on this date: nothing was written.
    case alreadyRecorded(existing: Int)
}

/// A customer who must not be contacted on a channel (`*` = any channel).
public struct OptOut: Sendable, Hashable {
    public static let anyChannel = "*"
    public var customerID: String
    public var channel: String

    public init(customerID: String, channel: String = OptOut.anyChannel) {
        self.customerID = customerID
        self.channel = channel.isEmpty ? OptOut.anyChannel : channel
    }
}
