import Churn
import CustomerData
import Foundation
import Responses

/// The pictures of an uplift model on a randomised campaign: per treatment the Qini curve (incremental
/// responses among the top k% by predicted uplift) beside random targeting, and the observed uplift
/// among the top 10/20/30/50%. Every number is `UpliftModel.evaluate` (what `klant evaluate` prints).
public enum UpliftSection {
    public static func make(model: UpliftModel, name: String, data: URL?) throws -> ReportSection {
        let id = RepeatPurchaseSection.slug(name)
        var section = ReportSection(id: id, title: "\(name): uplift model (\(model.method.rawValue))")
        section.intro.append("Outcome \(model.target.column) = '\(model.target.positive)'; treatments \(model.treatments.joined(separator: ", ")) against control '\(model.control)' (column \(model.treatmentColumn)).")
        guard let data else {
            section.blocks.append(.note("Give the campaign data with the treatment and outcome columns (--uplift-data) to see the Qini curves."))
            return section
        }
        let table = try CustomerTable(contentsOf: data)
        let evaluation = try model.evaluate(table)
        let isTrainingFile = (try? ChurnModel.fingerprint(of: Data(contentsOf: data))) == model.training.fingerprint
        let heldOut = model.heldOut
        section.blocks.append(.note("Evaluated on \(NumberFormat.integer(table.rowCount)) rows of \(data.lastPathComponent)"
                                    + (isTrainingFile ? " — the training file; the fit used \(NumberFormat.integer(Int(model.training.customers))) of its rows"
                                       + (heldOut > 0 ? " and held out \(NumberFormat.integer(heldOut))" : "") + ", so the figures are optimistic (klant fit uplift --holdout prints the held-out figures)." : ".")))
        for t in evaluation.treatments {
            let tid = "\(id)-\(RepeatPurchaseSection.slug(t.name))"
            section.blocks.append(.metrics([
                Metric("Qini AUC, \(t.name)", .number(t.qiniAUC, .decimals(4)), detail: "0 = random, 1 = perfect"),
                Metric("observed uplift", .number(t.randomUplift, .percent(2)),
                       detail: "\(NumberFormat.percent(t.treatedRate, decimals: 2)) treated vs \(NumberFormat.percent(t.controlRate, decimals: 2)) control"),
                Metric("uplift in the top 10%", .number(t.upliftAtK[0], .percent(2))),
                Metric("customers", .number(Double(t.treatedCount + t.controlCount), .integer),
                       detail: "\(NumberFormat.integer(t.treatedCount)) treated, \(NumberFormat.integer(t.controlCount)) control"),
            ]))
            let x = [0] + UpliftEvaluation.curveFractions
            section.blocks.append(.figure(Figure(
                id: "\(tid)-qini", title: "Qini curve: \(t.name)",
                caption: "Incremental \(model.target.column) responses gained by treating the top x% of customers ranked by predicted uplift, against treating a random x% (the straight line). The area between them, normalised, is the Qini AUC \(NumberFormat.fixed(t.qiniAUC, decimals: 4)).",
                chart: LineChart(series: [.init(name: "model", x: x, y: [0] + t.qiniAtFraction)],
                                 xLabel: "customers treated (highest predicted uplift first)", yLabel: "incremental responses",
                                 reference: ("random targeting", x, [0] + t.randomQiniAtFraction), xPercent: true))))
            let labels = UpliftEvaluation.fractions.map { "top \(NumberFormat.percent($0, decimals: 0))" }
            section.blocks.append(.figure(Figure(
                id: "\(tid)-uplift-at-k", title: "Uplift among the top k%: \(t.name)",
                caption: "Observed response rate of treated minus control customers among the top k% by predicted uplift; random targeting gets the overall uplift everywhere.",
                chart: BarChart(categories: labels, series: [.init(name: "model", values: t.upliftAtK),
                                                              .init(name: "random", values: labels.map { _ in t.randomUplift })],
                                categoryLabel: "customers targeted", valueLabel: "observed uplift", valueStyle: .percent(2), valuePercent: true))))
        }
        return section
    }
}

