#ifndef KLANT_NUMBER_FORMAT_H
#define KLANT_NUMBER_FORMAT_H

/// Writes the shortest decimal that reads back as `value` (round-trip), spelled as Swift's
/// `Double.description` spells it, into `out` (at least 40 bytes) and returns its length; returns 0,
/// writing nothing, for the values it leaves to the standard library (non-finite, subnormal,
/// |value| < 1e-4, |value| >= 2^53 and 2^52 itself, which it would scale up rather than down).
int klant_format_double(double value, unsigned char *out);

#endif
