import Foundation
import Scoring

/// `KlantBenchmarks segments --data DIR [--repeats 5]`
///
/// Loads the base written by scripts/peers/segments_bench_data.py (float64 columns) and times the
/// value analytics of `klant score` in-process: value matrix (median splits), RFM scores and
/// segments, profit deciles, profitability picture, table by channels used; each on its own and
/// all together (median of `repeats` runs; loading is not timed). Prints JSON lines with
/// checksums that scripts/bench-segments.sh compares with pandas' on the same data.
func runSegmentsBenchmark(_ args: [String]) throws {
    var options: [String: String] = [:]
    var i = 0
    while i + 1 < args.count { options[args[i]] = args[i + 1]; i += 2 }
    guard let dir = options["--data"] else {
        FileHandle.standardError.write("segments benchmark: --data DIR is required\n".data(using: .utf8)!)
        exit(2)
    }
    let repeats = Int(options["--repeats"] ?? "5") ?? 5
    func column(_ name: String) throws -> [Double] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent("\(name).f64"))
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 8)).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
    }
    let frequency = try column("frequency"), recency = try column("recency"), T = try column("T")
    let monetary = try column("monetary"), revenue = try column("revenue"), net = try column("net")
    let clv = try column("clv"), channels = try column("channels").map { Int($0) }
    let n = net.count

    var matrix: ValueMatrix?, rfm: RFMScores?, deciles: [UInt8] = [], picture: ProfitabilityPicture?, table: ChannelValueTable?
    report("segments-klant-value-matrix", times: try timeRuns(repeats: repeats) { matrix = try ValueMatrix(historicNetValue: net, clv: clv) },
           extra: ["customers": n])
    report("segments-klant-rfm", times: try timeRuns(repeats: repeats) {
        rfm = try RFMScores(frequency: frequency, recency: recency, T: T, monetaryValue: monetary)
    })
    report("segments-klant-deciles", times: try timeRuns(repeats: repeats) { deciles = try ProfitDecile.deciles(netValue: net) })
    report("segments-klant-picture", times: try timeRuns(repeats: repeats) {
        picture = try ProfitabilityPicture(revenue: revenue, netValue: net)
    })
    report("segments-klant-channels", times: try timeRuns(repeats: repeats) {
        table = try ChannelValueTable(channelsUsed: channels, revenue: revenue, clv: clv)
    })
    let all = try timeRuns(repeats: repeats) {
        matrix = try ValueMatrix(historicNetValue: net, clv: clv)
        rfm = try RFMScores(frequency: frequency, recency: recency, T: T, monetaryValue: monetary)
        deciles = try ProfitDecile.deciles(netValue: net)
        picture = try ProfitabilityPicture(revenue: revenue, netValue: net)
        table = try ChannelValueTable(channelsUsed: channels, revenue: revenue, clv: clv)
    }
    let codeSum = (0..<n).reduce(0) { $0 + rfm!.code(at: $1) }
    report("segments-klant", times: all, extra: [
        "customers": n,
        "quadrants": matrix!.quadrants.map(\.customers),
        "rfm_code_sum": codeSum,
        "decile_sum": deciles.reduce(0) { $0 + Int($1) },
        "revenue_share_top5pct": picture!.revenueShareTop,
        "profit_share_top20pct": picture!.profitShareTop,
        "gini": picture!.gini,
        "lorenz_max": picture!.lorenz.filter { $0[0] != picture!.peakCustomerShare }.map { $0[1] }.max()!,
        "channel_mean_revenue": table!.rows.map(\.meanRevenue),
    ])
}
