// Linux system calls that Swift's Glibc module does not declare.
#ifndef POLYTOKEN_CSYSTEM_H
#define POLYTOKEN_CSYSTEM_H

/// Atomically exchanges the directory entries `first` and `second` (renameat2 with
/// RENAME_EXCHANGE). Returns 0, or -1 with errno set (EINVAL or ENOSYS where the
/// filesystem or kernel cannot exchange).
int pt_rename_exchange(const char *first, const char *second);

/// Renames `from` to `to` only if `to` does not exist (renameat2 with RENAME_NOREPLACE).
/// Returns 0, or -1 with errno set.
int pt_rename_noreplace(const char *from, const char *to);

/// Copies up to `length` bytes from `input` at `*offset` (advanced) to `output` at its file
/// position, in the kernel (copy_file_range; a reflink where the filesystem shares extents).
/// Returns the bytes copied, or -1 with errno set (EXDEV, ENOSYS, EINVAL where it cannot).
long long pt_copy_file_range(int input, long long *offset, int output, long long length);

/// Starts writing the dirty pages of `descriptor` to disk without waiting for them
/// (sync_file_range with SYNC_FILE_RANGE_WRITE); an fsync later waits only for the rest.
/// Returns 0, or -1 with errno set.
int pt_start_writeback(int descriptor);

#endif
