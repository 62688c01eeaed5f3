import Churn
import CustomerData
import Foundation
import Models

/// Propensity models: the churn module's logistic model for any binary target (who holds a
/// product, who responded to an offer). One training path, two names: training, encoding,
/// penalties, cross-validation, evaluation and scoring are `ChurnModel`'s; only the file's `kind`
/// (`propensity`) and the score column (`propensity`) differ. Scoring customers who do not hold
/// the product gives their cross-sell propensity.
public enum PropensityModel {
    public static let kind = ResponseModelKind.propensity.rawValue

    /// The churn fit options with the propensity kind.
    public static func options(_ options: ChurnFitOptions) -> ChurnFitOptions {
        var options = options
        options.modelKind = .propensity
        return options
    }

    /// Trains on a customer-table CSV (see `ChurnModel.train(csv:options:)`).
    public static func train(csv url: URL, options: ChurnFitOptions) throws -> ChurnTrainingResult {
        try ChurnModel.train(csv: url, options: Self.options(options))
    }

    /// Trains on a customer table in memory.
    public static func train(table: CustomerTable, options: ChurnFitOptions) throws -> ChurnTrainingResult {
        try ChurnModel.train(table: table, options: Self.options(options))
    }

    /// Reads a propensity model file (refusing churn and other kinds).
    public static func load(from url: URL) throws -> ChurnModel {
        try ChurnModel.load(from: url, expectedKind: .propensity)
    }
}
