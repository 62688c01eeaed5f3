import CustomerData
import Store

/// What the contact policy and the opt-out list allow for each scored customer on the as-of
/// date: customers blocked outright (cool-down, contact cap) and actions blocked per customer
/// (repeat offer, opt-out on the action's channel), as bit masks over the catalog's actions.
public struct ContactState: Sendable {
    public enum CustomerBlock: UInt8, Sendable { case none = 0, coolDown, maxContacts }

    /// Per customer: why every action is blocked, or `.none`.
    public var customerBlock: [CustomerBlock]
    /// Per customer: bit a set = action a blocked by a repeat offer.
    public var repeatOfferMask: [UInt64]
    /// Per customer: bit a set = action a blocked by an opt-out.
    public var optOutMask: [UInt64]
    /// Per customer: real contacts in the contact cap's window (0 without a cap).
    public var recentContacts: [UInt16]
    /// History rows read (within the policy's look-back window).
    public var historyRowsRead = 0

    /// Everything allowed (no history, no opt-outs).
    public init(customerCount: Int) {
        customerBlock = [CustomerBlock](repeating: .none, count: customerCount)
        repeatOfferMask = [UInt64](repeating: 0, count: customerCount)
        optOutMask = [UInt64](repeating: 0, count: customerCount)
        recentContacts = [UInt16](repeating: 0, count: customerCount)
    }

    /// How many actions customer i may get in this run: the catalog's maximum, less when the
    /// contact cap has fewer contacts left (0 when blocked).
    public func slots(_ i: Int, maxActions: Int, policy: ContactPolicy) -> Int {
        guard customerBlock[i] == .none else { return 0 }
        guard let cap = policy.maxContacts else { return maxActions }
        return max(0, min(maxActions, cap.count - Int(recentContacts[i])))
    }

    /// The state from the store's history and opt-outs plus `optOuts`, for customers `index`
    /// (id → row) and the catalog's actions. Contacts of `campaignID` on the as-of date are
    /// ignored, so a recorded run gives the same list when run again.
    public init(store: (any ContactHistoryReading)?, optOuts: [OptOut], policy: ContactPolicy, actions: [ActionDefinition],
                index: [String: Int32], asOf: CalendarDay, campaignID: String) throws {
        self.init(customerCount: index.count)
        let actionIndex = Dictionary(actions.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        var channelMask: [String: UInt64] = [:]
        for (a, action) in actions.enumerated() { channelMask[action.channel, default: 0] |= 1 << UInt64(a) }
        let all: UInt64 = actions.count == 64 ? ~0 : (1 << UInt64(actions.count)) - 1
        var allOptOuts = optOuts
        if let store { allOptOuts += try store.optOuts() }
        for o in allOptOuts {
            guard let i = index[o.customerID] else { continue }
            optOutMask[Int(i)] |= o.channel == OptOut.anyChannel ? all : (channelMask[o.channel] ?? 0)
        }
        let lookback = policy.lookbackDays
        guard let store, lookback > 0 else { return }
        var contacts = [UInt16](repeating: 0, count: index.count)
        let today = asOf.dayNumber
        var rows = 0
        var dayOf: [String: Int] = [:]
        try store.forEachContact(from: CalendarDay(dayNumber: today - lookback + 1).description, through: asOf.description,
                                 excludingCampaign: campaignID) { customerID, action, _, date in
            rows += 1
            guard let i = index[customerID].map(Int.init) else { return }
            let day: Int
            if let known = dayOf[date] { day = known } else {
                day = try CalendarDay(parsing: date, option: "contact_date in the store").dayNumber
                dayOf[date] = day
            }
            let age = today - day
            if let cap = policy.maxContacts, age < cap.days, contacts[i] < .max { contacts[i] += 1 }
            if let coolDown = policy.coolDownDays, age < coolDown { customerBlock[i] = .coolDown }
            if let repeatDays = policy.repeatOfferDays, age < repeatDays, let a = actionIndex[action] { repeatOfferMask[i] |= 1 << UInt64(a) }
        }
        historyRowsRead = rows
        recentContacts = contacts
        if let cap = policy.maxContacts {
            for i in 0..<index.count where customerBlock[i] == .none && Int(contacts[i]) >= cap.count { customerBlock[i] = .maxContacts }
        }
    }
}
