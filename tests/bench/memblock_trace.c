// SPDX-License-Identifier: MIT
/*
 * The memblock benchmark's trace: 4,096 memory regions on 8 nodes added in a
 * shuffled order, 2,048 scattered reservations, 100k reserve/free pairs,
 * 20k top-down allocations and 10k node allocations.  A fixed xorshift
 * generator makes it the same on every machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "memblock_trace.h"

#define REGIONS 4096
#define NODES 8
#define REGION_SIZE (2ULL << 20)
#define REGION_STRIDE (8ULL << 20)
#define PAGE 4096ULL

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A page-aligned range of 1 to 16 pages inside a random memory region. */
static void random_range(uint64_t *s, struct trace_op *op)
{
	uint64_t region = next(s) % REGIONS;

	op->size = (1 + next(s) % 16) * PAGE;
	op->base = TRACE_BASE + region * REGION_STRIDE + next(s) % (REGION_SIZE / PAGE - 16) * PAGE;
}

static void phase(struct trace_phase *p, const char *name, size_t first, size_t count, size_t per_op)
{
	p->name = name;
	p->first = first;
	p->count = count;
	p->per_op = per_op;
}

struct trace_op *memblock_trace(struct trace_phase phases[TRACE_PHASES])
{
	enum { RESERVES = 2048, PAIRS = 100000, ALLOCS = 20000, NID_ALLOCS = 10000 };
	size_t total = REGIONS + RESERVES + 2 * PAIRS + ALLOCS + NID_ALLOCS, n = 0;
	struct trace_op *ops = calloc(total, sizeof(*ops));
	unsigned order[REGIONS];
	uint64_t s = 0x9e3779b97f4a7c15ULL;

	if (!ops)
		return NULL;
	for (unsigned i = 0; i < REGIONS; i++)
		order[i] = i;
	for (unsigned i = REGIONS - 1; i > 0; i--) {
		unsigned j = next(&s) % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}

	phase(&phases[0], "add_node", n, REGIONS, 1);
	for (unsigned i = 0; i < REGIONS; i++, n++) {
		ops[n].kind = TRACE_ADD_NODE;
		ops[n].base = TRACE_BASE + order[i] * REGION_STRIDE;
		ops[n].size = REGION_SIZE;
		ops[n].nid = order[i] / (REGIONS / NODES);
	}

	phase(&phases[1], "reserve", n, RESERVES, 1);
	for (unsigned i = 0; i < RESERVES; i++, n++) {
		ops[n].kind = TRACE_RESERVE;
		random_range(&s, &ops[n]);
	}

	phase(&phases[2], "reserve+free", n, 2 * PAIRS, 2);
	for (unsigned i = 0; i < PAIRS; i++, n += 2) {
		ops[n].kind = TRACE_RESERVE;
		random_range(&s, &ops[n]);
		ops[n + 1] = ops[n];
		ops[n + 1].kind = TRACE_FREE;
	}

	phase(&phases[3], "alloc", n, ALLOCS, 1);
	for (unsigned i = 0; i < ALLOCS; i++, n++) {
		ops[n].kind = TRACE_ALLOC;
		ops[n].size = (1 + next(&s) % 16) * PAGE;
		ops[n].align = next(&s) % 4 ? PAGE : 16 * PAGE;
	}

	phase(&phases[4], "alloc_nid", n, NID_ALLOCS, 1);
	for (unsigned i = 0; i < NID_ALLOCS; i++, n++) {
		ops[n].kind = TRACE_ALLOC_NID;
		ops[n].size = (1 + next(&s) % 16) * PAGE;
		ops[n].align = PAGE;
		ops[n].nid = next(&s) % NODES;
	}
	return ops;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* An address of the log, moved into the trace's window; the special limits stay. */
static uint64_t moved(uint64_t addr)
{
	return addr <= 1 || addr == ~0ULL ? addr : addr + TRACE_BASE;
}

/* A boot log's operations (see trace_main()), as one phase. */
static struct trace_op *read_trace(const char *path, struct trace_phase *phase)
{
	FILE *in = fopen(path, "r");
	struct trace_op *ops = NULL, op;
	size_t n = 0, max = 0;
	char kind[16];
	int line = 0;

	if (!in) {
		perror(path);
		return NULL;
	}
	while (fscanf(in, "%15s", kind) == 1) {
		unsigned long long a = 0, b = 0, c = 0, d = 0;
		int fields;

		line++;
		memset(&op, 0, sizeof(op));
		if (!strcmp(kind, "alloc")) {
			fields = fscanf(in, "%lli %lli %lli %lli %d %d", &a, &b, &c, &d, &op.nid, &op.exact);
			op = (struct trace_op){ TRACE_ALLOC_RANGE, op.nid, op.exact, moved(c), a, b, moved(d) };
			fields = fields == 6 ? 2 : 0;
		} else {
			fields = fscanf(in, "%lli %lli", &a, &b);
			op.base = moved(a);
			op.size = b;
			op.kind = !strcmp(kind, "add")	   ? TRACE_ADD
				  : !strcmp(kind, "reserve") ? TRACE_RESERVE
				  : !strcmp(kind, "free")    ? TRACE_FREE
							     : (fields = 0, TRACE_FREE);
		}
		if (fields != 2) {
			fprintf(stderr, "%s:%d: not an operation of the trace format\n", path, line);
			goto fail;
		}
		if (n == max) {
			struct trace_op *grown = realloc(ops, (max = 2 * max + 64) * sizeof(*ops));

			if (!grown)
				goto fail;
			ops = grown;
		}
		ops[n++] = op;
	}
	fclose(in);
	phase->name = "log";
	phase->first = 0;
	phase->count = n;
	phase->per_op = 1;
	return ops;
fail:
	fclose(in);
	free(ops);
	return NULL;
}

int trace_main(const struct trace_side *side, int argc, char **argv)
{
	struct trace_phase phases[TRACE_PHASES];
	struct trace_op *ops;
	int nr_phases = TRACE_PHASES;
	FILE *state;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: %s STATE_FILE [TRACE_FILE]\n", argv[0]);
		return 2;
	}
	if (argc == 3) {
		ops = read_trace(argv[2], &phases[0]);
		nr_phases = 1;
	} else {
		ops = memblock_trace(phases);
	}
	if (!ops || side->setup() != 0) {
		fprintf(stderr, "%s: cannot set up the trace\n", side->name);
		return 1;
	}
	for (int p = 0; p < nr_phases; p++) {
		const struct trace_op *first = ops + phases[p].first, *end = first + phases[p].count;
		int repeats = argc == 3 ? TRACE_LOG_RUNS : 1;
		double ns[TRACE_LOG_RUNS];

		for (int r = 0; r < repeats; r++) {
			double t0;

			if (r)
				side->reset();
			t0 = now_ns();
			for (const struct trace_op *op = first; op < end; op++)
				side->run(op);
			ns[r] = now_ns() - t0;
		}
		qsort(ns, repeats, sizeof(ns[0]), cmp_double);
		printf("%s %.1f\n", phases[p].name,
		       ns[repeats / 2] / (double)(phases[p].count / phases[p].per_op));
	}
	state = fopen(argv[1], "w");
	if (!state) {
		perror(argv[1]);
		return 1;
	}
	side->dump(state);
	free(ops);
	return fclose(state) == 0 ? 0 : 1;
}
