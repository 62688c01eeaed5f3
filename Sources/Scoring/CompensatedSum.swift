/// A running sum with Neumaier's compensation (Neumaier 1974, an improved Kahan summation), so
/// totals and shares over millions of customers keep full double precision: shares that must add
/// up to 1 do so to a few units in the last place.
struct CompensatedSum {
    private(set) var sum = 0.0
    private var compensation = 0.0

    /// The compensated total so far.
    var value: Double { sum + compensation }

    mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) { compensation += (sum - t) + x } else { compensation += (x - t) + sum }
        sum = t
    }

    static func total<S: Sequence>(_ values: S) -> Double where S.Element == Double {
        var s = CompensatedSum()
        for x in values { s.add(x) }
        return s.value
    }
}
