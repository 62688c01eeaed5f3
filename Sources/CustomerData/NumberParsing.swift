/// Parses a decimal number from raw bytes without creating a String on the common path.
/// `[+-]digits[.digits]` with at most 15 significant digits is computed exactly as mantissa / 10^k
/// (both exact doubles, so the one division is correctly rounded, same as `Double(String)`);
/// anything else (exponents, long digit strings) falls back to `Double(String)`.
/// Returns nil for empty or non-numeric text, and for infinities and NaN.
@inline(__always)
func parseDecimal(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
    guard n > 0 else { return nil }
    var i = 0
    var negative = false
    if p[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if p[0] == UInt8(ascii: "+") { i = 1 }
    var mantissa: UInt64 = 0
    var digits = 0, fractionDigits = 0
    var seenPoint = false
    while i < n {
        let c = p[i]
        if c &- 48 < 10 {
            mantissa = mantissa &* 10 &+ UInt64(c &- 48)
            digits += 1
            if seenPoint { fractionDigits += 1 }
        } else if c == UInt8(ascii: ".") && !seenPoint {
            seenPoint = true
        } else {
            return parseDecimalSlow(p, n)
        }
        i += 1
    }
    guard digits > 0 else { return nil }
    guard digits <= 15 else { return parseDecimalSlow(p, n) }
    let value = fractionDigits == 0 ? Double(mantissa) : Double(mantissa) / powersOfTen[fractionDigits]
    return negative ? -value : value
}

private let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { acc, _ in acc * 10 } }

/// Exponents and long mantissas: only digits, sign, point and e/E are allowed, then `Double(String)`.
private func parseDecimalSlow(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
    for i in 0..<n {
        let c = p[i]
        let ok = (c &- 48 < 10) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
            || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
        if !ok { return nil }
    }
    guard let v = Double(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)), v.isFinite else {
        return nil
    }
    return v
}
