import Churn
import CustomerData
import Dispatch
import Foundation
import Linalg
import Responses

/// Parses `--key value` pairs.
private func options(_ args: [String]) -> [String: String] {
    var out: [String: String] = [:]
    var i = 0
    while i + 1 < args.count { out[args[i]] = args[i + 1]; i += 2 }
    return out
}

private func readDoubles(_ dir: String, _ name: String, count: Int) throws -> [Double] {
    let data = try Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent(name))
    guard data.count == count * 8 else { throw ResponseError.invalidInput("\(name): \(data.count) bytes, expected \(count * 8)") }
    return data.withUnsafeBytes { raw in (0..<count).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) } }
}

/// `KlantBenchmarks uplift --data DIR [--l2 1] [--repeats 3]`: the two-model uplift fit (a logistic
/// model per arm through `UpliftModel.fitParts`) on the data of scripts/peers/uplift_bench_data.py
/// (column-major features, 0/1 treatment and outcome). Loading is not timed. Prints the arms'
/// coefficients so scripts/bench-responses.sh can check them against scikit-learn.
func runUpliftBenchmark(_ args: [String]) throws {
    let o = options(args)
    guard let dir = o["--data"] else { throw ResponseError.invalidInput("uplift benchmark: --data DIR is required") }
    let l2 = Double(o["--l2"] ?? "1") ?? 1, repeats = Int(o["--repeats"] ?? "3") ?? 3
    let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent("meta.json"))) as! [String: Any]
    let n = meta["rows"] as! Int, p = meta["features"] as! Int
    var values = [Double](repeating: 1, count: n)
    values.append(contentsOf: try readDoubles(dir, "X.f64", count: n * p))
    let names = ["intercept"] + (1...p).map { "x\($0)" }
    let x = Matrix(rows: n, columns: p + 1, columnMajor: values)
    let y = try readDoubles(dir, "y.f64", count: n), arm = try readDoubles(dir, "t.f64", count: n).map { Int($0) }
    var parts: [UpliftModel.Part] = []
    let start = processCPUSeconds()
    let times = try timeRuns(repeats: repeats) {
        parts = try UpliftModel.fitParts(method: .twoModel, x: x, names: names, y: y, armOfRow: arm, armNames: ["control", "treatment"],
                                         options: LogisticOptions(l2: l2))
    }
    let cpu = (processCPUSeconds() - start) / Double(repeats)
    report("uplift-klant-two-model", times: times, extra: ["cpu_seconds_per_run": cpu, "rows": n, "features": p, "l2": l2,
                                                           "control_coefficients": parts[0].coefficients,
                                                           "treatment_coefficients": parts[1].coefficients,
                                                           "converged": parts.allSatisfy(\.converged)])
}

/// `KlantBenchmarks cross-sell --transactions FILE [--repeats 3] [--neighbours 20] [--top 5]`: fit
/// (baskets, item-item cosine) plus top-k for every customer of a line-item log (Online Retail
/// columns); reading the file is not timed. Prints every customer's top-k for the agreement check.
func runCrossSellBenchmark(_ args: [String]) throws {
    let o = options(args)
    guard let file = o["--transactions"] else { throw ResponseError.invalidInput("cross-sell benchmark: --transactions FILE is required") }
    let repeats = Int(o["--repeats"] ?? "3") ?? 3, k = Int(o["--neighbours"] ?? "20") ?? 20, top = Int(o["--top"] ?? "5") ?? 5
    let log = try PurchaseLog(contentsOf: URL(fileURLWithPath: file),
                              columns: PurchaseLogColumns(customer: "CustomerID", item: "StockCode", date: "InvoiceDate",
                                                          quantity: "Quantity", invoice: "InvoiceNo"))
    var lists: [[(item: Int32, score: Double)]] = []
    var model: CrossSellModel?
    if o["--phases"] != nil {
        // CPU seconds of each phase (all threads): on a shared machine wall-clock time measures the other jobs too.
        let baskets = log.baskets()
        var similarity: ItemNeighbours?
        let b = cpuSecondsPerRun(repeats: repeats) { _ = log.baskets() }
        let s = cpuSecondsPerRun(repeats: repeats) { similarity = ItemNeighbours.cosine(baskets: baskets, itemCount: log.items.count, k: k) }
        let r = cpuSecondsPerRun(repeats: repeats) { _ = CrossSellRecommender(similarity: similarity!).recommend(baskets: baskets, top: top) }
        report("cross-sell-klant-phases-cpu", times: [b + s + r], extra: ["baskets": b, "similarity": s, "recommend": r])
    }
    let start = processCPUSeconds()
    let times = try timeRuns(repeats: repeats) {
        // The baskets are built once, for the fit and the recommendations, as the peer builds its matrix once.
        let baskets = log.baskets()
        let fitted = try CrossSellModel.fit(log, neighbours: k, baskets: baskets)
        lists = CrossSellRecommender(model: fitted).recommend(baskets: baskets, top: top)
        model = fitted
    }
    // Similarity-ranked items only (popularity fill-ins have score 0), as the peer's positive scores.
    let recommendations = Dictionary(uniqueKeysWithValues: log.customers.enumerated().map { c, id in (id, lists[c].filter { $0.score > 0 }.map { model!.items[Int($0.item)] }) })
    let cpu = (processCPUSeconds() - start) / Double(repeats)
    report("cross-sell-klant-retail", times: times, extra: ["cpu_seconds_per_run": cpu, "customers": log.customers.count, "items": log.items.count,
                                                            "purchase_lines": log.counts.used, "neighbours": k, "top": top,
                                                            "recommendations": recommendations])
}

/// `KlantBenchmarks cross-sell-simulated [--customers 1000000] [--items 10000] [--repeats 1]`:
/// fit + top-5 for every customer of simulated baskets (customers buy 5-30 items from one or two of
/// 200 interest groups, Zipf-popular within a group). Generation is not timed.
func runSimulatedCrossSellBenchmark(_ args: [String]) throws {
    let o = options(args)
    let customers = Int(o["--customers"] ?? "1000000") ?? 1_000_000, itemCount = Int(o["--items"] ?? "10000") ?? 10_000
    let repeats = Int(o["--repeats"] ?? "1") ?? 1, k = Int(o["--neighbours"] ?? "20") ?? 20
    var rng = SplitMix(seed: 20_240_601)
    let groups = 200, perGroup = itemCount / groups
    // Zipf(1) weights within a group, as a cumulative table.
    var cumulative: [Double] = [], total = 0.0
    for r in 1...perGroup { total += 1 / Double(r); cumulative.append(total) }
    func draw(_ group: Int) -> Int32 {
        let u = rng.nextDouble() * total
        var lo = 0, hi = perGroup - 1
        while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] < u { lo = mid + 1 } else { hi = mid } }
        return Int32(group * perGroup + lo)
    }
    var baskets: [[Int32]] = []
    baskets.reserveCapacity(customers)
    var lines = 0
    for _ in 0..<customers {
        let g1 = Int(rng.next() % UInt64(groups)), g2 = Int(rng.next() % UInt64(groups))
        let size = 5 + Int(rng.next() % 26)
        var basket = Set<Int32>()
        for j in 0..<size { basket.insert(draw(j % 3 == 2 ? g2 : g1)) }
        lines += basket.count
        baskets.append(basket.sorted())
    }
    var recommended = 0
    let times = timeRuns(repeats: repeats) {
        let similarity = ItemNeighbours.cosine(baskets: baskets, itemCount: itemCount, k: k)
        let lists = CrossSellRecommender(similarity: similarity).recommend(baskets: baskets, top: 5)
        recommended = lists.reduce(0) { $0 + $1.count }
    }
    report("cross-sell-klant-simulated", times: times, extra: ["customers": customers, "items": itemCount, "customer_items": lines,
                                                               "neighbours": k, "recommendations": recommended])
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator for the simulated baskets.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// Mean CPU seconds of `repeats` runs of `body`.
func cpuSecondsPerRun(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    let start = processCPUSeconds()
    for _ in 0..<repeats { try body() }
    return (processCPUSeconds() - start) / Double(repeats)
}
