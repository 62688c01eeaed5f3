import CustomerData
import Foundation

/// The arms of a randomised campaign read from a treatment column: the control value and the
/// treatments in order of first appearance, with every row's arm (0 = control, k = treatment k).
public struct TreatmentArms: Sendable, Equatable {
    public var column: String
    public var control: String
    public var treatments: [String]
    /// Per table row: 0 for control, 1...treatments.count for the treatments.
    public var armOfRow: [Int]

    /// Names of all arms, control first.
    public var names: [String] { [control] + treatments }

    /// Reads the arms from `table[column]`. Errors: the column is missing, it has one level, the
    /// control value does not occur, or a value is blank (with its line).
    public init(table: CustomerTable, column: String, control: String) throws {
        guard table.hasColumn(column) else {
            throw ResponseError.invalidInput("\(table.source): no treatment column '\(column)'; columns are \(table.columnNames.joined(separator: ", "))")
        }
        let values = try table.column(named: column)
        var order: [String] = [], index: [String: Int] = [:], arms = [Int](repeating: 0, count: values.count)
        var controlSeen = false
        for (i, raw) in values.enumerated() {
            let v = raw.trimmingCharacters(in: .whitespaces)
            if v.isEmpty { throw ResponseError.invalidInput("\(table.source) line \(table.lineNumbers[i]): blank treatment in column '\(column)'; every row needs its arm") }
            if v == control { controlSeen = true; continue }
            if let k = index[v] { arms[i] = k; continue }
            order.append(v); index[v] = order.count; arms[i] = order.count
        }
        guard controlSeen else {
            let seen = (order.prefix(10)).map { "'\($0)'" }.joined(separator: ", ")
            throw ResponseError.invalidInput("\(table.source): the control value '\(control)' does not occur in column '\(column)' (values: \(seen)); give --control with one of them")
        }
        guard !order.isEmpty else {
            throw ResponseError.invalidInput("\(table.source): column '\(column)' has one level ('\(control)'): there is no treatment to compare with the control")
        }
        self.column = column; self.control = control; self.treatments = order; self.armOfRow = arms
    }

    /// Row indices (into `rows`' values' table) of each arm, control first, among `rows`.
    public func rowsByArm(_ rows: [Int]) -> [[Int]] {
        var out = [[Int]](repeating: [], count: treatments.count + 1)
        for (r, i) in rows.enumerated() { out[armOfRow[i]].append(r) }
        return out
    }
}
