import CustomerData
import Foundation

/// The profitability picture of a customer base, measured on the data (never assumed): the share
/// of revenue from the top 5% of customers by revenue, the share of profit from the top 20% by net
/// value, how many customers are profitable, break even or lose money and how much they lose, the
/// whale curve of cumulative profit (`LorenzCurve`), the Gini coefficient of revenue and a table
/// by profit decile. Encoded with snake_case keys as the sidecar's `profitability` object.
///
/// - Top shares interpolate inside the customer who straddles the cut (the top 5% of 30 customers
///   is the top customer plus half of the second), so they do not jump with rounding of n.
///   Revenue shares are of the total revenue (0 when that is not positive); profit shares use the
///   whale curve's scale (of the total profit when that is positive).
/// - Break even: |net value| ≤ the customer's `BreakEvenTolerance` band; above it profitable,
///   below it loss-making. `loss_amount` is the money lost by the loss-making customers, as a
///   positive number.
/// - Gini of revenue: G = Σᵢ (2i − n − 1)·x₍ᵢ₎ / (n·Σx) over revenue sorted ascending (the mean
///   absolute difference over twice the mean; Dorfman 1979). It is defined for non-negative values:
///   negative revenues (returns exceeding purchases) count as 0 and are counted in
///   `negative_revenue_customers`. 0 when all revenue is 0.
public struct ProfitabilityPicture: Codable, Equatable, Sendable {
    /// Configurable cuts; the defaults give the "top 5% of revenue, top 20% of profit" picture.
    public struct Options: Equatable, Sendable {
        public var revenueTopFraction: Double
        public var profitTopFraction: Double
        public var breakEven: BreakEvenTolerance
        /// Points of the downsampled whale curve (plus the exact peak).
        public var lorenzPoints: Int

        public init(revenueTopFraction: Double = 0.05, profitTopFraction: Double = 0.20,
                    breakEven: BreakEvenTolerance = BreakEvenTolerance(), lorenzPoints: Int = 101) {
            self.revenueTopFraction = revenueTopFraction
            self.profitTopFraction = profitTopFraction
            self.breakEven = breakEven
            self.lorenzPoints = lorenzPoints
        }

        func validate() throws {
            for (v, name) in [(revenueTopFraction, "revenue top fraction"), (profitTopFraction, "profit top fraction")]
            where !(v > 0 && v <= 1) {
                throw InputError(kind: .badOption, value: "\(v)", problem: "the \(name) must be in (0, 1]",
                                 remedy: "Give a share of customers such as 0.05 for the top 5%")
            }
            guard breakEven.amount >= 0, breakEven.revenueFraction >= 0,
                  breakEven.amount.isFinite, breakEven.revenueFraction.isFinite else {
                throw InputError(kind: .badOption, problem: "the break-even tolerance must be finite and not negative",
                                 remedy: "Give an amount >= 0 and a revenue fraction >= 0, such as 0.05")
            }
            guard lorenzPoints >= 2 else {
                throw InputError(kind: .badOption, value: "\(lorenzPoints)", problem: "the whale curve needs at least 2 points",
                                 remedy: "Use the default of 101 points")
            }
        }
    }

    /// One row of the table by profit decile (1 = most profitable).
    public struct DecileRow: Codable, Equatable, Sendable {
        public var decile: Int
        public var customers: Int
        public var netValue: Double
        public var netValueShare: Double
        public var revenue: Double
        public var revenueShare: Double

        enum CodingKeys: String, CodingKey {
            case decile, customers, netValue = "net_value", netValueShare = "net_value_share"
            case revenue, revenueShare = "revenue_share"
        }
    }

    public var customers: Int
    public var totalRevenue: Double
    public var totalProfit: Double
    public var revenueTopFraction: Double
    public var revenueShareTop: Double
    public var profitTopFraction: Double
    public var profitShareTop: Double
    public var profitableCustomers: Int
    public var breakEvenCustomers: Int
    public var lossMakingCustomers: Int
    /// Shares of customers in the three groups (they add up to 1).
    public var profitableShare: Double
    public var breakEvenShare: Double
    public var lossMakingShare: Double
    public var lossAmount: Double
    public var breakEvenTolerance: BreakEvenTolerance
    public var gini: Double
    public var negativeRevenueCustomers: Int
    public var lorenzScale: String
    public var peakCustomerShare: Double
    public var peakProfitShare: Double
    /// The whale curve as [customer_share, profit_share] pairs.
    public var lorenz: [[Double]]
    public var deciles: [DecileRow]

    enum CodingKeys: String, CodingKey {
        case customers, totalRevenue = "total_revenue", totalProfit = "total_profit"
        case revenueTopFraction = "revenue_top_fraction", revenueShareTop = "revenue_share_top5pct"
        case profitTopFraction = "profit_top_fraction", profitShareTop = "profit_share_top20pct"
        case profitableCustomers = "profitable_customers", breakEvenCustomers = "break_even_customers"
        case lossMakingCustomers = "loss_making_customers", lossAmount = "loss_amount"
        case profitableShare = "profitable_share", breakEvenShare = "break_even_share", lossMakingShare = "loss_making_share"
        case breakEvenTolerance = "break_even_tolerance", gini, negativeRevenueCustomers = "negative_revenue_customers"
        case lorenzScale = "lorenz_scale", peakCustomerShare = "peak_customer_share", peakProfitShare = "peak_profit_share"
        case lorenz, deciles
    }


    /// Measures the picture from per-customer revenue and net value (historic net value), one of
    /// each per customer in the same order. Throws on empty input, unequal lengths, non-finite
    /// values and invalid options.
    public init(revenue: [Double], netValue: [Double], options: Options = Options()) throws {
        try Self.checkInputs(revenue: revenue, netValue: netValue, options: options)
        try self.init(checkedRevenue: revenue, netValue: netValue, revenueAscending: RadixSort.ascending(revenue),
                      netAscending: RadixSort.ascending(netValue), deciles: nil, options: options)
    }

    /// Throws on empty input, unequal lengths, non-finite values and invalid options.
    static func checkInputs(revenue: [Double], netValue: [Double], options: Options) throws {
        try options.validate()
        try ValueChecks.requireCustomers(netValue.count, "the profitability picture")
        try ValueChecks.requireLength(revenue, netValue.count, "historic_revenue")
        try ValueChecks.requireFinite(revenue, "historic_revenue")
        try ValueChecks.requireFinite(netValue, "historic_net_value")
    }

    /// The same from checked inputs (`checkInputs`), both sorted ascending by the caller, and the
    /// profit deciles by this base's own cuts when the caller has them.
    init(checkedRevenue revenue: [Double], netValue: [Double], revenueAscending: [Double], netAscending: [Double],
         deciles givenDeciles: [UInt8]?, options: Options) throws {
        let n = netValue.count
        customers = n
        revenueTopFraction = options.revenueTopFraction
        profitTopFraction = options.profitTopFraction
        breakEvenTolerance = options.breakEven

        // Two independent halves, one per core: the revenue side (share of the top, Gini, break-even
        // groups) and the profit side (the whale curve and the decile sums).
        let (revenueSide, profitSide) = try concurrently({
            let revenueCumulative = Self.cumulative(revenueAscending.reversed())
            let total = revenueCumulative[n]
            let share = total > 0 ? LorenzCurve.interpolate(revenueCumulative, at: options.revenueTopFraction) / total : 0
            return (total: total, share: share, gini: Self.gini(ascending: revenueAscending),
                    groups: Self.breakEvenGroups(revenue: revenue, netValue: netValue, tolerance: options.breakEven))
        }, {
            let curve = LorenzCurve(profitDescending: netAscending.reversed())
            let ownDeciles = givenDeciles ?? ProfitDecile.boundaries(netAscending: netAscending).bins(netValue)
            return (curve: curve, peak: curve.peak, deciles: Self.decileSums(deciles: ownDeciles, revenue: revenue, netValue: netValue))
        })
        (totalRevenue, revenueShareTop) = (revenueSide.total, revenueSide.share)
        (gini, negativeRevenueCustomers) = revenueSide.gini

        let curve = profitSide.curve
        totalProfit = curve.cumulative[n]
        profitShareTop = curve.share(at: options.profitTopFraction)
        lorenzScale = curve.scale
        (peakCustomerShare, peakProfitShare) = profitSide.peak
        lorenz = curve.downsampled(points: options.lorenzPoints, peak: profitSide.peak)

        (profitableCustomers, breakEvenCustomers, lossMakingCustomers, lossAmount) = revenueSide.groups
        profitableShare = Double(profitableCustomers) / Double(n)
        breakEvenShare = Double(breakEvenCustomers) / Double(n)
        lossMakingShare = Double(lossMakingCustomers) / Double(n)
        deciles = Self.decileTable(profitSide.deciles, totalRevenue: totalRevenue, totalProfit: totalProfit)
    }

    static func cumulative<C: Collection<Double>>(_ values: C) -> [Double] {
        [Double](unsafeUninitializedCapacity: values.count + 1) { c, initialized in   // written once, not zeroed first
            var s = CompensatedSum()
            c[0] = 0
            for (k, x) in values.enumerated() { s.add(x); c[k + 1] = s.value }
            initialized = values.count + 1
        }
    }

    /// Gini of max(x, 0) over values sorted ascending, and how many were negative.
    static func gini<C: Collection>(ascending values: C) -> (Double, Int) where C.Element == Double {
        let n = Double(values.count)
        var weighted = CompensatedSum(), total = CompensatedSum(), negative = 0
        for (i, raw) in values.enumerated() {
            if raw < 0 { negative += 1 }
            let x = max(raw, 0)
            weighted.add((2 * Double(i + 1) - n - 1) * x)
            total.add(x)
        }
        return (total.value > 0 ? weighted.value / (n * total.value) : 0, negative)
    }

    static func breakEvenGroups(revenue: [Double], netValue: [Double], tolerance: BreakEvenTolerance)
        -> (profitable: Int, breakEven: Int, lossMaking: Int, loss: Double) {
        var profitable = 0, even = 0, losing = 0
        var loss = CompensatedSum()
        for i in netValue.indices {
            let band = tolerance.band(revenue: revenue[i])
            if netValue[i] > band { profitable += 1 }
            else if netValue[i] < -band { losing += 1; loss.add(-netValue[i]) }
            else { even += 1 }
        }
        return (profitable, even, losing, loss.value)
    }

    /// Customers, net value and revenue per profit decile (1...10), compensated sums.
    struct DecileSums {
        var counts = [Int](repeating: 0, count: 10)
        var profit = [CompensatedSum](repeating: CompensatedSum(), count: 10)
        var revenue = [CompensatedSum](repeating: CompensatedSum(), count: 10)
    }

    /// The sums of each decile, in one pass over the customers.
    static func decileSums(deciles: [UInt8], revenue: [Double], netValue: [Double]) -> DecileSums {
        var sums = DecileSums()
        for (i, d) in deciles.enumerated() {
            let k = Int(d) - 1
            sums.counts[k] += 1
            sums.profit[k].add(netValue[i])
            sums.revenue[k].add(revenue[i])
        }
        return sums
    }

    /// The decile rows, with each decile's share of the totals.
    static func decileTable(_ sums: DecileSums, totalRevenue: Double, totalProfit: Double) -> [DecileRow] {
        (0..<10).map { k in
            DecileRow(decile: k + 1, customers: sums.counts[k], netValue: sums.profit[k].value,
                      netValueShare: ValueMatrix.share(sums.profit[k].value, of: totalProfit),
                      revenue: sums.revenue[k].value, revenueShare: ValueMatrix.share(sums.revenue[k].value, of: totalRevenue))
        }
    }
}
