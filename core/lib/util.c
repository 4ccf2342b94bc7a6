// SPDX-License-Identifier: MIT
/* Byte and string helpers for code that may not call libc. */
#include "memprobe/lib/util.h"

/*
 * A hosted build (host tool, tests, fuzzers) has the compiler's memset,
 * memcpy and memmove, which the sanitizers check as one range instead of
 * word by word; a machine is a megabyte to clear.  The UEFI build is
 * freestanding and uses the loops below.
 */
#define MP_HOSTED __STDC_HOSTED__

/* Eight bytes at a time, like mp_memcpy. */
void mp_memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t w = 0x0101010101010101ULL * (unsigned char)c;

	if (MP_HOSTED) {
		__builtin_memset(dst, c, n);
		return;
	}
	for (; n >= 8; n -= 8, d += 8)
		__builtin_memcpy(d, &w, 8);
	while (n--)
		*d++ = (unsigned char)c;
}

/*
 * Eight bytes at a time: the region arrays memblock shifts are copied
 * often, and a byte loop was most of its time.  __builtin_memcpy of a
 * constant 8 compiles to one unaligned load or store, not a call.
 */
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	for (; n >= 8; n -= 8, d += 8, s += 8) {
		uint64_t w;

		__builtin_memcpy(&w, s, 8);
		__builtin_memcpy(d, &w, 8);
	}
	while (n--)
		*d++ = *s++;
}

void mp_memcpy(void *dst, const void *src, size_t n)
{
	if (MP_HOSTED) {
		__builtin_memcpy(dst, src, n);
		return;
	}
	copy_forward(dst, src, n);
}

/* Overlapping ranges: forward when the destination is below the source. */
void mp_memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (MP_HOSTED) {
		__builtin_memmove(dst, src, n);
		return;
	}
	if (d <= s || d >= s + n) {
		copy_forward(d, s, n);
		return;
	}
	for (d += n, s += n; n >= 8; n -= 8) {
		uint64_t w;

		d -= 8;
		s -= 8;
		__builtin_memcpy(&w, s, 8);
		__builtin_memcpy(d, &w, 8);
	}
	while (n--)
		*--d = *--s;
}

/**
 * mp_fnv1a64() - FNV-1a, 64-bit, over len bytes
 * @hash: the hash so far: MP_FNV1A64_INIT to start, a previous result to go on
 *
 * Return: the hash with the bytes added.
 */
uint64_t mp_fnv1a64(uint64_t hash, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len--)
		hash = (hash ^ *p++) * 0x100000001b3ULL;
	return hash;
}

/**
 * mp_memcmp() - memcmp()
 *
 * Return: 0 when the n bytes are equal, else the difference of the first
 * unequal bytes, as unsigned char.
 */
int mp_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

/**
 * mp_memchr() - the first byte c in s[0, n)
 *
 * Return: a pointer to it, or NULL.
 */
const void *mp_memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return p;
	return NULL;
}

/**
 * mp_memmem() - where needle[0, m) first starts in s[0, n)
 *
 * Return: a pointer to it, or NULL.
 */
const void *mp_memmem(const void *s, size_t n, const void *needle, size_t m)
{
	const unsigned char *p = s, *end = p + n, *first = needle;

	if (!m)
		return s;
	while (m <= (size_t)(end - p) && (p = mp_memchr(p, *first, (size_t)(end - p) - m + 1))) {
		if (!mp_memcmp(p, needle, m))
			return p;
		p++;
	}
	return NULL;
}

/**
 * mp_escape() - a firmware string as dmesg shows it
 * @dst: where it goes, NUL-terminated (4 bytes a byte at most, cut to @size)
 * @size: @dst's size
 * @src: the string's bytes, up to @n or a NUL
 * @n: the most to take
 * @backslash: escape the backslash too (a file read back), where dmesg shows it as it is
 *
 * A control byte and a byte from 0x7f up are written as "\xNN", as dmesg
 * writes them: no firmware string reaches a terminal raw, and the line still
 * compares with dmesg's.
 *
 * Return: @dst.
 */
char *mp_escape(char *dst, size_t size, const char *src, size_t n, bool backslash)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!size)
		return dst;
	for (size_t i = 0; i < n && src[i]; i++) {
		unsigned char c = (unsigned char)src[i];
		bool plain = c >= 0x20 && c < 0x7f && (c != '\\' || !backslash);

		if (o + (plain ? 1 : 4) >= size)
			break;
		if (plain) {
			dst[o++] = (char)c;
			continue;
		}
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[c >> 4];
		dst[o++] = hex[c & 15];
	}
	dst[o] = '\0';
	return dst;
}

/**
 * mp_strlen() - strlen()
 *
 * Return: the number of characters before the NUL.
 */
size_t mp_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/**
 * mp_strcmp() - strcmp()
 *
 * Return: 0 when the strings are equal, else the difference of the first
 * unequal characters, as unsigned char.
 */
int mp_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

/**
 * mp_starts_with() - whether s begins with prefix
 *
 * Return: true when it does; always for an empty @prefix.
 */
bool mp_starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

/**
 * mp_hexval() - the value of a hex digit
 *
 * Return: 0 to 15, or -1 when @c is not a hex digit.
 */
int mp_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void sift_down_u32(uint32_t *a, unsigned root, unsigned n)
{
	for (unsigned child; (child = 2 * root + 1) < n; root = child) {
		uint32_t t;

		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		t = a[root];
		a[root] = a[child];
		a[child] = t;
	}
}

/**
 * mp_sort_u32() - sort numbers in place, ascending (heapsort: no recursion, no extra memory)
 * @a: the numbers
 * @n: how many
 */
void mp_sort_u32(uint32_t *a, unsigned n)
{
	for (unsigned i = n / 2; i-- > 0;)
		sift_down_u32(a, i, n);
	for (unsigned end = n; end-- > 1;) {
		uint32_t t = a[0];

		a[0] = a[end];
		a[end] = t;
		sift_down_u32(a, 0, end);
	}
}
