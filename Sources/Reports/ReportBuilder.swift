import Actions
import Churn
import CustomerData
import Foundation
import Models
import Responses
import Scoring

/// What a report is made from: model files, and the data that lets their charts be drawn.
public struct ReportInputs {
    /// Model files (`klant fit` output), in the order their sections appear.
    public var models: [URL] = []
    /// A customer summary (with holdout columns for the holdout and churn charts).
    public var summary: CustomerSummary?
    /// A customer table with the target column, for churn models fitted on customer tables.
    public var churnData: URL?
    /// Score tables from `klant score` (CSV or JSON lines) with their `.meta.json` sidecars.
    public var scores: [URL] = []
    /// An action list (CSV or JSON lines).
    public var actions: URL?
    /// A campaign table with the treatment and outcome columns, for uplift models.
    public var upliftData: URL?
    /// `klant evaluate --out` tables of the cross-sell model (one per k), for its precision, recall and hit-rate charts.
    public var crossSellEvaluations: [URL] = []
    /// `klant evaluate-campaign --out`: uplift per treatment and outcome with intervals.
    public var campaign: URL?
    /// Future period of the expected-purchases heatmap, in the summary's time unit.
    public var horizon: Double = 52
    /// First and repeat purchases per day of the transaction log, for the tracking charts of repeat-purchase models.
    public var dailyPurchases: DailyPurchases?
    /// The calibration end the tracking charts mark (the models' fitting period ends there).
    public var calibrationEnd: CalendarDay?

    public init() {}

    /// The `*.json` model files of a folder, sorted by name (score sidecars `*.meta.json` left out).
    public static func modelFiles(in folder: URL) throws -> [URL] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
            throw ReportError.input("cannot list the model folder \(folder.path): \(error.localizedDescription); give a folder of model files from klant fit")
        }
        return names.filter { $0.hasSuffix(".json") && !$0.hasSuffix(".meta.json") }.sorted().map { folder.appendingPathComponent($0) }
    }
}

public enum ReportError: Error, CustomStringConvertible, Equatable {
    /// A file or option the report cannot use; the message says which and what to do.
    case input(String)
    public var description: String { switch self { case .input(let m): return m } }
}

/// Turns report inputs into a `Report`: one section per model, then the value and action sections.
public enum ReportBuilder {
    public static func build(_ inputs: ReportInputs, title: String) throws -> Report {
        var report = Report(title: title, subtitle: subtitle(inputs))
        var purchaseModels: [any RepeatPurchaseModel] = []
        var churnModels: [(URL, ChurnModel)] = []
        var responseSections: [ReportSection] = []
        let crossSellCount = try inputs.models.filter { try ModelFileFormat.header(of: ModelFileFormat.contents(of: $0), source: $0.path).kind == .crossSell }.count
        for url in inputs.models {
            let name = url.deletingPathExtension().lastPathComponent
            if try ModelFileFormat.header(of: ModelFileFormat.contents(of: url), source: url.path).kind == .crossSell {
                // Evaluation tables do not name their model: they go with the only cross-sell model.
                var section = try CrossSellSection.make(model: CrossSellModel.load(from: url), name: name,
                                                        evaluations: crossSellCount == 1 ? inputs.crossSellEvaluations : [])
                if crossSellCount > 1 && !inputs.crossSellEvaluations.isEmpty {
                    section.blocks.append(.note("Several cross-sell models: the evaluation tables are left out, since they do not say which model they belong to. Report one cross-sell model at a time to see them."))
                }
                responseSections.append(section)
                continue
            }
            let loaded = try ModelLoader.load(url)
            switch loaded {
            case .churn(let model):
                churnModels.append((url, model))
            case let .repeatPurchase(model, file):
                var summary = inputs.summary
                if let s = summary, file.kind != .bgbb, file.calendarUnit != s.timeUnit {
                    summary = nil
                    report.sections.append(ReportSection(id: RepeatPurchaseSection.slug(name) + "-unit", title: "\(name): time unit",
                                                         blocks: [.note("\(name) is in \(file.timeUnit)s but the summary in \(s.timeUnit.rawValue)s: its data charts are left out.")]))
                }
                if file.kind == .bgbb { summary = nil }   // discrete-time patterns, not a summary in time units
                purchaseModels.append(model)
                var tracking: RepeatPurchaseTracking?
                if let daily = inputs.dailyPurchases, file.kind != .bgbb, let unit = file.calendarUnit {
                    tracking = RepeatPurchaseTracking(daily: daily, model: model, unitDays: unit.days, calibrationEnd: inputs.calibrationEnd)
                }
                report.sections.append(try RepeatPurchaseSection.make(file: file, name: name, model: model, summary: summary, horizon: inputs.horizon,
                                                                      tracking: tracking))
            case .spend(_, let file), .cohortRetention(_, let file):
                report.sections.append(try RepeatPurchaseSection.make(file: file, name: name, model: nil, summary: nil, horizon: inputs.horizon))
            case .propensity(let model):
                churnModels.append((url, model))
            case .uplift(let model):
                responseSections.append(try UpliftSection.make(model: model, name: name, data: inputs.upliftData))
            }
        }
        for (url, model) in churnModels {
            let name = url.deletingPathExtension().lastPathComponent
            let evaluation = try churnEvaluation(model, inputs: inputs, purchaseModels: purchaseModels)
            report.sections.append(try ChurnSection.make(model: model, name: name, evaluation: evaluation))
        }
        report.sections += responseSections
        for scores in inputs.scores {
            // One table keeps the plain ids ("value-..."); several are told apart by their file names.
            let id = inputs.scores.count == 1 ? "value" : "value-" + RepeatPurchaseSection.slug(scores.deletingPathExtension().lastPathComponent)
            report.sections.append(try ValueSection.make(scores: scores, id: id))
        }
        if let actions = inputs.actions {
            report.sections.append(try ActionsSection.make(actions: actions))
        }
        if let campaign = inputs.campaign {
            report.sections.append(try CampaignSection.make(campaign: campaign))
        }
        return report
    }

    static func subtitle(_ inputs: ReportInputs) -> String {
        var parts = ["\(inputs.models.count) model file\(inputs.models.count == 1 ? "" : "s")"]
        if let s = inputs.summary { parts.append("\(NumberFormat.integer(s.count)) customers in the summary") }
        if !inputs.scores.isEmpty { parts.append("scores: \(inputs.scores.map(\.lastPathComponent).joined(separator: ", "))") }
        if let actions = inputs.actions { parts.append("actions: \(actions.lastPathComponent)") }
        if let campaign = inputs.campaign { parts.append("campaign: \(campaign.lastPathComponent)") }
        return parts.joined(separator: " · ")
    }

    /// Labelled data for a churn model: the holdout split the fit left out when the data are its
    /// training data (same fingerprint) and the split was recorded, else all of the given data.
    static func churnEvaluation(_ model: ChurnModel, inputs: ReportInputs, purchaseModels: [any RepeatPurchaseModel]) throws -> ChurnSection.Evaluation? {
        if model.usesTransactionSummary {
            guard let summary = inputs.summary, let holdout = summary.frequencyHoldout, holdout.contains(0), holdout.contains(where: { $0 > 0 }) else { return nil }
            let reference = model.transactionFeatures?.purchaseModel
            let purchaseModel = reference.flatMap { r in purchaseModels.first { TransactionFeatureTransform.PurchaseModelReference($0) == r } }
            if reference != nil && purchaseModel == nil { return nil }
            var customers = summary
            var description = "all \(NumberFormat.integer(summary.count)) customers of the summary"
            if ChurnModel.fingerprint(of: summary) == model.training.fingerprint {
                if let split = model.holdoutSplit, let held = try model.holdoutCustomers(of: summary) {
                    customers = held
                    description = "the \(NumberFormat.integer(held.count)) customers the fit held out (\(NumberFormat.percent(split.testFraction, decimals: 0)), seed \(split.seed))"
                } else {
                    description += " — the training data, so the figures are optimistic"
                }
            }
            let p = try model.probabilities(summary: customers, purchaseModel: purchaseModel)
            let labels = customers.frequencyHoldout!.map { $0 == 0 ? 1.0 : 0.0 }
            let comparison = purchaseModel == nil ? nil : try model.evaluate(summary: customers, purchaseModel: purchaseModel).comparison
            return ChurnSection.Evaluation(labels: labels, probabilities: p, description: description + "; positive = no purchase in the holdout period", comparison: comparison)
        }
        guard let url = inputs.churnData else { return nil }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ReportError.input("cannot read the churn data \(url.path): \(error.localizedDescription)")
        }
        let file = try CustomerTable(csv: data, source: url.path)
        guard file.hasColumn(model.target.column) else { return nil }
        // A model fitted on a population (--where) is evaluated on the same rows.
        let population = try RowFilter.selection(population: model.population?.condition, where: nil)
        let full = try population?.apply(to: file) ?? file
        var table = full
        var description = "all \(NumberFormat.integer(full.rowCount)) rows of \(url.lastPathComponent)" + (population.map { " where \($0.condition)" } ?? "")
        if ChurnModel.fingerprint(of: data) == model.training.fingerprint {
            if let split = model.holdoutSplit, let held = try model.holdoutRows(of: file, population: population) {
                table = held
                description = "the \(NumberFormat.integer(held.rowCount)) rows of \(url.lastPathComponent) the fit held out (\(NumberFormat.percent(split.testFraction, decimals: 0)), seed \(split.seed))"
            } else {
                description += " — the training data, so the figures are optimistic"
            }
        }
        let (design, p) = try model.score(table)
        let labels = try FeatureEncoding.targetValues(table, target: model.target, rows: design.rowIndices)
        return ChurnSection.Evaluation(labels: labels, probabilities: p, description: description)
    }
}
