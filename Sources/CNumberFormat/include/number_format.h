#ifndef KLANT_NUMBER_FORMAT_H
#define KLANT_NUMBER_FORMAT_H

/// Writes the shortest decimal that reads back as `value` (round-trip), spelled as Swift's
/// `Double.description` spells it, into `out` (at least 40 bytes) and returns its length; returns 0,
/// writing nothing, for the values it leaves to the standard library (non-finite, powers of two,
/// |value| < 1e-4 and |value| >= 2^53, which Swift writes with an exponent).
int klant_format_double(double value, unsigned char *out);

#endif
