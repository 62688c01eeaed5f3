import CustomerData
import Foundation

/// Renders a `Report` as one self-contained HTML page: inline CSS and SVG, no scripts, no fonts or
/// images fetched from anywhere, laid out for screens and for print.
public enum HTMLPage {
    /// Largest data table shown under a chart (longer ones are in the notebook's CSV only).
    public static let maximumShownRows = 60

    /// Streams the page to `url` atomically.
    public static func write(_ report: Report, to url: URL) throws {
        let out = try AtomicFileStream(url: url)
        try render(report) { try out.write($0) }
        try out.commit()
    }

    /// The page as one string (tests, small reports).
    public static func text(_ report: Report) -> String {
        var s = ""
        try? render(report) { s += $0 }
        return s
    }

    static func render(_ report: Report, _ emit: (String) throws -> Void) throws {
        let e = SVG.escape
        try emit("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        try emit("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        try emit("<title>\(e(report.title))</title><style>\(css)</style></head><body>")
        try emit("<header><h1>\(e(report.title))</h1><p class=\"subtitle\">\(e(report.subtitle))</p>")
        try emit("<nav><strong>Contents</strong><ol>")
        for s in report.sections { try emit("<li><a href=\"#\(e(s.id))\">\(e(s.title))</a></li>") }
        try emit("</ol></nav></header><main>")
        for section in report.sections { try emit(html(section)) }
        try emit("</main><footer>Made by klant report. Charts are drawn by Klant as inline SVG; hover a mark for its value, or open the notebook for the data.</footer></body></html>\n")
    }

    static func html(_ section: ReportSection) -> String {
        let e = SVG.escape
        var s = "<section id=\"\(e(section.id))\"><h2>\(e(section.title))</h2>"
        for p in section.intro { s += "<p class=\"intro\">\(e(p))</p>" }
        var openGrid = false
        func closeGrid() { if openGrid { s += "</div>"; openGrid = false } }
        for block in section.blocks {
            switch block {
            case .figure(let f):
                if !openGrid { s += "<div class=\"figures\">"; openGrid = true }
                s += "<figure id=\"\(e(f.id))\"><h3>\(e(f.title))</h3>\(f.svg)<figcaption>\(e(f.caption))</figcaption>"
                let data = f.chart.data
                if data.rows.count <= maximumShownRows {
                    s += "<details><summary>Data (\(data.rows.count) rows)</summary>\(data.html)</details>"
                }
                s += "</figure>"
            case let .table(id, title, table):
                closeGrid()
                s += "<div class=\"table\" id=\"\(e(id))\"><h3>\(e(title))</h3>\(table.html)</div>"
            case .metrics(let metrics):
                closeGrid()
                s += "<div class=\"metrics\">"
                for m in metrics {
                    let value = m.cell.number.map { " data-value=\"\(NumberFormat.exact($0))\"" } ?? ""
                    s += "<div class=\"metric\"><div class=\"value\"\(value)>\(e(m.cell.display))</div><div class=\"label\">\(e(m.label))</div>"
                    if let d = m.detail { s += "<div class=\"detail\">\(e(d))</div>" }
                    s += "</div>"
                }
                s += "</div>"
            case .note(let text):
                closeGrid()
                s += "<p class=\"note\">\(e(text))</p>"
            }
        }
        closeGrid()
        return s + "</section>"
    }

    static let css = """
    :root{color-scheme:light}
    body{font-family:Helvetica,Arial,sans-serif;color:#222;margin:0;background:#fafafa;line-height:1.45}
    header{background:#fff;border-bottom:1px solid #ddd;padding:20px 32px}
    h1{margin:0 0 4px;font-size:26px}.subtitle{margin:0;color:#555}
    nav{margin-top:10px;font-size:14px}nav ol{display:inline;padding:0;margin:0 0 0 8px}
    nav li{display:inline;margin-right:14px}nav a{color:#0072B2;text-decoration:none}
    main{max-width:1360px;margin:0 auto;padding:8px 32px 32px}
    section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;margin:20px 0;padding:8px 24px 20px}
    h2{font-size:21px;border-bottom:2px solid #0072B2;padding-bottom:4px}h3{font-size:15px;margin:4px 0 6px}
    .intro{max-width:900px;color:#333}
    .figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:22px}
    figure{margin:0;break-inside:avoid;page-break-inside:avoid}
    figure svg{width:100%;height:auto;max-width:720px;display:block}
    figcaption{font-size:13px;color:#444;max-width:680px;margin-top:4px}
    details{font-size:12px;margin-top:4px}summary{cursor:pointer;color:#0072B2}
    table.data{border-collapse:collapse;font-size:13px;margin:4px 0 12px}
    table.data th,table.data td{border-bottom:1px solid #e3e3e3;padding:3px 10px;text-align:left}
    table.data th{background:#f2f2f2}table.data td.num{text-align:right;font-variant-numeric:tabular-nums}
    .table{overflow-x:auto;break-inside:avoid}
    .metrics{display:flex;flex-wrap:wrap;gap:12px;margin:10px 0 14px}
    .metric{border:1px solid #e3e3e3;border-left:4px solid #0072B2;border-radius:4px;padding:8px 14px;min-width:150px;background:#fcfcfc}
    .metric .value{font-size:22px;font-weight:bold;font-variant-numeric:tabular-nums}.metric .label{font-size:13px;color:#444}
    .metric .detail{font-size:12px;color:#666}
    .note{border-left:4px solid #E69F00;background:#fff8e8;padding:6px 12px;font-size:14px;max-width:900px}
    footer{color:#666;font-size:12px;text-align:center;padding:16px}
    @media print{body{background:#fff}header,section{border:none}section{padding:0}section+section{break-before:page}
    .figures{grid-template-columns:1fr}details{display:none}nav{display:none}}
    """
}
