import Churn
import CustomerData
import Foundation

/// A campaign's customers as the evaluation needs them: for each treatment the rows that got it
/// and the rows of its control group, the outcome values of every row, and optional contact costs.
/// Built from one table with a treatment column (a randomised experiment such as Hillstrom), or
/// from an action list with control flags joined with a responses file.
public struct CampaignData: Sendable {
    public var treatments: [String]
    /// Per treatment: indices of the treated rows and of the control rows.
    public var treatedRows: [[Int]]
    public var controlRows: [[Int]]
    /// Per outcome name: one value per row.
    public var outcomes: [String: [Double]]
    /// Contact cost per row (from the action list), when given.
    public var costs: [Double]?
    /// Counted problems that did not stop the evaluation (unmatched ids), for the report.
    public var notes: [String] = []

    /// One table with a treatment column: every non-control value is a treatment, compared with the control rows.
    public init(table: CustomerTable, treatmentColumn: String, control: String, outcomes names: [String]) throws {
        let arms = try TreatmentArms(table: table, column: treatmentColumn, control: control)
        treatments = arms.treatments
        let control = arms.armOfRow.indices.filter { arms.armOfRow[$0] == 0 }
        treatedRows = arms.treatments.indices.map { k in arms.armOfRow.indices.filter { arms.armOfRow[$0] == k + 1 } }
        controlRows = Array(repeating: control, count: arms.treatments.count)
        outcomes = try Self.readOutcomes(table, names, rows: Array(0..<table.rowCount))
        costs = nil
    }

    /// An action list (customer id, action, control flag, optional cost) joined by customer id with
    /// a responses file (customer id, outcome columns). Each action's control group is its rows
    /// flagged as control; when an action has none, control rows with a blank action serve every
    /// action. Action customers without a responses row count as outcome 0 (no response), and are
    /// counted; response ids without an action are counted and ignored; no shared id is an error.
    public init(actions: CustomerTable, responses: CustomerTable, idColumn: String, actionColumn: String,
                controlColumn: String, costColumn: String?, outcomes names: [String]) throws {
        for (t, c) in [(actions, idColumn), (actions, actionColumn), (actions, controlColumn), (responses, idColumn)] + (costColumn.map { [(actions, $0)] } ?? []) {
            guard t.hasColumn(c) else { throw ResponseError.invalidInput("\(t.source): no column '\(c)'; columns are \(t.columnNames.joined(separator: ", "))") }
        }
        let ids = try actions.column(named: idColumn), action = try actions.column(named: actionColumn)
        let flags = try actions.column(named: controlColumn)
        let isControl = try flags.indices.map { i -> Bool in
            guard let b = ValueParsing.boolean(flags[i]) else {
                throw ResponseError.invalidInput("\(actions.source) line \(actions.lineNumbers[i]): control flag '\(flags[i])' in column '\(controlColumn)' is not 1/0, yes/no or true/false")
            }
            return b == 1
        }
        let responseIDs = try responses.column(named: idColumn)
        var responseRow: [String: Int] = [:]
        for (i, id) in responseIDs.enumerated() {
            if responseRow.updateValue(i, forKey: id) != nil {
                throw ResponseError.invalidInput("\(responses.source) line \(responses.lineNumbers[i]): customer '\(id)' has a second responses row; give one row per customer")
            }
        }
        let matched = ids.filter { responseRow[$0] != nil }.count
        guard matched > 0 else {
            throw ResponseError.invalidInput("the action list \(actions.source) and the responses \(responses.source) share no customer id in column '\(idColumn)'; check the id column and the files")
        }
        let responseValues = try Self.readOutcomes(responses, names, rows: Array(0..<responses.rowCount))
        outcomes = names.reduce(into: [:]) { out, name in
            out[name] = ids.map { id in responseRow[id].map { responseValues[name]![$0] } ?? 0 }
        }
        let actionIDs = Set(ids)
        if matched < ids.count { notes.append("\(ids.count - matched) of \(ids.count) action-list customers have no responses row: counted as no response (0)") }
        let unused = responseIDs.filter { !actionIDs.contains($0) }.count
        if unused > 0 { notes.append("\(unused) responses rows name customers not in the action list: ignored") }

        var order: [String] = []
        for (i, a) in action.enumerated() where !isControl[i] && !order.contains(a) {
            guard !a.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ResponseError.invalidInput("\(actions.source) line \(actions.lineNumbers[i]): a treated row (control flag 0) needs an action")
            }
            order.append(a)
        }
        guard !order.isEmpty else { throw ResponseError.invalidInput("\(actions.source): every row is a control row; there is no treatment to evaluate") }
        treatments = order
        treatedRows = order.map { a in action.indices.filter { action[$0] == a && !isControl[$0] } }
        let pooled = action.indices.filter { isControl[$0] && action[$0].trimmingCharacters(in: .whitespaces).isEmpty }
        controlRows = try order.map { a in
            let own = action.indices.filter { action[$0] == a && isControl[$0] }
            if !own.isEmpty { return own }
            guard !pooled.isEmpty else {
                throw ResponseError.invalidInput("\(actions.source): action '\(a)' has no control customers (rows with \(controlColumn) = 1 and this action or a blank action)")
            }
            return pooled
        }
        if let costColumn {
            let raw = try actions.column(named: costColumn)
            costs = try raw.indices.map { i in
                guard let v = ValueParsing.number(raw[i]), v.isFinite, v >= 0 else {
                    throw ResponseError.invalidInput("\(actions.source) line \(actions.lineNumbers[i]): cost '\(raw[i])' in column '\(costColumn)' is not a number ≥ 0")
                }
                return v
            }
        }
    }

    /// Numeric outcome columns; a missing column, a blank or a non-number is an error naming the line.
    static func readOutcomes(_ table: CustomerTable, _ names: [String], rows: [Int]) throws -> [String: [Double]] {
        guard !names.isEmpty else { throw ResponseError.invalidInput("name at least one outcome column (--outcome)") }
        var out: [String: [Double]] = [:]
        for name in names {
            guard table.hasColumn(name) else {
                throw ResponseError.invalidInput("\(table.source): no outcome column '\(name)'; columns are \(table.columnNames.joined(separator: ", "))")
            }
            let raw = try table.column(named: name)
            out[name] = try rows.map { i in
                guard let v = ValueParsing.number(raw[i]) ?? ValueParsing.boolean(raw[i]), v.isFinite else {
                    throw ResponseError.invalidInput("\(table.source) line \(table.lineNumbers[i]): outcome '\(name)' is '\(raw[i])', not a number (0/1 for responses, an amount for revenue)")
                }
                return v
            }
        }
        return out
    }
}
