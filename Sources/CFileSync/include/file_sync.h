// File calls Swift's Glibc module does not declare: sync_file_range(2) needs _GNU_SOURCE.
#ifndef SURVEY_FILE_SYNC_H
#define SURVEY_FILE_SYNC_H

// Asks the kernel to start writing the file's dirty pages in [offset, offset + length) to disk, without waiting
// for them (sync_file_range with SYNC_FILE_RANGE_WRITE). It makes nothing durable: a later fsync still must.
// Returns 0, or -1 with errno set; -1 with ENOSYS where there is no such call (not Linux).
int survey_start_write_back(int descriptor, long long offset, long long length);

#endif
