/* SPDX-License-Identifier: MIT */
/*
 * Small helpers for the freestanding core (no libc): bytes, strings, and
 * the page and alignment arithmetic Linux spells PFN_UP, round_up, ...
 */
#ifndef MEMPROBE_LIB_UTIL_H
#define MEMPROBE_LIB_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ULL << PAGE_SHIFT)
#define SMP_CACHE_BYTES 64	/* L1_CACHE_BYTES of x86_64 */
#define RESOURCE_BYTES 64	/* sizeof(struct resource) of x86_64 */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Linux's round_up/round_down: mask arithmetic, for powers of two only. */
static inline uint64_t round_up(uint64_t x, uint64_t align)
{
	return ((x - 1) | (align - 1)) + 1;
}

static inline uint64_t round_down(uint64_t x, uint64_t align)
{
	return x & ~(align - 1);
}

/* The first whole page at or after an address, and the page holding it. */
static inline uint64_t PFN_UP(uint64_t addr)
{
	return (addr + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

static inline uint64_t PFN_DOWN(uint64_t addr)
{
	return addr >> PAGE_SHIFT;
}

static inline uint64_t PFN_PHYS(uint64_t pfn)
{
	return pfn << PAGE_SHIFT;
}

static inline uint64_t clamp_u64(uint64_t x, uint64_t lo, uint64_t hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* Linux's get_count_order(): ceil(log2(x)), 0 for 0 and 1. */
static inline unsigned get_count_order(unsigned x)
{
	unsigned o = 0;

	while (o < 31 && (1u << o) < x)
		o++;
	return o;
}

void mp_memset(void *dst, int c, size_t n);
/* FNV-1a, 64 bits: start with MP_FNV1A64_INIT, feed bytes. */
#define MP_FNV1A64_INIT 0xcbf29ce484222325ULL
uint64_t mp_fnv1a64(uint64_t hash, const void *data, size_t len);
void mp_memcpy(void *dst, const void *src, size_t n);
void mp_memmove(void *dst, const void *src, size_t n);
int mp_memcmp(const void *a, const void *b, size_t n);
const void *mp_memchr(const void *s, int c, size_t n);
const void *mp_memmem(const void *s, size_t n, const void *needle, size_t m);
size_t mp_strlen(const char *s);
char *mp_escape(char *dst, size_t size, const char *src, size_t n, bool backslash);
int mp_strcmp(const char *a, const char *b);
bool mp_starts_with(const char *s, const char *prefix);
int mp_hexval(char c);
void mp_sort_u32(uint32_t *a, unsigned n);

#endif
