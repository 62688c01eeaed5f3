import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Reports

/// The package root: this file is Tests/ReportsTests/TestSupport.swift.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

struct ReportTestError: Error, CustomStringConvertible { var description: String }

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("klant-reports-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// An SVG parsed as XML (so it is also checked to be well-formed), with XPath queries that ignore
/// the SVG namespace.
struct ParsedSVG {
    let document: XMLDocument

    init(_ svg: String) throws { document = try XMLDocument(xmlString: svg, options: []) }

    /// Elements named `name` whose class list contains `className`.
    func elements(_ name: String? = nil, className: String) throws -> [XMLElement] {
        let nodes = try document.nodes(forXPath: "//*[contains(concat(' ', @class, ' '), ' \(className) ')]")
        return nodes.compactMap { $0 as? XMLElement }.filter { name == nil || $0.localName == name || $0.name == name }
    }

    func texts(className: String) throws -> [String] { try elements(className: className).map { $0.stringValue ?? "" } }
}

extension XMLElement {
    /// By scanning `attributes`: swift-corelibs-foundation's `attribute(forName:)` finds nothing in an
    /// element under a default namespace (as every SVG element is).
    func attribute(_ name: String) -> String? { attributes?.first { $0.name == name }?.stringValue }
    func number(_ name: String) -> Double? { attribute(name).flatMap(Double.init) }
}

/// Runs a program and returns its exit status, standard output and standard error.
@discardableResult
func run(_ executable: String, _ arguments: [String], directory: URL? = nil, environment: [String: String]? = nil) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("klant-run-\(UUID().uuidString).out")
    let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("klant-run-\(UUID().uuidString).err")
    _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: outFile); try? FileManager.default.removeItem(at: errFile) }
    process.standardOutput = try FileHandle(forWritingTo: outFile)
    process.standardError = try FileHandle(forWritingTo: errFile)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, (try? String(contentsOf: outFile, encoding: .utf8)) ?? "", (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
}

/// The notebook interpreter (env KLANT_NB_PYTHON, set by `make test`): nbformat, nbconvert,
/// ipykernel, pandas, matplotlib. Missing is a failure, not a skip.
func notebookPython() throws -> String {
    guard let python = ProcessInfo.processInfo.environment["KLANT_NB_PYTHON"], !python.isEmpty else {
        throw ReportTestError(description: "KLANT_NB_PYTHON is not set: run the tests with `make test` (it installs the notebook venv and exports KLANT_NB_PYTHON), or export KLANT_NB_PYTHON=<venv>/bin/python")
    }
    return python
}

/// Debian's headless Chromium (installed by scripts/install-peers.sh). Missing is a failure.
func chromiumPath() throws -> String {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] where FileManager.default.isExecutableFile(atPath: candidate) {
        return candidate
    }
    throw ReportTestError(description: "chromium is not installed: run the tests with `make test` (scripts/install-peers.sh installs Debian's chromium)")
}
