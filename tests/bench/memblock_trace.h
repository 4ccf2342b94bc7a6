/* SPDX-License-Identifier: MIT */
/*
 * One memblock operation trace, run through memprobe's core/mm/memblock.c and
 * through Linux's mm/memblock.c built in user space, so both do the same
 * work on the same addresses.  The trace lives in a window of address space
 * at TRACE_BASE: Linux's copy writes its grown region arrays there, so its
 * driver maps that window; memprobe's only models it.
 */
#ifndef MEMPROBE_MEMBLOCK_TRACE_H
#define MEMPROBE_MEMBLOCK_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TRACE_BASE (1ULL << 44)
#define TRACE_SPAN (1ULL << 35)	/* 4,096 regions of 2 MiB, every 8 MiB */

enum trace_kind {
	TRACE_ADD_NODE,		/* memblock_add_node(base, size, nid, MEMBLOCK_NONE) */
	TRACE_RESERVE,		/* memblock_reserve(base, size) */
	TRACE_FREE,		/* memblock_phys_free(base, size) */
	TRACE_ALLOC,		/* memblock_phys_alloc_range(size, align, 0, ANYWHERE) */
	TRACE_ALLOC_NID,	/* memblock_phys_alloc_try_nid(size, align, nid) */
	TRACE_ADD,		/* memblock_add(base, size) */
	TRACE_ALLOC_RANGE,	/* memblock_alloc_range_nid(size, align, base, end, nid, exact) */
};

struct trace_op {
	enum trace_kind kind;
	int nid;
	int exact;
	uint64_t base, size, align, end;
};

/* A run of operations timed as one figure. */
struct trace_phase {
	const char *name;
	size_t first, count;	/* operations [first, first + count) */
	size_t per_op;		/* operations per counted step: a reserve+free pair is 2 */
};

enum { TRACE_PHASES = 5, TRACE_LOG_RUNS = 101 };

/**
 * memblock_trace() - build the benchmark's operation trace
 * @phases: filled with the TRACE_PHASES phases, in order
 *
 * Return: the operations (malloc'd), or NULL when memory runs out.  The
 * number of operations is the last phase's first + count.
 */
struct trace_op *memblock_trace(struct trace_phase phases[TRACE_PHASES]);

/* One side of the comparison: how it runs an operation and shows its state. */
struct trace_side {
	const char *name;
	int (*setup)(void);
	void (*reset)(void);	/* back to the state setup() left */
	void (*run)(const struct trace_op *op);
	void (*dump)(FILE *out);	/* every memory and reserved region, one per line */
};

/**
 * trace_main() - time each phase of the trace on one side
 * @side: the memblock under test
 * @argc, @argv: `PROGRAM STATE_FILE [TRACE_FILE]`; the final state is
 *	written to STATE_FILE.  A TRACE_FILE (a boot log's operations, one per
 *	line: `add BASE SIZE`, `reserve BASE SIZE`, `free BASE SIZE`,
 *	`alloc SIZE ALIGN START END NID EXACT`, numbers in C syntax) is run as
 *	one phase instead of the built-in trace, its addresses moved up by
 *	TRACE_BASE.  A log's trace is short, so it runs TRACE_LOG_RUNS times,
 *	from the same state each time, and the median run counts.
 *
 * Prints `PHASE NS_PER_STEP` per phase.
 *
 * Return: the process's exit status.
 */
int trace_main(const struct trace_side *side, int argc, char **argv);

/* The state file's line for one region, the same on both sides. */
#define TRACE_REGION_FORMAT "%s %#llx %#llx flags %#x nid %d\n"

#endif
