import Foundation

/// Runs `body` `repeats` times and returns the wall-clock seconds of each run.
func timeRuns(repeats: Int, _ body: () throws -> Void) rethrows -> [Double] {
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return times
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}

/// Prints one benchmark result as a JSON line on stdout.
func report(_ name: String, times: [Double], extra: [String: Any] = [:]) {
    var obj: [String: Any] = ["benchmark": name, "median_seconds": median(times), "runs": times]
    for (k, v) in extra { obj[k] = v }
    let data = try! JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
    print(String(data: data, encoding: .utf8)!)
}
