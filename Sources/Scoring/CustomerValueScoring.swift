import Churn
import CustomerData
import Foundation
import Models

/// The horizon, discounting and money settings every scoring shares.
public struct ValueSettings: Sendable {
    public var horizon: ValueHorizon
    public var discounting: Discounting
    /// Level of the CLV interval (e.g. 0.9), or nil for no interval.
    public var intervalLevel: Double?

    public init(horizon: ValueHorizon, discounting: Discounting, intervalLevel: Double? = 0.9) throws {
        if let level = intervalLevel, !(level > 0 && level < 1) {
            throw ModelError.invalidParameters("the interval level must be between 0 and 1 (0.9 for 90%), got \(level)")
        }
        self.horizon = horizon
        self.discounting = discounting
        self.intervalLevel = intervalLevel
    }

    public var ratePerStep: Double { discounting.ratePerStep(horizon.stepLength) }
}

/// Non-contractual scoring (shops, e-commerce): a repeat-purchase model with a Gamma-Gamma spend model.
public struct NonContractualScoring: Sendable {
    public var purchaseModel: any AliveConditionalPredictions
    public var purchaseFile: ModelFile
    public var spendModel: GammaGamma
    public var spendFile: ModelFile
    public var settings: ValueSettings

    public init(purchase: any RepeatPurchaseModel, purchaseFile: ModelFile, spend: GammaGamma, spendFile: ModelFile, settings: ValueSettings) throws {
        guard let model = purchase as? any AliveConditionalPredictions else {
            throw ModelError.modelFile("klant score values customers with bg-nbd, mbg-nbd or pareto-nbd models; a \(purchaseFile.kind.rawValue) model has no continuous-time survival (use it with klant predict)")
        }
        try spend.requireFiniteMean()
        self.purchaseModel = model
        self.purchaseFile = purchaseFile
        self.spendModel = spend
        self.spendFile = spendFile
        self.settings = settings
    }

    /// The model's time unit (a model file without one is an error: the horizon could not be converted).
    public var modelUnit: TimeUnit {
        get throws {
            guard let unit = purchaseFile.calendarUnit else {
                throw ModelError.modelFile("the \(purchaseFile.kind.rawValue) model file has time unit '\(purchaseFile.timeUnit)', not day, week, month or year")
            }
            return unit
        }
    }

    /// Scores every customer of `summary`. `historicRevenue` defaults to frequency × monetary value
    /// (the repeat purchases of the calibration period: a lifetimes summary does not carry the first
    /// purchase's amount).
    public func score(_ summary: CustomerSummary, economics: Economics, historicRevenue: [Double]? = nil) throws -> ScoreTable {
        let step = settings.horizon.stepLength.measured(in: try modelUnit)
        let d = settings.ratePerStep
        let purchases = try PurchaseDiscounting.compute(model: purchaseModel, frequency: summary.frequency, recency: summary.recency,
                                                        T: summary.T, stepLength: step, steps: settings.horizon.steps, ratePerStep: d)
        let (frequency, monetaryValue, T) = (summary.frequency, summary.monetaryValue, summary.T)
        let spendModel = spendModel
        let spend = try parallelTryMap(summary.count) { i in
            try spendModel.conditionalExpectedAverageSpend(frequency: frequency[i], monetaryValue: max(0, monetaryValue[i]))
        }
        // CLV, historic revenue (unless given), historic net value and expected revenue in one pass.
        let expectedPurchases = purchases.expectedPurchases
        let values = parallelColumns(summary.count, columns: 4) { i, out in
            let revenue = historicRevenue?[i] ?? frequency[i] * monetaryValue[i]
            out[0][i] = LifetimeValue.nonContractual(discountedPurchases: purchases.discountedPurchases[i],
                                                     discountedPeriodsAlive: purchases.discountedPeriodsAlive[i],
                                                     averageSpend: spend[i], economics: economics, customer: i)
            out[1][i] = revenue
            out[2][i] = economics.margin[i] * revenue - economics.costPerOrder * frequency[i]
                - economics.costPerPeriod[i] * T[i] / step - economics.acquisitionCost[i]
            out[3][i] = spend[i] * expectedPurchases[i]
        }
        var table = ScoreTable(customerIDs: summary.customerIDs)
        table.append(.number("probability_alive", purchases.probabilityAlive))
        table.append(.number("expected_purchases", expectedPurchases))
        table.append(.number("discounted_expected_purchases", purchases.discountedPurchases))
        table.append(.number("expected_average_spend", spend))
        table.append(.number("expected_revenue", values[3]))
        table.append(.number("historic_revenue", values[1]))
        table.append(.number("historic_net_value", values[2]))
        table.append(.number("clv", values[0]))
        if let level = settings.intervalLevel {
            let bounds = try ValueInterval.nonContractual(
                model: purchaseModel, purchaseCovariance: try covariance(purchaseFile), spend: spendModel, spendCovariance: try covariance(spendFile),
                frequency: summary.frequency, recency: summary.recency, T: summary.T, monetaryValue: summary.monetaryValue,
                base: purchases, averageSpend: spend, stepLength: step, steps: settings.horizon.steps, ratePerStep: d,
                economics: economics, level: level)
            table.append(.number("clv_lower", bounds.lower))
            table.append(.number("clv_upper", bounds.upper))
        }
        return table
    }

    func covariance(_ file: ModelFile) throws -> [[Double]] {
        guard let c = file.covariance?.rows else {
            throw ModelError.modelFile("the \(file.kind.rawValue) model file has no parameter covariance: refit it with this klant to get CLV intervals, or give --no-intervals")
        }
        return c
    }
}
