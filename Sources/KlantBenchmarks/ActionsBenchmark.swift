import Actions
import CustomerData
import Foundation
import Store

/// `KlantBenchmarks actions-data --dir D [--customers N] [--actions M] [--history H]`: writes the
/// next-best-action benchmark's inputs, seeded: a score table of N customers (churn risk, CLV,
/// value segment), a catalog of M actions over three channels with a contact budget on the first
/// action and a money budget over all, and a store with H contact-history rows spread over three
/// years (so the 90-day look-back reads about a twelfth of them).
func runActionsDataBenchmark(_ args: [String]) throws {
    func option(_ name: String) -> String? { args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
    guard let dir = option("--dir") else { throw BenchmarkUsage("actions-data needs --dir DIR") }
    let customers = Int(option("--customers") ?? "") ?? 1_000_000
    let actionCount = Int(option("--actions") ?? "") ?? 10
    let historyRows = Int(option("--history") ?? "") ?? 5_000_000
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var rng = BenchmarkRandom(seed: 20261201)
    let segments = ["top", "opportunity", "retain", "tolerate"]
    let scores = try TableWriter(path: "\(dir)/scores.csv", header: ["customer_id", "churn_probability", "clv", "expected_revenue", "value_segment"], format: .csv)
    for i in 0..<customers {
        let churn = rng.uniform(), clv = 2000 * pow(rng.uniform(), 3)
        try scores.append([.text("C\(i)"), .number(churn), .number(clv), .number(clv * 0.4), .text(segments[Int(rng.uniform() * 4)])])
    }
    try scores.commit()
    var yaml = "campaign: bench\ncurrency: EUR\nbudget-amount: \(customers / 4)\nactions:\n"
    let channels = ["phone", "email", "sms"], types = ["retention", "upsell", "cross-sell"]
    for a in 0..<actionCount {
        let type = types[a % 3]
        let rule = type == "retention" ? "churn_probability > 0.\(3 + a % 4) and value_segment in ['top', 'retain']"
            : type == "upsell" ? "churn_probability < 0.5 and clv > \(50 * a)" : "clv > \(20 * a) and value_segment != 'tolerate'"
        yaml += """
              - name: action-\(a)
                type: \(type)
                channel: \(channels[a % 3])
                cost: \(String(format: "%.2f", 0.5 + Double(a % 4) * 1.5))
            \(a == 0 ? "    budget: \(customers / 50)\n" : "")    control-share: 0.1
                eligible: "\(rule)"
                response: { rate: \(String(format: "%.3f", 0.02 + 0.01 * Double(a))) }
                value: "clv * 0.\(2 + a % 5) + \(a)"

            """
    }
    yaml += "contact-policy:\n  max-contacts: 2 per 30 days\n  cool-down: 14 days\n  repeat-offer: 90 days\n"
    try yaml.write(toFile: "\(dir)/catalog.yaml", atomically: true, encoding: .utf8)
    let storePath = "\(dir)/klant.sqlite"
    try? FileManager.default.removeItem(atPath: storePath)
    let store = try KlantStore(path: storePath)
    let asOf = try CalendarDay(parsing: "2026-12-01").dayNumber
    var batch: [ContactRecord] = []
    batch.reserveCapacity(100_000)
    for k in 0..<historyRows {
        let day = CalendarDay(dayNumber: asOf - 1 - Int(rng.uniform() * 1095))
        let a = Int(rng.uniform() * Double(actionCount))
        batch.append(ContactRecord(campaignID: "hist-\(k / 100)", date: day.description, customerID: "C\(Int(rng.uniform() * Double(customers)))",
                                   action: "action-\(a)", channel: channels[a % 3], control: rng.uniform() < 0.1, expectedValue: nil))
        if batch.count == 100_000 || k == historyRows - 1 {
            try store.importContacts(batch)
            batch.removeAll(keepingCapacity: true)
        }
    }
    print("{\"benchmark\":\"actions-data\",\"customers\":\(customers),\"actions\":\(actionCount),\"history_rows\":\(try store.contactCount())}")
}

/// SplitMix64 uniforms for the benchmark data.
struct BenchmarkRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
    }
}

/// `KlantBenchmarks actions --dir D [--repeats R]`: the whole `klant actions` work in-process on
/// the data of `actions-data` (read scores, check rules, read the history, arbitrate, write the
/// list), R times; prints the median seconds, each phase's share and the peak resident memory.
func runActionsBenchmark(_ args: [String]) throws {
    func option(_ name: String) -> String? { args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
    guard let dir = option("--dir") else { throw BenchmarkUsage("actions needs --dir DIR (from actions-data)") }
    let repeats = Int(option("--repeats") ?? "") ?? 3
    let out = NSTemporaryDirectory() + "klant-bench-actions-\(getpid()).csv"
    defer { try? FileManager.default.removeItem(atPath: out) }
    var rows = 0, value = 0.0, greedy = 0.0, bound = 0.0
    let times = try timeRuns(repeats: repeats) {
        let catalog = try ActionCatalog.load(path: "\(dir)/catalog.yaml")
        let store = try KlantStore(path: "\(dir)/klant.sqlite")
        let plan = try ActionPlanner.plan(ActionRunOptions(scoresPath: "\(dir)/scores.csv", catalog: catalog,
                                                           asOf: try CalendarDay(parsing: "2026-12-01")), store: store)
        try plan.write(to: out)
        rows = plan.rows.count
        value = plan.assignment.value
        greedy = plan.assignment.greedyValue
        bound = plan.assignment.upperBound
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    report("actions-klant", times: times, extra: ["rows": rows, "value": value, "greedy_value": greedy, "upper_bound": bound,
                                                  "peak_rss_mb": Double(usage.ru_maxrss) / 1024])
}
