#ifndef KLANT_VECTOR_MATH_H
#define KLANT_VECTOR_MATH_H

/// y[i] = log(x[i]) for i < n: glibc's vector log (libmvec, 4 doubles at a time) on CPUs with
/// AVX2 and FMA, the scalar log elsewhere. Within 4 ulp of the correctly rounded value. x and y
/// must not overlap.
void klant_vector_log(const double *x, double *y, long n);

/// y[i] = exp(x[i]) for i < n, likewise (x and y must not overlap).
void klant_vector_exp(const double *x, double *y, long n);

/// Columns of one block of BG/NBD pattern rows, `block` doubles apart in one scratch allocation
/// (see `PatternBlock` in Models/BetaGeometricNBD.swift).
enum {
    KLANT_BLOCK_RX, KLANT_BLOCK_C4, KLANT_BLOCK_INVERSE_B, KLANT_BLOCK_WEIGHT, KLANT_BLOCK_LOG_T,
    KLANT_BLOCK_INVERSE_T, KLANT_BLOCK_LOG_R, KLANT_BLOCK_INVERSE_R, KLANT_BLOCK_D, KLANT_BLOCK_E,
    KLANT_BLOCK_LOG1P_E, KLANT_BLOCK_COLUMNS
};

/// Adds rows 0..<n of a block to the 17 sums of the BG/NBD / MBG/NBD log-likelihood, its gradient
/// and (when `hessian` is non-zero) its Hessian, in the order `BetaGeometricLikelihood` reads them
/// (the per-row terms are listed with `PatternBlock` in Models/BetaGeometricNBD.swift). Vectorised with AVX2 and FMA
/// where the CPU has them.
void klant_bgnbd_block_sums(const double *scratch, long block, long n, int hessian, double *sums);

#endif
