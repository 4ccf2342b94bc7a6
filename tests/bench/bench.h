/* SPDX-License-Identifier: MIT */
/* What the benchmarks share: a log that discards, and the monotonic clock. */
#ifndef MEMPROBE_BENCH_H
#define MEMPROBE_BENCH_H

#include <stddef.h>
#include <time.h>

static inline void discard(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

#endif
