#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "csystem.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int rename_with_flags(const char *from, const char *to, unsigned int flags) {
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
}

int pt_rename_exchange(const char *first, const char *second) {
    return rename_with_flags(first, second, RENAME_EXCHANGE);
}

int pt_rename_noreplace(const char *from, const char *to) {
    return rename_with_flags(from, to, RENAME_NOREPLACE);
}

long long pt_copy_file_range(int input, long long *offset, int output, long long length) {
    off64_t position = (off64_t)*offset;
    ssize_t copied = copy_file_range(input, &position, output, NULL, (size_t)length, 0);
    if (copied > 0) *offset = (long long)position;
    return (long long)copied;
}

int pt_start_writeback(int descriptor) {
    return sync_file_range(descriptor, 0, 0, SYNC_FILE_RANGE_WRITE);
}
