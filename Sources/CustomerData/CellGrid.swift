/// A table kept by column whose cells can be read one at a time: `TableWriter` formats such a
/// table straight from its columns, on all cores, without making a `[CSVCell]` per row.
public protocol CellGrid: Sendable {
    var rowCount: Int { get }
    var columnCount: Int { get }
    /// The cell at `row`, `column`; must only read shared data (rows are made on all cores).
    func cell(row: Int, column: Int) -> CSVCell
}

/// The rows of a `CellGrid` as `[CSVCell]` arrays, for sinks that take rows (a database table);
/// `TableWriter` recognises it and reads the cells directly.
public struct CellRows<Grid: CellGrid>: RandomAccessCollection, Sendable {
    public let grid: Grid

    public init(_ grid: Grid) { self.grid = grid }

    public var startIndex: Int { 0 }
    public var endIndex: Int { grid.rowCount }

    public subscript(row: Int) -> [CSVCell] {
        (0..<grid.columnCount).map { grid.cell(row: row, column: $0) }
    }
}

/// Lets `TableWriter` find the grid behind any `CellRows`.
protocol CellGridRows {
    associatedtype Grid: CellGrid
    var grid: Grid { get }
}

extension CellRows: CellGridRows {}
