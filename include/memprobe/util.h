/* SPDX-License-Identifier: MIT */
/* Small string and memory helpers for the freestanding core (no libc). */
#ifndef MEMPROBE_UTIL_H
#define MEMPROBE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

void mp_memset(void *dst, int c, size_t n);
void mp_memcpy(void *dst, const void *src, size_t n);
int mp_memcmp(const void *a, const void *b, size_t n);
size_t mp_strlen(const char *s);
int mp_strcmp(const char *a, const char *b);
bool mp_starts_with(const char *s, const char *prefix);
int mp_hexval(char c);

#endif
