// SPDX-License-Identifier: MIT
/*
 * memblock benchmark: nanoseconds per operation with 1k, 10k and 100k
 * regions, and the replay time of a real boot log.  It prints numbers and
 * never fails: Linux's own bound is one pass over the regions per
 * operation, so ns/op should grow no faster than the region count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "heap.h"
#include "memprobe/mm/memblock.h"
#include "replay.h"

#define PG 4096ULL

/*
 * A memblock with n reserved regions (4 KiB every 16 KiB) inside 1 TiB of
 * memory, and n more memory regions laid out the same way above 2 TiB.
 */
static void setup(struct memblock *mb, struct mp_log *log, unsigned long n)
{
	memblock_init(mb, log, &host_heap);
	memblock_add(mb, 0, 1ULL << 40);
	memblock_allow_resize(mb);
	for (unsigned long i = 0; i < n; i++) {
		memblock_reserve(mb, (1ULL << 30) + i * 4 * PG, PG);
		memblock_add(mb, (1ULL << 41) + i * 4 * PG, PG);
	}
}

int main(int argc, char **argv)
{
	static const unsigned long sizes[] = { 1000, 10000, 100000 };
	struct mp_log log = { .write = discard, .ctx = NULL };
	struct memblock *mb = malloc(sizeof(*mb));
	double base[4] = { 0 };

	if (!mb)
		return 1;
	srand(5);
	printf("%-9s %14s %14s %14s %14s\n", "regions", "reserve+free", "add+remove", "alloc+free",
	       "free (split)");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		unsigned long n = sizes[s], ops = 2000000 / n + 200;
		double t0, ns[4];

		setup(mb, &log, n);
		t0 = now_ns();
		for (unsigned long i = 0; i < ops; i++) {
			uint64_t at = (1ULL << 30) + (uint64_t)(rand() % n) * 4 * PG + 2 * PG;

			memblock_reserve(mb, at, PG);
			memblock_phys_free(mb, at, PG);
		}
		ns[0] = (now_ns() - t0) / ops;

		t0 = now_ns();
		for (unsigned long i = 0; i < ops; i++) {
			uint64_t at = (1ULL << 41) + (uint64_t)(rand() % n) * 4 * PG + 2 * PG;

			memblock_add(mb, at, PG);
			memblock_remove(mb, at, PG);
		}
		ns[1] = (now_ns() - t0) / ops;

		t0 = now_ns();
		for (unsigned long i = 0; i < ops; i++) {
			uint64_t a = memblock_phys_alloc_range(mb, PG, PG, 0, (1ULL << 30) + n * 2 * PG);

			memblock_phys_free(mb, a, PG);
		}
		ns[2] = (now_ns() - t0) / ops;

		t0 = now_ns();
		for (unsigned long i = 0; i < ops; i++) {
			uint64_t at = (1ULL << 30) + (uint64_t)(rand() % n) * 4 * PG;

			memblock_phys_free(mb, at, PG / 2);
			memblock_reserve(mb, at, PG / 2);
		}
		ns[3] = (now_ns() - t0) / ops;

		printf("%-9lu %11.0f ns %11.0f ns %11.0f ns %11.0f ns\n", n, ns[0], ns[1], ns[2], ns[3]);
		if (s == 0)
			memcpy(base, ns, sizeof(base));
		else
			printf("%-9s %13.1fx %13.1fx %13.1fx %13.1fx   (region count x%lu)\n", "", ns[0] / base[0],
			       ns[1] / base[1], ns[2] / base[2], ns[3] / base[3], n / sizes[0]);
		memblock_release(mb);
	}
	free(mb);

	for (int i = 1; i < argc; i++) {
		FILE *null = fopen("/dev/null", "w");
		double t0 = now_ns();
		int runs = 20;

		for (int k = 0; k < runs; k++) {
			FILE *in = fopen(argv[i], "r");

			if (!in || !null)
				return 1;
			replay_log(in, null, argv[i]);
			fclose(in);
		}
		printf("replay of %s: %.2f ms\n", argv[i], (now_ns() - t0) / runs / 1e6);
		fclose(null);
	}
	return 0;
}
