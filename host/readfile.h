/* SPDX-License-Identifier: MIT */
#ifndef MEMPROBE_HOST_READFILE_H
#define MEMPROBE_HOST_READFILE_H

#include <stddef.h>

char *read_file(const char *path, size_t *len);
char *read_log(const char *path, size_t *len);

#endif
