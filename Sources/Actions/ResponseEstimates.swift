import Churn
import CustomerData
import Foundation
import Responses

/// Each action's response probability per scored customer: a fixed rate, a propensity model's
/// P(response), or an uplift model's incremental response for the action's treatment. Models are
/// scored on the customer table through the same library calls as `klant predict`.
public struct ResponseEstimates: Sendable {
    /// Per action: the probability used for expected value (NaN = not scored: no candidate).
    public var probability: [[Double]]
    /// Per action: how the reason names it ("response", "incremental response").
    public var label: [String]

    /// `customers` is the table at `customersPath` when the caller has read it already; `format` is how
    /// the customer tables (and a response's `data:` table) are written.
    public init(actions: [ActionDefinition], ids: [String], index: [String: Int32], customersPath: String?,
                customers customersTable: CustomerTable? = nil, format: TableTextFormat = TableTextFormat(),
                unseenLevels: UnseenLevelPolicy = .error, catalogPath: String) throws {
        var tables: [String: CustomerTable] = [:]
        if let customersPath, let customersTable { tables[customersPath] = customersTable }
        func customers(for action: ActionDefinition, data: String?) throws -> CustomerTable {
            if let path = data ?? customersPath, let table = tables[path] { return table }
            if let data {
                let loaded = try CustomerTable(path: data, format: format)
                tables[data] = loaded
                return loaded
            }
            guard let customersPath else {
                throw CatalogError(file: catalogPath, line: action.line, action: action.name,
                                   problem: "the response model is scored on the customer table, but none was given",
                                   remedy: "give the customer table with --customers FILE, or data: FILE in the action's response")
            }
            let loaded = try CustomerTable(path: customersPath, format: format)
            tables[customersPath] = loaded
            return loaded
        }
        func spread(_ scoredIDs: [String], _ values: [Double]) -> [Double] {
            var out = [Double](repeating: .nan, count: ids.count)
            for (id, p) in zip(scoredIDs, values) { if let i = index[id] { out[Int(i)] = p } }
            return out
        }
        probability = []
        label = []
        for action in actions {
            switch action.response {
            case .rate(let r):
                probability.append([Double](repeating: r, count: ids.count))
                label.append("response")
            case .propensityModel(let path, let data):
                let model: ChurnModel
                do { model = try PropensityModel.load(from: URL(fileURLWithPath: path)) } catch {
                    throw CatalogError(file: catalogPath, line: action.line, action: action.name,
                                       problem: "\(path) is not a usable propensity model: \(error)",
                                       remedy: "give a model written by klant fit propensity (kind propensity)")
                }
                // A model fitted on a population (--where) scores only its rows; the others get no candidate.
                let population = try RowFilter.selection(population: model.population?.condition, where: nil)
                let scores = try model.predict(try customers(for: action, data: data), unseenLevels: unseenLevels, selecting: population)
                probability.append(spread(scores.ids, scores.probabilities))
                label.append("response")
            case .upliftModel(let path, let treatment, let data):
                let model: UpliftModel
                do { model = try UpliftModel.load(from: URL(fileURLWithPath: path)) } catch {
                    throw CatalogError(file: catalogPath, line: action.line, action: action.name,
                                       problem: "\(path) is not a usable uplift model: \(error)",
                                       remedy: "give a model written by klant fit uplift (kind uplift)")
                }
                guard let k = model.treatments.firstIndex(of: treatment) else {
                    throw CatalogError(file: catalogPath, line: action.line, action: action.name,
                                       problem: "the uplift model has no treatment \(treatment)",
                                       remedy: "use one of \(model.treatments.joined(separator: ", "))")
                }
                let scores = try model.predict(try customers(for: action, data: data), unseenLevels: unseenLevels)
                probability.append(spread(scores.ids, scores.uplift[k]))
                label.append("incremental response")
            }
        }
    }
}
