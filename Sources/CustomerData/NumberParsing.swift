/// Parses a decimal number from raw bytes without creating a String on the common path.
/// `[+-]digits[.digits]` with at most 15 significant digits is computed exactly as mantissa / 10^k
/// (both exact doubles, so the one division is correctly rounded, same as `Double(String)`); with
/// 16 to 19 digits and at most 22 after the point (e.g. the shortest round-trip numbers of klant's own
/// summaries) by `longDecimal`; anything else (exponents, longer digit strings) falls back to `Double(String)`.
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
        // After the point, eight digits at a time while the next eight bytes are all digits (most of a
        // long fraction such as 36.11200685).
        if seenPoint && i + 8 <= n {
            let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            if isEightDigits(word) {
                mantissa = mantissa &* 100_000_000 &+ eightDigitsValue(word)
                digits += 8
                fractionDigits += 8
                i += 8
                continue
            }
        }
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
    let value: Double
    if digits <= 15 {
        value = fractionDigits == 0 ? Double(mantissa) : Double(mantissa) / powerOfTen(fractionDigits)
    } else if digits <= 19 && fractionDigits <= 22 {   // the mantissa is below 10^19 < 2^64
        value = longDecimal(mantissa, fractionDigits: fractionDigits)
    } else {
        return parseDecimalSlow(p, n)
    }
    return negative ? -value : value
}

/// `digits[.digits]` in 1 to 8 bytes with at least one digit (`20.99`, `7`, `.5`), from one 8-byte
/// load: the first point is found and dropped, the digits are padded with leading '0's to eight,
/// checked and converted at once (`isEightDigits`, `eightDigitsValue`), then divided by the power
/// of ten as `parseDecimal` does (the mantissa has at most 8 digits: the same correctly rounded
/// value). 8 bytes must be readable at `p`. Anything else (a sign, a second point, a letter) gives
/// nil, for `parseDecimal` to read or refuse.
@inline(__always)
func parseShortDecimal(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
    guard n >= 1 && n <= 8 else { return nil }
    let keep: UInt64 = n == 8 ? .max : (1 << (8 * UInt64(n))) - 1
    let field = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) & keep
    // Bytes equal to '.': zero bytes of field ^ "........" (the lowest flagged byte is exact).
    let x = field ^ (0x2E2E_2E2E_2E2E_2E2E & keep)
    let points = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 & keep
    var digits = field, count = n, fractionDigits = 0
    if points != 0 {
        let point = points.trailingZeroBitCount / 8
        let below: UInt64 = point == 0 ? 0 : (1 << (8 * UInt64(point))) - 1
        digits = (field & below) | ((field >> 8) & ~below)   // the bytes after the point move down one
        count = n - 1
        fractionDigits = n - 1 - point
    }
    guard count >= 1 else { return nil }
    let padded = count == 8 ? digits : digits << (8 * UInt64(8 - count)) | 0x3030_3030_3030_3030 >> (8 * UInt64(count))
    guard isEightDigits(padded) else { return nil }
    let mantissa = Double(eightDigitsValue(padded))
    return fractionDigits == 0 ? mantissa : mantissa / powerOfTen(fractionDigits)
}

/// m / 10^f correctly rounded, for m < 2^64 and f <= 22. With 10^f = 5^f 2^f and 5^f < 2^52, the
/// quotient of m (shifted to its top bit) by 5^f is taken to 64 significant bits by long division
/// (one 64-bit and one 128-by-64-bit division), a nonzero remainder is kept as a sticky lowest bit,
/// and the conversion to Double rounds those 64 bits to 53 (to nearest, ties to even: the sticky bit
/// decides a tie as the exact quotient would); the power of two is applied exactly afterwards.
@inline(never)
func longDecimal(_ m: UInt64, fractionDigits f: Int) -> Double {
    guard m != 0 else { return 0 }
    if f == 0 { return Double(m) }
    let five = powerOfFive(f)
    let shift = m.leadingZeroBitCount
    let top = m << shift                                                 // 2^63 <= top < 2^64
    let high = top / five                                                // >= 2^11: five < 2^52
    let (low, remainder) = five.dividingFullWidth((high: top % five, low: 0))
    let spare = high.leadingZeroBitCount                                 // quotient = high 2^64 + low
    var bits = high << spare | (spare == 0 ? 0 : low >> (64 - spare))   // its top 64 bits
    if (spare == 0 ? low : low << spare) != 0 || remainder != 0 { bits |= 1 }
    // m / 10^f = quotient 2^-(64 + shift + f) and quotient ≈ bits 2^(64 - spare).
    return Double(sign: .plus, exponent: -(spare + shift + f), significand: Double(bits))
}

/// 5^k for k in 0...22 (below 2^52): 10^k / 2^k from the table of exact powers of ten.
@inline(__always)
func powerOfFive(_ k: Int) -> UInt64 {
    UInt64(powerOfTen(k) / Double(UInt64(1) << k))
}

/// True for a whole number: below 2^52 a conversion to Int64 and back keeps it exactly (two
/// instructions, where `rounded()` calls the C library); from 2^52 on every finite double is whole.
@inline(__always)
public func isWholeNumber(_ v: Double) -> Bool {
    abs(v) < 4_503_599_627_370_496 ? Double(Int64(v)) == v : v.isFinite
}

/// True when all eight bytes of `word` are ASCII digits: the high nibbles are all 3 and adding 6 to
/// each byte keeps them 3 (bytes 0x30-0x39; simdjson's `is_made_of_eight_digits_fast`).
@inline(__always)
func isEightDigits(_ word: UInt64) -> Bool {
    ((word & 0xF0F0_F0F0_F0F0_F0F0) | (((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4)) == 0x3333_3333_3333_3333
}

/// The value of eight ASCII digits loaded little-endian (the first digit in the lowest byte): pairs,
/// then quads, then the eight are combined by three multiplications (Lemire, "Faster integer parsing", 2018).
@inline(__always)
func eightDigitsValue(_ word: UInt64) -> UInt64 {
    var v = word & 0x0F0F_0F0F_0F0F_0F0F
    v = (v &* (10 << 8 + 1)) >> 8
    v = ((v & 0x00FF_00FF_00FF_00FF) &* (100 << 16 + 1)) >> 16
    return ((v & 0x0000_FFFF_0000_FFFF) &* (10_000 << 32 + 1)) >> 32
}

/// 10^k for k in 0...22 (exact as doubles). A switch compiles to a table in read-only memory; the
/// global array it replaces paid a once-check (`swift_once`) on every number parsed.
@inline(__always)
func powerOfTen(_ k: Int) -> Double {
    switch k {
    case 0: 1
    case 1: 1e1
    case 2: 1e2
    case 3: 1e3
    case 4: 1e4
    case 5: 1e5
    case 6: 1e6
    case 7: 1e7
    case 8: 1e8
    case 9: 1e9
    case 10: 1e10
    case 11: 1e11
    case 12: 1e12
    case 13: 1e13
    case 14: 1e14
    case 15: 1e15
    case 16: 1e16
    case 17: 1e17
    case 18: 1e18
    case 19: 1e19
    case 20: 1e20
    case 21: 1e21
    case 22: 1e22
    default: .nan
    }
}

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
