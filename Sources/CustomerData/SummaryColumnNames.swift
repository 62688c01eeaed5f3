/// Which header names to accept for each summary column when reading. The defaults cover Klant's own
/// files (`customer_id,frequency,recency,T,monetary_value[,frequency_holdout,monetary_value_holdout,duration_holdout]`),
/// lifetimes exports (`ID`, `id`, ...) and the papers' files (`ID,frequency,recency,T` and `ID,x,t_x,T,zbar`).
/// The first name found in the header is used.
public struct SummaryColumnNames: Sendable {
    public var customerID = ["customer_id", "ID", "id", "CustomerID", "customer"]
    public var frequency = ["frequency", "x"]
    public var recency = ["recency", "t_x"]
    public var T = ["T"]
    public var monetaryValue = ["monetary_value", "zbar", "m_x"]
    public var frequencyHoldout = ["frequency_holdout"]
    public var monetaryValueHoldout = ["monetary_value_holdout"]
    public var durationHoldout = ["duration_holdout"]

    public init() {}
}
