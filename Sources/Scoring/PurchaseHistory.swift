import CustomerData

/// The summary columns RFM scoring needs, one value per customer in the scored order (lifetimes
/// convention: repeat purchases, age at the last repeat purchase, age at the end of the period,
/// mean value of the repeat purchases).
public struct PurchaseHistory: Sendable {
    public var frequency: [Double]
    public var recency: [Double]
    public var T: [Double]
    public var monetaryValue: [Double]

    public init(frequency: [Double], recency: [Double], T: [Double], monetaryValue: [Double]) {
        self.frequency = frequency
        self.recency = recency
        self.T = T
        self.monetaryValue = monetaryValue
    }

    /// The columns of a customer summary, in its order.
    public init(summary: CustomerSummary) {
        self.init(frequency: summary.frequency, recency: summary.recency, T: summary.T, monetaryValue: summary.monetaryValue)
    }
}
