/* SPDX-License-Identifier: MIT */
/*
 * The SRAT as Linux 6.1 reads it on x86 (acpi_numa_init and its handlers):
 * what the table says, parsed once and never changed after.  PXMs map to
 * node numbers in first-seen order, as acpi_map_pxm_to_node hands them
 * out.  Linux's live NUMA state lives in struct numa_state (x86/numa.h):
 * the parser reaches it only through the hooks the NUMA stage lends.
 */
#ifndef MEMPROBE_ACPI_SRAT_H
#define MEMPROBE_ACPI_SRAT_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/acpi/slit.h"
#include "memprobe/acpi/tables.h"
#include "memprobe/lib/nodemask.h"

#define MAX_PXM_DOMAINS 1024
#define MAX_LOCAL_APIC 32768
#define PXM_INVAL (-1)
#define SRAT_HEADER_SIZE 48
#define SRAT_MAX_MEMBLKS (MAX_NUMNODES * 2)	/* NR_NODE_MEMBLKS: numa_add_memblk takes no more */

enum srat_type {
	SRAT_CPU = 0,
	SRAT_MEMORY = 1,
	SRAT_X2APIC = 2,
	SRAT_GICC = 3,
	SRAT_GIC_ITS = 4,
	SRAT_GENERIC_INITIATOR = 5,
	SRAT_GENERIC_PORT = 6,
	SRAT_RINTC = 7,
};

/* A subtable type's structure size, the flag bits the spec defines, its name. */
struct srat_subtable_kind {
	bool walked;		/* Linux's x86 walk hands it to a handler (which reads it whole) */
	uint8_t length;
	uint8_t flags_offset;	/* 0: no flags field */
	uint32_t flags_defined;
	const char *name;
};

/*
 * What acpi_numa_memory_affinity_init() calls for each enabled memory entry
 * (Linux's numa_add_memblk() and memblock_mark_hotplug()): the NUMA stage
 * lends them, so the parser needs neither x86's NUMA code nor memblock.
 */
struct srat_memory_hooks {
	int (*add_memblk)(void *ctx, int nid, uint64_t start, uint64_t end);	/* <0: refused */
	int (*mark_hotplug)(void *ctx, uint64_t start, uint64_t size);	/* nonzero: failed */
	void *ctx;
};

/* A memory range the SRAT gives a node, as numa_add_memblk took it. */
struct srat_memblk {
	uint64_t start, end;
	int nid;
};

struct srat_info {
	bool quiet_cpus;		/* the CPU lines are pr_debug (Linux 6.12): not printed */
	const char *entries_prefix;	/* before the subtable walk's "[SRAT:0x..]" lines: "ACPI: " or "" */
	bool present;			/* the firmware has an SRAT */
	bool disabled;			/* bad_srat() was called */
	uint8_t revision;
	int result;			/* x86_acpi_numa_init()'s verdict: 0, or <0 to fall back */
	unsigned parsed_memblks;	/* memory entries accepted */
	unsigned problems;		/* [Firmware Bug] findings */

	int pxm_to_node[MAX_PXM_DOMAINS];
	int node_to_pxm[MAX_NUMNODES];
	uint8_t nodes_found[NODEMASK_BYTES];
	uint8_t nodes_parsed[NODEMASK_BYTES];	/* the nodes its entries name */
	int16_t apicid_to_node[MAX_LOCAL_APIC];	/* from its enabled CPU entries */
	unsigned nr_memblks;		/* its ranges (start below end) numa_add_memblk took, in order */
	struct srat_memblk memblk[SRAT_MAX_MEMBLKS];
	uint64_t hotplug_bytes;		/* marked MEMBLOCK_HOTPLUG */
	uint64_t max_pfn;		/* past its ranges' last page: raises Linux's max_possible_pfn */
};

const struct srat_subtable_kind *srat_subtable_kind(uint8_t type);
void srat_init(struct srat_info *s);
int acpi_numa_init(struct srat_info *s, struct slit_info *slit, const struct acpi_tables *at,
		   const struct srat_memory_hooks *hooks, struct mp_log *log);

#endif
