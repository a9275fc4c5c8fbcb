#include "cblas_shim.h"

#include <cblas.h>

void pt_sgemm_abt(int32_t m, int32_t n, int32_t k, float alpha, const float *a, const float *b, float beta, float *c) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, alpha, a, k, b, k, beta, c, n);
}

void pt_sgemm_ab(int32_t m, int32_t n, int32_t k, float alpha, const float *a, const float *b, float beta, float *c) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, alpha, a, k, b, n, beta, c, n);
}

void pt_dgemm_abt(int32_t m, int32_t n, int32_t k, double alpha, const double *a, const double *b, double beta, double *c) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, alpha, a, k, b, k, beta, c, n);
}

void pt_dgemm_ab(int32_t m, int32_t n, int32_t k, double alpha, const double *a, const double *b, double beta, double *c) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, alpha, a, k, b, n, beta, c, n);
}

int32_t pt_blas_threads(void) {
    return openblas_get_num_threads();
}
