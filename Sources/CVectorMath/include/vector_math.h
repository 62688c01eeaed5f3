#ifndef KLANT_VECTOR_MATH_H
#define KLANT_VECTOR_MATH_H

/// y[i] = log(x[i]) for i < n: glibc's vector log (libmvec, 4 doubles at a time) on CPUs with
/// AVX2 and FMA, the scalar log elsewhere. Within 4 ulp of the correctly rounded value.
void klant_vector_log(const double *x, double *y, long n);

/// y[i] = exp(x[i]) for i < n, likewise.
void klant_vector_exp(const double *x, double *y, long n);

#endif
