#ifndef KLANT_FILE_IO_H
#define KLANT_FILE_IO_H

/// Asks the kernel to start writing bytes [offset, offset + length) of `fd` to disk now, without
/// waiting (Linux `sync_file_range` with SYNC_FILE_RANGE_WRITE), so the fsync that publishes a
/// large export finds most of it already written. A no-op returning 0 where it does not exist.
/// Returns 0 or -1 with errno set; callers may ignore failures, the final fsync still reports them.
int klant_start_writeback(int fd, long long offset, long long length);

#endif
