// SPDX-License-Identifier: MIT
/*
 * Page-table builder benchmark: the direct map of 1 TiB in 1 GiB pages,
 * 64 GiB in 2 MiB pages and 64 GiB in 4 KiB pages, written into host
 * memory standing in for physical memory; each time beside memset over
 * the same number of bytes, the floor for writing the tables.  It prints
 * numbers and never fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "heap.h"
#include "memprobe/x86/paging.h"
#include "memprobe/x86/pgtable_build.h"

#define POOL_BASE (1ULL << 44)
#define POOL_BYTES (160ULL << 20)
#define RUNS 5

static unsigned char *pool_bytes;

static uint64_t *page_at(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (uint64_t *)(pool_bytes + (pa - POOL_BASE));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Build the mapping RUNS times; the median time and the bytes of tables. */
static double build(uint64_t size, unsigned mask, uint64_t *table_bytes)
{
	static struct pt_builder b;
	struct mp_log log = { .write = discard, .ctx = NULL };
	const struct phys_mem mem = { page_at, NULL };
	double t[RUNS];

	for (int i = 0; i < RUNS; i++) {
		struct memblock pool;
		double start;

		memblock_init(&pool, &log, &host_heap);
		memblock_add(&pool, POOL_BASE, POOL_BYTES);
		start = now_ns();
		pt_build_init(&b, &mem, &pool, 4, mask, MEMBLOCK_ALLOC_ANYWHERE, &log);
		pt_map_range(&b, 0xffff888000000000ULL, 0, size, mask, true);
		t[i] = now_ns() - start;
		*table_bytes = b.table_pages << 12;
		memblock_release(&pool);
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	return t[RUNS / 2];
}

static double memset_ns(uint64_t bytes)
{
	double t[RUNS];

	for (int i = 0; i < RUNS; i++) {
		double start = now_ns();

		memset(pool_bytes, i, bytes);
		__asm__ volatile("" : : "r"(pool_bytes) : "memory");
		t[i] = now_ns() - start;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	return t[RUNS / 2];
}

int main(void)
{
	static const struct {
		const char *what;
		uint64_t size;
		unsigned mask;
	} cases[] = {
		{ "1 TiB, 1G pages", 1ULL << 40, PG_2M | PG_1G },
		{ "64 GiB, 2M pages", 64ULL << 30, PG_2M },
		{ "64 GiB, 4K pages", 64ULL << 30, 0 },
	};

	pool_bytes = malloc(POOL_BYTES);
	if (!pool_bytes)
		return 1;
	memset(pool_bytes, 0, POOL_BYTES);	/* fault the pages in before timing */
	printf("page-table builder, median of %d runs (memset over the same bytes is the floor):\n",
	       RUNS);
	printf("%-18s %14s %12s %12s %8s\n", "direct map", "table bytes", "build us", "memset us",
	       "ratio");
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t bytes = 0;
		double ns = build(cases[i].size, cases[i].mask, &bytes), floor = memset_ns(bytes);

		printf("%-18s %14llu %12.1f %12.1f %7.2fx\n", cases[i].what, (unsigned long long)bytes,
		       ns / 1e3, floor / 1e3, ns / floor);
	}
	free(pool_bytes);
	return 0;
}
