import Churn
import CustomerData
import Foundation
import Models
import Responses
import Testing
@testable import Reports

/// The whole page: self-contained, rendered by headless Chromium without console errors, and the
/// notebook valid and executable.
@Suite(.serialized) struct PageTests {
    /// A report over the committed models, a summary, Telco, a constructed score table and action list.
    static func fullReport(in directory: URL) throws -> Report {
        let summary = try SectionNumbersTests.cdnowSummary()
        let scores = directory.appendingPathComponent("scores.csv")
        try ConstructedScores(customers: 2000).write(to: scores)
        let actions = try PlannedActions(in: directory).list
        let crossSell = directory.appendingPathComponent("shop-cross-sell.json")
        let log = ActionsCampaignCrossSellTests.purchaseLog()
        let model = try CrossSellModel.fit(log, calibrationEnd: CalendarDay(dayNumber: 15_040), neighbours: 10)
        try model.write(to: crossSell)
        var inputs = ReportInputs()
        for k in [3, 5] {
            let url = directory.appendingPathComponent("shop-eval-\(k).csv")
            try CrossSellEvaluation(model: model, log: log, k: k).write(to: url.path)
            inputs.crossSellEvaluations.append(url)
        }
        let campaign = directory.appendingPathComponent("campaign.csv")
        try ActionsCampaignCrossSellTests.hillstromEvaluation().write(to: campaign.path)
        inputs.campaign = campaign
        inputs.models = ["cdnow-bgnbd", "cdnow-gamma-gamma", "telco-churn"].map { packageRoot.appendingPathComponent("models/\($0).json") } + [crossSell]
        inputs.summary = summary
        inputs.dailyPurchases = try TrackingTests.cdnowRun().dailyPurchases
        inputs.calibrationEnd = TrackingTests.calibrationEnd
        inputs.churnData = packageRoot.appendingPathComponent("datasets/telco_churn.csv")
        inputs.scores = [scores]
        inputs.actions = actions
        return try ReportBuilder.build(inputs, title: "Klant report <test> & co")
    }

    @Test func pageIsSelfContainedAndEveryChartIsWellFormedWithData() throws {
        let directory = try temporaryDirectory()
        let report = try Self.fullReport(in: directory)
        let html = HTMLPage.text(report)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url(http") && !html.contains("@import"))
        #expect(html.contains("Klant report &lt;test&gt; &amp; co"))
        #expect(report.figures.count >= 15)
        var ids = Set<String>()
        for figure in report.figures {
            #expect(ids.insert(figure.id).inserted, "duplicate figure id \(figure.id)")
            #expect(html.contains(figure.svg))
            let svg = try ParsedSVG(figure.svg)
            let marks = try svg.elements(className: "mark").count + svg.elements(className: "bar").count + svg.elements(className: "cell").count
                + svg.elements(className: "series").count + svg.elements(className: "quadrant").count
            #expect(marks > 0, "chart \(figure.id) has no marks")
            #expect(try !svg.texts(className: "axis-label").isEmpty, "chart \(figure.id) has no axis labels")
            #expect(!figure.chart.data.rows.isEmpty)
        }
        // Shown metric values carry the exact number they display.
        for section in report.sections {
            for m in section.metrics {
                if let x = m.cell.number, x.isFinite { #expect(html.contains("data-value=\"\(NumberFormat.exact(x))\">\(SVG.escape(m.cell.display))<")) }
            }
        }
        let written = directory.appendingPathComponent("report.html")
        try HTMLPage.write(report, to: written)
        #expect(try String(contentsOf: written, encoding: .utf8) == html)
    }

    /// Console messages Chromium logged while loading `page` (with --enable-logging=stderr, console
    /// calls and failed loads are logged as CONSOLE lines), and the screenshot's size.
    static func render(_ page: URL, screenshot: URL) throws -> (consoleLines: [String], pngBytes: Int, status: Int32) {
        let chromium = try chromiumPath()
        let profile = try temporaryDirectory()
        let result = try run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                                        "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
                                        "--window-size=1400,4000", "--screenshot=\(screenshot.path)", page.absoluteString])
        let lines = result.err.split(separator: "\n").map(String.init).filter {
            $0.contains("CONSOLE") || $0.contains("Uncaught") || $0.contains("Failed to load resource")
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0
        return (lines, bytes, result.status)
    }

    @Test func chromiumRendersThePageWithoutConsoleErrors() throws {
        let directory = try temporaryDirectory()
        let page = directory.appendingPathComponent("report.html")
        try HTMLPage.write(try Self.fullReport(in: directory), to: page)
        let shot = directory.appendingPathComponent("report.png")
        let result = try Self.render(page, screenshot: shot)
        #expect(result.status == 0)
        #expect(result.consoleLines.isEmpty, "console: \(result.consoleLines)")
        #expect(result.pngBytes > 50_000, "screenshot \(result.pngBytes) bytes: the page looks empty")
        let png = try Data(contentsOf: shot)
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }

    /// The console check can fail: a page with a script error and a missing image is caught.
    @Test func consoleCheckCatchesAScriptErrorAndAFailedLoad() throws {
        let directory = try temporaryDirectory()
        let page = directory.appendingPathComponent("bad.html")
        try "<html><body><img src=\"missing.png\"><script>console.error('broken'); undefinedFunction();</script></body></html>"
            .write(to: page, atomically: true, encoding: .utf8)
        let result = try Self.render(page, screenshot: directory.appendingPathComponent("bad.png"))
        #expect(result.consoleLines.count >= 2, "console: \(result.consoleLines)")
    }

    @Test func notebookValidatesAndExecutesFromItsOwnFolder() throws {
        let python = try notebookPython()
        let directory = try temporaryDirectory()
        let notebook = directory.appendingPathComponent("exports/full.ipynb")
        try FileManager.default.createDirectory(at: notebook.deletingLastPathComponent(), withIntermediateDirectories: true)
        let report = try Self.fullReport(in: directory)
        try Notebook.write(report, to: notebook)
        // Every figure's SVG and CSV is in the data folder, byte for byte what the page shows.
        for figure in report.figures {
            let svg = try String(contentsOf: notebook.deletingLastPathComponent().appendingPathComponent("full-data/\(figure.id).svg"), encoding: .utf8)
            #expect(svg == figure.svg + "\n")
        }
        try Self.validateAndExecute(notebook, python: python)
    }

    @Test func committedNotebooksValidateAndExecute() throws {
        let python = try notebookPython()
        let folder = packageRoot.appendingPathComponent("notebooks-export")
        let notebooks = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".ipynb") }.sorted()
        #expect(notebooks == ["campaigns.ipynb", "cdnow.ipynb", "telco.ipynb"])
        // Executed in a copy, so the run leaves the committed files untouched.
        let copy = try temporaryDirectory().appendingPathComponent("notebooks-export")
        try FileManager.default.copyItem(at: folder, to: copy)
        for name in notebooks { try Self.validateAndExecute(copy.appendingPathComponent(name), python: python) }
    }

    static func validateAndExecute(_ notebook: URL, python: String) throws {
        let validate = try run(python, ["-c", "import nbformat, sys; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); print(len(nb.cells))", notebook.path])
        #expect(validate.status == 0, "nbformat.validate: \(validate.err)")
        let executed = notebook.deletingPathExtension().lastPathComponent + "-executed.ipynb"
        let result = try run(python, ["-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=300",
                                      "--output", executed, notebook.lastPathComponent],
                             directory: notebook.deletingLastPathComponent())
        #expect(result.status == 0, "nbconvert --execute \(notebook.lastPathComponent): \(result.err.suffix(3000))")
        let out = try Data(contentsOf: notebook.deletingLastPathComponent().appendingPathComponent(executed))
        let json = try JSONSerialization.jsonObject(with: out) as? [String: Any]
        let cells = json?["cells"] as? [[String: Any]] ?? []
        let errors = cells.flatMap { ($0["outputs"] as? [[String: Any]]) ?? [] }.filter { $0["output_type"] as? String == "error" }
        #expect(errors.isEmpty)
        #expect(cells.contains { ($0["outputs"] as? [[String: Any]])?.contains { (($0["data"] as? [String: Any])?["image/png"]) != nil } == true },
                "no matplotlib figure was drawn")
    }
}
