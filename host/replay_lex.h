/* SPDX-License-Identifier: MIT */
/*
 * The lexer of memprobe replay: one line of a Linux boot log (dmesg or a
 * serial console, timestamps or not) into one event replay understands.
 */
#ifndef MEMPROBE_HOST_REPLAY_LEX_H
#define MEMPROBE_HOST_REPLAY_LEX_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum replay_event_kind {
	EV_OTHER,		/* a line replay does not use */
	EV_DUMP_HEADER,		/* "MEMBLOCK configuration:" */
	EV_DUMP_BODY,		/* " memory...", " reserved..." lines of a dump */
	EV_LAST_PFN,		/* "last_pfn = 0x..." */
	EV_MEMORY_INIT,		/* "Memory: ...": memblock hands over to the buddy allocator */
	EV_REQUEST,		/* an allocation request line */
	EV_RESERVE, EV_FREE, EV_ADD, EV_REMOVE, EV_ADD_NODE,
	EV_DOUBLED,		/* "memblock: ... is doubled to ..." */
	EV_NODE_DATA,		/* "NODE_DATA(n) allocated [mem a-b]" */
	EV_SRAT_MEMBLK,		/* "ACPI: SRAT: Node n PXM p [mem a-b]" */
	EV_NUMA_CLEANUP,	/* a line numa_cleanup_meminfo prints */
	EV_NOT_COVERED,		/* "NUMA: nodes only cover ... Not used." */
	EV_SRAT_REJECTED,	/* "ACPI: SRAT: SRAT not used.", "[SRAT:0x01] Invalid zero length" */
	EV_DUMMY_NODE,		/* "Faking a node at [mem a-b]" */
	EV_FAKE_NODE,		/* "Faking node n at [mem a-b]" */
};

enum replay_request {
	REQ_NONE, REQ_PHYS_ALLOC_RANGE, REQ_TRY_NID, REQ_TRY_NID_RAW, REQ_EXACT_NID_RAW
};

struct replay_event {
	enum replay_event_kind kind;
	bool memblock_op;		/* a memblock=debug line ("memblock_..." or "memblock: ...") */
	const char *caller;		/* the line's last word, without "+0x../0x.." */
	enum replay_request request;
	uint64_t base, size, align, from, max;	/* ranges: [base, base + size) */
	int nid;
	unsigned flags;
	uint64_t pfn;
};

void replay_normalize(char *line);
const char *replay_log_format(const char *line);
void replay_print_kernels(FILE *out);
void replay_lex(const char *line, struct replay_event *ev);

#endif
