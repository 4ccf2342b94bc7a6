// SPDX-License-Identifier: MIT
/*
 * The whole pipeline at scale, on synthetic firmware inputs: an EFI memory
 * map of N descriptors (RAM runs split by reserved pages, so none merge),
 * an SRAT of CPU and memory entries over K nodes (each node's memory in
 * interleaved ranges), up to 64 TiB of RAM.  Time (median of 3), memory
 * (the machine and the most host memory its stages held at once, and the
 * peak resident size of a process running only that case), and the time
 * per descriptor and per SRAT entry, which should stay flat as each grows
 * (one sweep each).  It prints numbers and never fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "heap.h"
#include "memprobe/pipeline.h"

#define DESC_SIZE 48
#define GiB (1ULL << 30)
#define TiB (1ULL << 40)

struct scale_case {
	unsigned nodes, descriptors, srat_entries;
	uint64_t ram;
};

static void put_desc(uint8_t *d, uint32_t type, uint64_t phys, uint64_t pages)
{
	memset(d, 0, DESC_SIZE);
	memcpy(d, &type, 4);
	memcpy(d + 8, &phys, 8);
	memcpy(d + 24, &pages, 8);
	d[32] = 0x0f;	/* UC WC WT WB */
}

/* Low RAM as OVMF leaves it, then RAM above 4 GiB in runs split by reserved pages, to *end. */
static uint8_t *make_map(const struct scale_case *c, size_t *size, uint64_t *end)
{
	unsigned runs = (c->descriptors - 2) / 2, n = 0;
	uint64_t run_bytes = (c->ram - 3 * GiB) / runs & ~0xfffULL, at = 4 * GiB;
	uint8_t *map = calloc(c->descriptors, DESC_SIZE);

	put_desc(map + n++ * DESC_SIZE, 7, 0x1000, 0x9f);
	put_desc(map + n++ * DESC_SIZE, 7, 0x100000, (3 * GiB - 0x100000) >> 12);
	for (unsigned i = 0; i < runs; i++) {
		put_desc(map + n++ * DESC_SIZE, 7, at, (run_bytes - 0x1000) >> 12);
		put_desc(map + n++ * DESC_SIZE, 0, at + run_bytes - 0x1000, 1);
		at += run_bytes;
	}
	*size = (size_t)n * DESC_SIZE;
	*end = at;
	return map;
}

static uint8_t *put_entry(uint8_t *p, uint8_t type, uint8_t len)
{
	memset(p, 0, len);
	p[0] = type;
	p[1] = len;
	return p;
}

/*
 * Half the entries x2APIC CPUs, half memory ranges up to end (node 0 also
 * has the low 3 GiB); node of range i is i % nodes, so every node's memory
 * interleaves with the others'.
 */
static uint8_t *make_srat(const struct scale_case *c, uint64_t end, uint32_t *len)
{
	unsigned cpus = c->srat_entries / 2, ranges = c->srat_entries - cpus - 1;
	uint64_t range_bytes = (end - 4 * GiB) / ranges & ~(GiB / 512 - 1), at = 4 * GiB;
	uint8_t sum = 0;
	uint8_t *t = calloc(1, 48 + (size_t)cpus * 24 + (size_t)(ranges + 1) * 40), *p = t + 48;

	for (unsigned i = 0; i < cpus; i++) {
		uint32_t pxm = i % c->nodes, apic = i, flags = 1;

		p = put_entry(p, 2, 24);
		memcpy(p + 4, &pxm, 4);
		memcpy(p + 8, &apic, 4);
		memcpy(p + 12, &flags, 4);
		p += 24;
	}
	for (unsigned i = 0; i <= ranges; i++) {
		uint32_t pxm = i ? (i - 1) % c->nodes : 0, flags = 1;
		uint64_t base = i ? at : 0, size = !i ? 3 * GiB : i == ranges ? end - at : range_bytes;

		p = put_entry(p, 1, 40);
		memcpy(p + 2, &pxm, 4);
		memcpy(p + 8, &base, 8);
		memcpy(p + 16, &size, 8);
		memcpy(p + 28, &flags, 4);
		p += 40;
		if (i)
			at += range_bytes;
	}
	*len = (uint32_t)(p - t);
	memcpy(t, "SRAT", 4);
	memcpy(t + 4, len, 4);
	t[8] = 3;
	t[36] = 1;	/* the reserved field ACPI wants 1 */
	for (uint32_t i = 0; i < *len; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)-sum;
	return t;
}

/* Host memory handed to the core, counted: what it holds now and at most. */
struct counted_heap {
	size_t now, peak;
};

static void *counted_alloc(void *ctx, size_t bytes)
{
	struct counted_heap *h = ctx;
	void *p = host_heap.alloc(host_heap.ctx, bytes);

	if (p && (h->now += bytes) > h->peak)
		h->peak = h->now;
	return p;
}

static void counted_free(void *ctx, void *p, size_t bytes)
{
	struct counted_heap *h = ctx;

	h->now -= bytes;
	host_heap.free(host_heap.ctx, p, bytes);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void run_case(const struct scale_case *c)
{
	struct mp_log log = { .write = discard, .ctx = NULL };
	const struct sinks sinks = { &log, NULL };
	struct fw_inputs fw = { .frontend = "bench", .cmdline = "nokaslr kernel_addr=16M" };
	struct acpi_table srat = { "SRAT", 0x1000, 0, NULL };
	size_t map_size;
	uint64_t end;
	uint8_t *map = make_map(c, &map_size, &end);
	uint8_t *srat_bytes = make_srat(c, end, &srat.length);
	struct machine *m = malloc(sizeof(*m));
	struct counted_heap heap = { 0, 0 };
	const struct memblock_storage storage = { counted_alloc, counted_free, &heap };
	struct rusage ru;
	double t[3];

	srat.bytes = srat_bytes;
	fw.memmap = (struct efi_memmap){ .map = map, .map_size = map_size, .desc_size = DESC_SIZE,
					 .desc_version = 1 };
	fw.acpi.listed = &srat;
	fw.acpi.nr_listed = 1;
	for (int i = 0; i < 3; i++) {
		double start = now_ns();

		machine_init(m, &fw, NULL, &sinks, &storage);
		memprobe_run(m);
		machine_release(m);
		t[i] = now_ns() - start;
	}
	qsort(t, 3, sizeof(t[0]), cmp_double);
	getrusage(RUSAGE_SELF, &ru);
	printf("%6u %12u %13u %8llu TiB %8.2f %13.1f %12.1f %14.3f %9.3f\n", c->nodes, c->descriptors,
	       c->srat_entries, (unsigned long long)(c->ram / TiB), t[1] / 1e6,
	       (sizeof(*m) + heap.peak) / 1048576.0, ru.ru_maxrss / 1024.0, t[1] / 1e3 / c->descriptors,
	       t[1] / 1e3 / c->srat_entries);
	fflush(stdout);
	free(m);
	free(map);
	free(srat_bytes);
}

int main(void)
{
	static const struct scale_case cases[] = {
		/* descriptors grow */
		{ 8, 1024, 64, 1 * TiB },
		{ 8, 16384, 64, 1 * TiB },
		{ 8, 65536, 64, 1 * TiB },
		/* SRAT entries grow (interleaved nodes: Linux's numa_cleanup_meminfo is cubic there) */
		{ 8, 16384, 1024, 1 * TiB },
		{ 8, 16384, 4096, 1 * TiB },
		/* nodes and RAM grow; the last is the target machine */
		{ 1, 1024, 64, 1 * TiB },
		{ 64, 16384, 4096, 16 * TiB },
		{ 1024, 16384, 4096, 64 * TiB },
	};

	printf("the whole pipeline on synthetic inputs (median of 3; memprobe MiB: the machine and "
	       "its peak heap; process MiB: peak resident size, inputs included):\n");
	printf("%6s %12s %13s %12s %8s %13s %12s %14s %9s\n", "nodes", "descriptors", "SRAT entries",
	       "RAM", "ms", "memprobe MiB", "process MiB", "us/descriptor", "us/entry");
	fflush(stdout);
	/* Each case in a process of its own, so the resident peak is that case's. */
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			run_case(&cases[i]);
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench_scale: case %u failed\n", i);
			return 1;
		}
	}
	return 0;
}
