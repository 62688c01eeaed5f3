import Foundation
import Testing
@testable import CustomerData

/// The summary's sidecar `<summary>.meta.json`: written with every summary file, read back exactly,
/// and a damaged or conflicting one is a clear error.
@Suite struct SummaryMetadataTests {
    func daily() -> CustomerSummary {
        CustomerSummary(customerIDs: ["a", "b"], frequency: [1, 0], recency: [3, 0], T: [10, 4], monetaryValue: [5, 0], timeUnit: .day)
    }

    @Test func writingASummaryWritesItsUnitAndPeriodEndsBesideIt() throws {
        let path = try makeTempDirectory().appendingPathComponent("s.csv").path
        let calibration = try CalendarDay(parsing: "1997-09-30"), observation = try CalendarDay(parsing: "1998-06-30")
        try SummaryTable.write(daily(), toPath: path, calibrationEnd: calibration, observationEnd: observation)
        let text = try String(contentsOfFile: path + ".meta.json", encoding: .utf8)
        #expect(text.contains("\"time_unit\" : \"day\"") && text.contains("\"calibration_end\" : \"1997-09-30\"")
                && text.contains("\"observation_end\" : \"1998-06-30\"") && text.contains("\"format_version\" : 1"))
        let sidecar = try #require(try SummaryMetadata.read(forSummary: path))
        #expect(sidecar == SummaryMetadata(timeUnit: .day, calibrationEnd: calibration, observationEnd: observation, customers: 2))
        // Reading in the sidecar's unit gives back the summary.
        #expect(try SummaryTable.read(from: URL(fileURLWithPath: path), timeUnit: sidecar.timeUnit) == daily())
    }

    @Test func aSummaryWithoutSidecarHasNoMetadata() throws {
        let url = try writeTemp("customer_id,frequency,recency,T\na,1,2,3\n", name: "s.csv")
        #expect(try SummaryMetadata.read(forSummary: url.path) == nil)
    }

    @Test func rewritingASummaryReplacesItsSidecar() throws {
        let path = try makeTempDirectory().appendingPathComponent("s.csv").path
        try SummaryTable.write(daily(), toPath: path)
        var weekly = daily()
        weekly.timeUnit = .week
        try SummaryTable.write(weekly, toPath: path)
        #expect(try SummaryMetadata.read(forSummary: path)?.timeUnit == .week)
        #expect(try SummaryMetadata.read(forSummary: path)?.calibrationEnd == nil)
    }

    @Test func aDamagedOrNewerSidecarIsAnErrorNamingIt() throws {
        let url = try writeTemp("customer_id,frequency,recency,T\na,1,2,3\n", name: "s.csv")
        let sidecar = url.path + ".meta.json"
        for (text, problem) in [("{\"format_version\": 1, \"time_unit\": \"fortnight\"}", "damaged summary sidecar"),
                                ("{\"format_version\": 2, \"time_unit\": \"day\"}", "newer than this klant reads"),
                                ("not json", "not a summary sidecar"),
                                ("{\"format_version\": 1, \"time_unit\": \"day\", \"calibration_end\": \"1997-13-01\"}", "damaged summary sidecar")] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: sidecar))
            #expect { try SummaryMetadata.read(forSummary: url.path) } throws: {
                "\($0)".contains(sidecar) && "\($0)".contains(problem)
            }
        }
    }

    @Test func aGivenUnitMustAgreeWithTheSidecar() throws {
        let sidecar = SummaryMetadata(timeUnit: .day)
        #expect(try SummaryMetadata.unit(given: nil, sidecar: sidecar, summaryPath: "s.csv") == .day)
        #expect(try SummaryMetadata.unit(given: .day, sidecar: sidecar, summaryPath: "s.csv") == .day)
        #expect(try SummaryMetadata.unit(given: .month, sidecar: nil, summaryPath: "s.csv") == .month)
        #expect(try SummaryMetadata.unit(given: nil, sidecar: nil, summaryPath: "s.csv") == nil)
        #expect { try SummaryMetadata.unit(given: .week, sidecar: sidecar, summaryPath: "s.csv") } throws: {
            "\($0)".contains("--unit week") && "\($0)".contains("in days") && "\($0)".contains("s.csv.meta.json")
        }
    }
}
