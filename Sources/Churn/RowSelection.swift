import CustomerData

/// The rows of a customer table a model is about (e.g. the customers with internet service, for a
/// propensity to buy online security), chosen by a condition over the table's columns. The churn
/// module applies and records it; the condition language is the rules' (`Actions.RowFilter` builds one).
public struct RowSelection: Sendable {
    /// The condition as the user wrote it, e.g. `InternetService != 'No'`; stored in the model file.
    public var condition: String
    /// The indices of the rows of a table that satisfy the condition, in table order.
    public var rows: @Sendable (CustomerTable) throws -> [Int]

    public init(condition: String, rows: @escaping @Sendable (CustomerTable) throws -> [Int]) {
        self.condition = condition
        self.rows = rows
    }

    /// The rows of `table` that satisfy the condition; none is an error naming the condition.
    public func apply(to table: CustomerTable) throws -> CustomerTable {
        let selected = try rows(table)
        guard !selected.isEmpty || table.rowCount == 0 else {
            throw ChurnError.invalidOption("no row of \(table.source) satisfies --where \(condition) (of \(table.rowCount) rows); check the condition's values against the data")
        }
        return table.selectingRows(selected)
    }
}
