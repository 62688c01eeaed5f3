import CustomerData
import Foundation

/// Writes a `Report` as a Jupyter notebook (nbformat 4.5) next to a folder of its data: for every
/// figure its SVG and its CSV, for every table its CSV. The notebook shows the same content as the
/// page (SVGs as `image/svg+xml` outputs, tables as HTML outputs) and adds code cells that reload
/// the CSVs with pandas and redraw the charts with matplotlib, with paths relative to the notebook,
/// so it runs with `jupyter nbconvert --execute` from its own folder.
public enum Notebook {
    /// The data folder of a notebook: `cdnow.ipynb` → `cdnow-data`.
    public static func dataFolderName(for notebook: URL) -> String {
        notebook.deletingPathExtension().lastPathComponent + "-data"
    }

    /// Writes the notebook and its data folder (each file atomically).
    public static func write(_ report: Report, to url: URL) throws {
        let folderName = dataFolderName(for: url)
        let folder = url.deletingLastPathComponent().appendingPathComponent(folderName)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in dataFiles(report) {
            try AtomicFile.write(file.text, to: folder.appendingPathComponent(file.name))
        }
        let data = try JSONSerialization.data(withJSONObject: document(report, dataFolder: folderName),
                                              options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try AtomicFile.write(data + Data("\n".utf8), to: url)
    }

    /// The files of the data folder: `<figure id>.svg`, `<figure id>.csv`, `<table id>.csv`.
    public static func dataFiles(_ report: Report) -> [(name: String, text: String)] {
        var files: [(String, String)] = []
        for section in report.sections {
            for block in section.blocks {
                switch block {
                case .figure(let f):
                    files.append(("\(f.id).svg", f.svg + "\n"))
                    files.append(("\(f.id).csv", f.chart.data.csv))
                case let .table(id, _, table):
                    files.append(("\(id).csv", table.csv))
                case .metrics, .note:
                    break
                }
            }
        }
        return files
    }

    /// The notebook as a JSON object (nbformat 4.5).
    public static func document(_ report: Report, dataFolder: String) -> [String: Any] {
        var cells = Cells()
        cells.markdown("# \(report.title)\n\n\(report.subtitle)\n\nThe figures below are the ones of the HTML report; "
                       + "each is followed by code that reads its data from `\(dataFolder)/` and redraws it with matplotlib, to continue from.")
        cells.code("""
            import pandas as pd
            import matplotlib
            import matplotlib.pyplot as plt
            from IPython.display import SVG, HTML, display
            DATA = \(dataFolder.pythonLiteral)
            """)
        for section in report.sections {
            cells.markdown("## \(section.title)" + (section.intro.isEmpty ? "" : "\n\n" + section.intro.joined(separator: "\n\n")))
            for block in section.blocks {
                switch block {
                case .figure(let f):
                    cells.markdown("### \(f.title)\n\n\(f.caption)")
                    cells.code("display(SVG(filename=f\"{DATA}/\(f.id).svg\"))",
                               outputs: [["output_type": "display_data", "metadata": [String: Any](),
                                          "data": ["image/svg+xml": lines(f.svg), "text/plain": ["<IPython.core.display.SVG object>"]]]])
                    cells.code("df = pd.read_csv(f\"{DATA}/\(f.id).csv\")\n\(f.chart.matplotlib)\nplt.show()")
                case let .table(id, title, table):
                    cells.markdown("### \(title)")
                    cells.code("pd.read_csv(f\"{DATA}/\(id).csv\")", result: ["text/html": lines(table.html), "text/plain": lines(plainText(table))])
                case .metrics(let metrics):
                    cells.markdown(metrics.map { "- **\($0.label)**: \($0.cell.display)" + ($0.detail.map { " (\($0))" } ?? "") }.joined(separator: "\n"))
                case .note(let text):
                    cells.markdown("> \(text)")
                }
            }
        }
        return [
            "nbformat": 4, "nbformat_minor": 5,
            "metadata": [
                "kernelspec": ["name": "python3", "display_name": "Python 3", "language": "python"],
                "language_info": ["name": "python"],
            ] as [String: Any],
            "cells": cells.items,
        ]
    }

    /// Source and output text as nbformat's list of lines (each but the last ending in a newline).
    static func lines(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for c in text {
            current.append(c)
            if c == "\n" { out.append(current); current = "" }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    static func plainText(_ table: DataTable) -> String {
        ([table.columns.joined(separator: "  ")] + table.rows.map { $0.map(\.display).joined(separator: "  ") }).joined(separator: "\n")
    }

    /// Cells with stable ids (nbformat 4.5 requires an id per cell).
    struct Cells {
        var items: [[String: Any]] = []
        var executionCount = 0

        mutating func markdown(_ text: String) {
            items.append(["cell_type": "markdown", "id": "cell-\(items.count + 1)", "metadata": [String: Any](), "source": Notebook.lines(text)])
        }

        mutating func code(_ text: String, outputs: [[String: Any]] = [], result: [String: Any]? = nil) {
            executionCount += 1
            var all = outputs
            if let result {
                all.append(["output_type": "execute_result", "execution_count": executionCount, "metadata": [String: Any](), "data": result])
            }
            items.append(["cell_type": "code", "id": "cell-\(items.count + 1)", "metadata": [String: Any](), "source": Notebook.lines(text),
                          "execution_count": all.isEmpty ? NSNull() : executionCount as Any, "outputs": all])
        }
    }
}
