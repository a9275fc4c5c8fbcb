#ifndef POLYTOKEN_CBLAS_SHIM_H
#define POLYTOKEN_CBLAS_SHIM_H

#include <stdint.h>

/// C = alpha * A * B^T + beta * C for row-major single-precision matrices: A is m x k,
/// B is n x k, C is m x n (OpenBLAS `cblas_sgemm`, on all cores).
void pt_sgemm_abt(int32_t m, int32_t n, int32_t k, float alpha, const float *a, const float *b, float beta, float *c);

/// C = alpha * A * B + beta * C for row-major single-precision matrices: A is m x k,
/// B is k x n, C is m x n.
void pt_sgemm_ab(int32_t m, int32_t n, int32_t k, float alpha, const float *a, const float *b, float beta, float *c);

/// C = alpha * A * B^T + beta * C in double precision (A m x k, B n x k, C m x n, row-major).
void pt_dgemm_abt(int32_t m, int32_t n, int32_t k, double alpha, const double *a, const double *b, double beta, double *c);

/// C = alpha * A * B + beta * C in double precision (A m x k, B k x n, C m x n, row-major).
void pt_dgemm_ab(int32_t m, int32_t n, int32_t k, double alpha, const double *a, const double *b, double beta, double *c);

/// The number of threads OpenBLAS uses.
int32_t pt_blas_threads(void);

#endif
