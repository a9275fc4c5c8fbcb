#ifndef POLYTOKEN_CBLAS_SHIM_H
#define POLYTOKEN_CBLAS_SHIM_H

#include <stdint.h>

/// C = alpha * A * B^T + beta * C for row-major single-precision matrices: A is m x k,
/// B is n x k, C is m x n (OpenBLAS `cblas_sgemm`, on all cores).
void pt_sgemm_abt(int32_t m, int32_t n, int32_t k, float alpha, const float *a, const float *b, float beta, float *c);

/// C = alpha * A * B + beta * C for row-major single-precision matrices: A is m x k,
/// B is k x n, C is m x n.
void pt_sgemm_ab(int32_t m, int32_t n, int32_t k, float alpha, const float *a, const float *b, float beta, float *c);

/// The number of threads OpenBLAS uses.
int32_t pt_blas_threads(void);

#endif
