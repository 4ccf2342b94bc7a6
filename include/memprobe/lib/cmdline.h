/* SPDX-License-Identifier: MIT */
/*
 * Numbers on a command line, read as Linux reads them (lib/cmdline.c,
 * lib/vsprintf.c, lib/kstrtox.c), so an option means to memprobe what it
 * means to Linux.
 */
#ifndef MEMPROBE_LIB_CMDLINE_H
#define MEMPROBE_LIB_CMDLINE_H

#include <stdbool.h>
#include <stdint.h>

uint64_t simple_strtoull(const char *s, const char **end);
uint64_t memparse(const char *s, const char **end);
bool memparse_whole(const char *s, uint64_t *v);
bool get_option(const char *s, int *v);
bool kstrtoint(const char *s, int *v);

#endif
