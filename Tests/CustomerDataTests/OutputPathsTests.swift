import Foundation
import Testing
@testable import CustomerData

/// An output must never be one of the inputs (or another output), however the path is spelled.
@Suite struct OutputPathsTests {
    func refusal(_ outputs: [OutputPaths.Named], _ inputs: [OutputPaths.Named]) -> InputError? {
        inputError { try OutputPaths.checkDistinct(outputs: outputs, inputs: inputs) }
    }

    @Test func theSamePathSpelledDifferentlyIsRefused() throws {
        let input = try writeTemp("customer_id,date\nA,2020-01-01\n")
        let dir = input.deletingLastPathComponent()
        let spelled = dir.path + "/./sub/../" + input.lastPathComponent
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let e = refusal([.init("--out", spelled)], [.init("FILE", input.path)])
        #expect(e?.kind == .outputIsInput)
        #expect(e?.description.contains("--out") == true)
    }

    @Test func aSymlinkOrHardLinkToTheInputIsRefused() throws {
        let input = try writeTemp("customer_id,date\nA,2020-01-01\n")
        let dir = input.deletingLastPathComponent()
        let soft = dir.appendingPathComponent("soft.csv").path, hard = dir.appendingPathComponent("hard.csv").path
        try FileManager.default.createSymbolicLink(atPath: soft, withDestinationPath: input.path)
        try FileManager.default.linkItem(atPath: input.path, toPath: hard)
        #expect(refusal([.init("--out", soft)], [.init("FILE", input.path)])?.kind == .outputIsInput)
        #expect(refusal([.init("--out", hard)], [.init("FILE", input.path)])?.kind == .outputIsInput)
        #expect(refusal([.init("--out", input.path)], [.init("FILE", soft)])?.kind == .outputIsInput)
    }

    @Test func aNewFileInASymlinkedDirectoryIsComparedByItsResolvedPath() throws {
        let dir = try makeTempDirectory()
        let real = dir.appendingPathComponent("real"), alias = dir.appendingPathComponent("alias")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: alias, withDestinationURL: real)
        // Two outputs that do not exist yet but are the same file.
        let e = refusal([.init("--out", real.path + "/s.csv"), .init("--rejects", alias.path + "/s.csv")], [])
        #expect(e?.kind == .outputIsInput)
        #expect(e?.problem.contains("--rejects") == true)
    }

    @Test func distinctFilesStandardStreamsAndURLsPass() throws {
        let input = try writeTemp("customer_id,date\nA,2020-01-01\n")
        let dir = input.deletingLastPathComponent()
        #expect(refusal([.init("--out", dir.appendingPathComponent("s.csv").path), .init("--rejects", "-")],
                        [.init("FILE", input.path), .init("--data", "-")]) == nil)
        #expect(refusal([.init("--out", "postgresql://db/x")], [.init("FILE", "postgresql://db/x")]) == nil)
    }
}
