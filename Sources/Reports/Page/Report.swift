import Foundation

/// What a report shows, independent of where it is shown: the HTML page and the notebook are both
/// rendered from one `Report`, so they carry the same content.
public struct Report: Sendable {
    public var title: String
    public var subtitle: String
    public var sections: [ReportSection]

    public init(title: String, subtitle: String = "", sections: [ReportSection] = []) {
        self.title = title; self.subtitle = subtitle; self.sections = sections
    }

    /// Every figure of every section, in order.
    public var figures: [Figure] {
        sections.flatMap { $0.blocks.compactMap { if case .figure(let f) = $0 { return f } else { return nil } } }
    }
}

/// One part of the report (a model, the value picture, the actions), with its own heading.
public struct ReportSection: Sendable {
    public var id: String
    public var title: String
    public var intro: [String]
    public var blocks: [ReportBlock]

    public init(id: String, title: String, intro: [String] = [], blocks: [ReportBlock] = []) {
        self.id = id; self.title = title; self.intro = intro; self.blocks = blocks
    }
}

public enum ReportBlock: Sendable {
    case figure(Figure)
    /// A table shown as it is (parameter tables, deciles, the value matrix); `id` names its CSV.
    case table(id: String, title: String, DataTable)
    /// Headline numbers (AUC, totals, shares), shown as tiles.
    case metrics([Metric])
    /// A sentence that explains or warns (e.g. "no intervals: the fit is penalised").
    case note(String)
}

/// A headline number with its label, and the value it came from (for the tests and the CSV).
public struct Metric: Sendable, Equatable {
    public var label: String
    public var cell: DataTable.Cell
    public var detail: String?

    public init(_ label: String, _ cell: DataTable.Cell, detail: String? = nil) {
        self.label = label; self.cell = cell; self.detail = detail
    }
}

/// A chart with its title and a caption saying how to read it.
public struct Figure: Sendable {
    /// Unique within the report; names the exported CSV and SVG (letters, digits, '-').
    public var id: String
    public var title: String
    public var caption: String
    public var chart: any Chart
    /// The rendered SVG (rendered once, shared by the page and the notebook).
    public let svg: String

    public init(id: String, title: String, caption: String, chart: any Chart) {
        self.id = id; self.title = title; self.caption = caption; self.chart = chart
        svg = chart.svg(title: title)
    }
}
