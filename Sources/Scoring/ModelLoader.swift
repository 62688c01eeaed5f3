import Churn
import CustomerData
import Foundation
import Models
import Responses

/// A model file loaded into its typed model: what `predict`, `evaluate`, `score` and `rescore`
/// work with. The one place that maps a file's `kind` to a type.
public enum LoadedModel: Sendable {
    /// BG/NBD, MBG/NBD, Pareto/NBD or BG/BB: P(alive) and expected purchases.
    case repeatPurchase(any RepeatPurchaseModel, ModelFile)
    /// Gamma-Gamma: expected average spend per transaction.
    case spend(GammaGamma, ModelFile)
    /// Shifted-beta-geometric cohort retention (contractual).
    case cohortRetention(ShiftedBetaGeometric, ModelFile)
    /// Logistic churn model on a customer table or on summary features.
    case churn(ChurnModel)
    /// Logistic model of another binary target (kind `propensity`: the churn model's training path).
    case propensity(ChurnModel)
    /// Response per arm of a randomised campaign and each treatment's uplift.
    case uplift(UpliftModel)

    /// The model's kind as written in its file.
    public var kind: ModelKind {
        switch self {
        case .repeatPurchase(_, let file), .spend(_, let file), .cohortRetention(_, let file): return file.kind
        case .churn: return .logisticChurn
        case .propensity: return .propensity
        case .uplift: return .uplift
        }
    }

    /// The model's time axis as its file states it: a calendar unit, periods or currency (nil
    /// for churn models on customer tables).
    public var modelTimeUnit: ModelTimeUnit? {
        switch self {
        case .repeatPurchase(_, let file), .cohortRetention(_, let file), .spend(_, let file): return file.timeUnit
        case .churn(let model), .propensity(let model): return model.timeUnit
        case .uplift: return nil
        }
    }

    /// The time unit the model's rates are in, when it has one (none for spend models and BG/BB's
    /// discrete periods).
    public var timeUnit: TimeUnit? {
        switch self {
        case .repeatPurchase(_, let file), .cohortRetention(_, let file), .spend(_, let file): return file.calendarUnit
        case .churn(let model), .propensity(let model): return model.timeUnit?.calendarUnit
        case .uplift: return nil
        }
    }
}

/// Loads any Klant model file into a `LoadedModel`, refusing unknown kinds and newer format
/// versions with a message that names the file.
public enum ModelLoader {
    public static func load(_ url: URL) throws -> LoadedModel {
        let data = try ModelFileFormat.contents(of: url)
        let kind = try ModelFileFormat.header(of: data, source: url.path).kind
        if kind == .logisticChurn { return .churn(try ChurnModel.decode(data, path: url.path)) }
        if kind == .propensity { return .propensity(try ChurnModel.decode(data, path: url.path, expectedKind: .propensity)) }
        if kind == .uplift { return .uplift(try UpliftModel.load(from: url)) }
        if kind == .crossSell {
            throw ModelError.modelFile("\(url.path) holds a cross-sell model, which this klant cannot load yet")
        }
        let file = try ModelFile.decode(data, source: url.path)
        switch kind {
        case .gammaGamma: return .spend(try GammaGamma(file: file), file)
        case .shiftedBetaGeometric: return .cohortRetention(try ShiftedBetaGeometric(file: file), file)
        default: return .repeatPurchase(try ModelCatalog.loadRepeatPurchaseModel(file), file)
        }
    }

    /// Loads a file that must hold a repeat-purchase model.
    public static func loadRepeatPurchaseModel(_ url: URL) throws -> (model: any RepeatPurchaseModel, file: ModelFile) {
        guard case let .repeatPurchase(model, file) = try load(url) else {
            throw ModelError.modelFile("\(url.path) does not hold a repeat-purchase model (bg-nbd, mbg-nbd, pareto-nbd, bg-bb)")
        }
        return (model, file)
    }

    /// Loads a file that must hold a Gamma-Gamma spend model.
    public static func loadSpendModel(_ url: URL) throws -> (model: GammaGamma, file: ModelFile) {
        guard case let .spend(model, file) = try load(url) else {
            throw ModelError.modelFile("\(url.path) does not hold a gamma-gamma spend model")
        }
        return (model, file)
    }

    /// The unit to read the summary at `summaryPath` in for a model whose time axis is `modelUnit`
    /// (from `LoadedModel.modelTimeUnit`), and a line for the log when it was not the sidecar's:
    /// - sidecar and a calendar model unit: they must agree (else the error of `requireSameUnit`);
    /// - no sidecar: the model's calendar unit, said at info level;
    /// - a model counting periods (BG/BB) reads recency and T as periods whatever the sidecar says;
    ///   the summary keeps the sidecar's unit as its label, or the week when there is none.
    public static func summaryUnit(model modelUnit: ModelTimeUnit?, modelPath: String,
                                   summaryPath: String) throws -> (unit: TimeUnit, note: String?) {
        let sidecar = try SummaryMetadata.read(forSummary: summaryPath)
        switch (modelUnit?.calendarUnit, sidecar?.timeUnit) {
        case let (model?, summary?):
            try requireSameUnit(model: model, modelPath: modelPath, summary: summary, summaryPath: summaryPath)
            return (summary, nil)
        case let (model?, nil):
            return (model, "\(summaryPath) has no sidecar \(SummaryMetadata.path(forSummary: summaryPath)) naming its time unit: read in the model's unit (\(model.rawValue)s)")
        case let (nil, summary?):
            return (summary, nil)
        case (nil, nil):
            return (.week, "\(summaryPath) has no sidecar and \(modelPath) has no calendar unit (\(modelUnit?.rawValue ?? "none")): recency and T are read as the model's periods")
        }
    }

    /// Throws unless a summary measured in `summaryUnit` can be scored by a model in `modelUnit`:
    /// a daily summary scored with a weekly model would be off by a factor of 7 everywhere.
    public static func requireSameUnit(model modelUnit: TimeUnit?, modelPath: String, summary summaryUnit: TimeUnit, summaryPath: String) throws {
        guard let modelUnit, modelUnit != summaryUnit else { return }
        throw ModelError.invalidData("""
            \(modelPath) was fitted in \(modelUnit.rawValue)s but the summary \(summaryPath) is in \(summaryUnit.rawValue)s; \
            summarise the transactions again with --unit \(modelUnit.rawValue), or refit the model on this summary
            """)
    }
}
