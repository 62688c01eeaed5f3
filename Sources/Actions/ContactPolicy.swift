/// Contact rules over all actions: how often a customer may be contacted, the pause after any
/// contact, the pause before the same action again, and each channel's capacity per run.
public struct ContactPolicy: Sendable, Equatable {
    /// At most `count` contacts in any `days` days (this run's included).
    public var maxContacts: (count: Int, days: Int)?
    /// No new contact within this many days after any contact.
    public var coolDownDays: Int?
    /// Not the same action again within this many days.
    public var repeatOfferDays: Int?
    /// Contacts per run per channel.
    public var channelCapacity: [String: Int]

    public init(maxContacts: (count: Int, days: Int)? = nil, coolDownDays: Int? = nil, repeatOfferDays: Int? = nil,
                channelCapacity: [String: Int] = [:]) {
        self.maxContacts = maxContacts
        self.coolDownDays = coolDownDays
        self.repeatOfferDays = repeatOfferDays
        self.channelCapacity = channelCapacity
    }

    /// How far back the history matters, in days (0 when no rule reads it).
    public var lookbackDays: Int {
        max(maxContacts?.days ?? 0, coolDownDays ?? 0, repeatOfferDays ?? 0)
    }

    public static func == (a: ContactPolicy, b: ContactPolicy) -> Bool {
        a.maxContacts?.count == b.maxContacts?.count && a.maxContacts?.days == b.maxContacts?.days
            && a.coolDownDays == b.coolDownDays && a.repeatOfferDays == b.repeatOfferDays && a.channelCapacity == b.channelCapacity
    }
}
