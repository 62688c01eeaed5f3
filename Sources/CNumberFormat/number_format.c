// Shortest round-trip decimal of a double, after R. Giulietti, "The Schubfach way to render
// doubles" (2020): the value and both ends of its rounding interval are scaled by 10^-k (Section 9),
// and the shortest decimal in the interval is either the one multiple of 10 in it or the closer of
// the two integers around the scaled value (Section 8). Only 1e-4 <= |v| < 2^53 is done here, where
// k lies in [-22, 0] and 10^-k = 5^-k 2^-k is exact: the scaling is one 64x64-bit product, without
// the paper's 128-bit table of powers of ten. The digits are then written as Swift's
// Double.description writes them (no exponent in this range, ".0" on integers), which the tests
// check value for value against the standard library.
#include "number_format.h"
#include <stdint.h>
#include <string.h>

typedef unsigned __int128 u128;

static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static const uint64_t powers_of_five[23] = {
    1ull, 5ull, 25ull, 125ull, 625ull, 3125ull, 15625ull, 78125ull, 390625ull, 1953125ull, 9765625ull,
    48828125ull, 244140625ull, 1220703125ull, 6103515625ull, 30517578125ull, 152587890625ull,
    762939453125ull, 3814697265625ull, 19073486328125ull, 95367431640625ull, 476837158203125ull,
    2384185791015625ull};

/// n / 2^shift (shift < 64) rounded to odd: the lowest bit set when anything was cut off.
static inline uint64_t round_to_odd(u128 n, int shift) {
    __builtin_assume(shift >= 0 && shift < 64);
    return (uint64_t)(n >> shift) | (((uint64_t)n & ((1ull << shift) - 1)) != 0);
}

/// Two digits of n < 100.
static inline void write_pair(unsigned char *out, uint32_t n) { memcpy(out, digit_pairs + 2 * n, 2); }

/// The 8 digits of n < 10^8, zero-padded.
static inline void write_eight(unsigned char *out, uint32_t n) {
    uint32_t high = n / 10000, low = n % 10000;
    write_pair(out, high / 100);
    write_pair(out + 2, high % 100);
    write_pair(out + 4, low / 100);
    write_pair(out + 6, low % 100);
}

/// The number of '0's that end the 17 digits (at most 16: the number is not zero).
static inline int trailing_zeros(const unsigned char *digits) {
    const uint64_t zeros = 0x3030303030303030ull;
    uint64_t last, middle;                // little-endian: the last digit is the highest byte
    memcpy(&last, digits + 9, 8);
    memcpy(&middle, digits + 1, 8);
    if ((last ^= zeros) != 0) return __builtin_clzll(last) / 8;
    if ((middle ^= zeros) != 0) return 8 + __builtin_clzll(middle) / 8;
    return 16;
}

int klant_format_double(double value, unsigned char *out) {
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    int negative = (int)(bits >> 63);
    int biased = (int)((bits >> 52) & 0x7ff);
    uint64_t fraction = bits & ((1ull << 52) - 1);
    unsigned char *p = out;
    if (negative) *p++ = '-';
    if (biased == 0 && fraction == 0) { memcpy(p, "0.0", 3); return (int)(p - out) + 3; }
    // v = c 2^q; q in [-70, 0] covers 1e-4 <= v < 2^53.
    int q = biased - 1075;
    if (q < -70 || q > 0) return 0;
    if ((negative ? -value : value) < 1e-4) return 0;
    uint64_t c = (1ull << 52) | fraction;
    // A power of two (fraction 0, e.g. P(alive) = 1) has the next double below it half as far as
    // the one above: its rounding interval is [v - 2^(q-2), v + 2^(q-1)], and k is taken from
    // 3/4 2^q so that the scaled interval is again at least 1 wide (the paper's irregular case).
    int irregular = fraction == 0;

    // Section 9 of the paper with k in [-22, 0], where 10^-k = 5^-k 2^-k exactly:
    // 4 v 10^-k = 4c 5^-k / 2^shift and the interval ends (4c - 2 or 1, 4c + 2) 5^-k / 2^shift are
    // exact quotients of one 64x64-bit product; rounded to odd they compare with multiples of 4 as
    // the exact values do. (The paper approximates 10^-k to 128 bits because it covers every k.)
    int k = irregular ? (int)((q * 661971961083LL - 274743187321LL) >> 41)   // floor(log10(3/4 2^q)), the paper's
                      : (q * 78913) >> 18;                                   // floor(q log10 2) (Ryu's constant)
    int shift = k - q;                    // in [0, 48], but -1 for 2^52
    if (shift < 0) return 0;
    uint64_t five = powers_of_five[-k];
    u128 scaled = (u128)(c << 2) * five;
    uint64_t vb = round_to_odd(scaled, shift);
    uint64_t vbl = round_to_odd(scaled - (irregular ? five : 2 * five), shift);
    uint64_t vbr = round_to_odd(scaled + 2 * five, shift);
    uint64_t out_of_interval = c & 1;     // an odd c's interval excludes its ends (round half even)

    // Section 8: the one multiple of ten in the interval, if any (the interval is narrower than 10);
    // else the one of s = floor(v 10^-k) and s + 1 in it, or the closer of the two (ties to even).
    uint64_t s = vb >> 2;
    uint64_t decimal;
    uint64_t sp10 = (s / 10) * 10, tp10 = sp10 + 10;
    int upin = vbl + out_of_interval <= (sp10 << 2);
    int wpin = (tp10 << 2) + out_of_interval <= vbr;
    if (upin != wpin) {
        decimal = upin ? sp10 : tp10;
    } else {
        uint64_t t = s + 1;
        int uin = vbl + out_of_interval <= (s << 2);
        int win = (t << 2) + out_of_interval <= vbr;
        if (uin != win) {
            decimal = uin ? s : t;
        } else {
            int64_t cmp = (int64_t)(vb - ((s + t) << 1));
            decimal = cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : t;
        }
    }

    // The 17 digits of decimal (in [2^52 - 9, 10^17): 16 or 17 of them are significant), zero-padded
    // and followed by zeros, so that the copies below can have constant lengths.
    unsigned char digits[48];
    memset(digits + 17, '0', 31);
    uint64_t high = decimal / 100000000;
    digits[0] = (unsigned char)('0' + high / 100000000);
    write_eight(digits + 1, (uint32_t)(high % 100000000));
    write_eight(digits + 9, (uint32_t)(decimal % 100000000));
    int first = decimal < 10000000000000000ull;
    int count = 17 - first - trailing_zeros(digits);
    const unsigned char *d = digits + first;
    int point = (17 - first) + k;         // digits before the decimal point: v = 0.d1d2... 10^point
    if (point < -3) return 0;             // below 1e-4 after all (not reached: checked above)
    if (point <= 0) {                     // 0.00ddd
        memcpy(p, "0.000", 5);
        p += 2 - point;
        memcpy(p, d, 17);
        p += count;
    } else if (point >= count) {          // ddd00.0: the zeros after the digits are in the buffer
        memcpy(p, d, 16);
        memcpy(p + point, ".0", 2);
        p += point + 2;
    } else {                              // dd.ddd
        memcpy(p, d, 16);
        p[point] = '.';
        memcpy(p + point + 1, d + point, 16);
        p += count + 1;
    }
    return (int)(p - out);
}
