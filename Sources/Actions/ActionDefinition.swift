/// One action of the catalog: who is eligible, what a response is worth, what a contact costs,
/// its budgets and its control share.
public struct ActionDefinition: Sendable, Equatable {
    public var name: String
    public var type: ActionType
    public var channel: String
    /// Cost per contact.
    public var cost: Double
    /// At most this many contacts per run (control rows included), when given.
    public var budget: Int?
    /// At most this much money per run (cost x contacts, control rows included), when given.
    public var budgetAmount: Double?
    /// Share of the chosen customers held out as control, in [0, 1).
    public var controlShare: Double
    /// Eligibility condition (rule language, see `ExpressionParser`); empty = everyone.
    public var eligible: String
    public var response: ResponseSpec
    /// Value if the customer responds (rule language, a number).
    public var value: String
    /// Line of the action in the catalog file (for messages).
    public var line: Int

    public init(name: String, type: ActionType, channel: String, cost: Double, budget: Int? = nil, budgetAmount: Double? = nil,
                controlShare: Double = 0, eligible: String = "", response: ResponseSpec, value: String, line: Int = 0) {
        self.name = name
        self.type = type
        self.channel = channel
        self.cost = cost
        self.budget = budget
        self.budgetAmount = budgetAmount
        self.controlShare = controlShare
        self.eligible = eligible
        self.response = response
        self.value = value
        self.line = line
    }
}
