/* SPDX-License-Identifier: MIT */
/*
 * SRAT as Linux 6.1 reads it on x86 (acpi_numa_init and its handlers):
 * PXM to node numbers in first-seen order, APIC ID to node, and the memory
 * blocks numa_add_memblk collects.  SLIT and its validity check live here
 * too, as both feed the NUMA stage.
 */
#ifndef MEMPROBE_SRAT_H
#define MEMPROBE_SRAT_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/acpi.h"
#include "memprobe/memblock.h"

#define MAX_PXM_DOMAINS 1024
#define NR_NODE_MEMBLKS (MAX_NUMNODES * 2)
#define MAX_LOCAL_APIC 32768
#define PXM_INVAL (-1)
#define SRAT_HEADER_SIZE 48
#define SLIT_MAX_LOCALITIES 1024

struct numa_memblk {
	uint64_t start, end;
	int nid;
};

struct srat_info {
	bool present;			/* the firmware has an SRAT */
	bool disabled;			/* bad_srat() was called */
	uint8_t revision;
	int result;			/* x86_acpi_numa_init()'s return value */
	unsigned parsed_memblks;	/* memory entries accepted */
	unsigned problems;		/* validation findings */

	int pxm_to_node[MAX_PXM_DOMAINS];
	int node_to_pxm[MAX_NUMNODES];
	uint8_t nodes_found[MAX_NUMNODES / 8];
	uint8_t nodes_parsed[MAX_NUMNODES / 8];	/* numa_nodes_parsed */
	int16_t apicid_to_node[MAX_LOCAL_APIC];

	unsigned nr_memblks;		/* numa_meminfo as the SRAT fills it */
	struct numa_memblk memblk[NR_NODE_MEMBLKS];
	uint64_t hotplug_bytes;		/* marked MEMBLOCK_HOTPLUG */
};

struct slit_info {
	bool present, valid;
	uint32_t localities;		/* capped at SLIT_MAX_LOCALITIES */
	const uint8_t *matrix;		/* localities x localities, row-major by PXM */
};

bool node_isset(const uint8_t *mask, int node);
void srat_init(struct srat_info *s);
int acpi_numa_init(struct srat_info *s, struct slit_info *slit, const struct acpi_tables *at,
		   struct memblock *mb, struct mp_log *log);
int numa_add_memblk(struct srat_info *s, int nid, uint64_t start, uint64_t end,
		    struct mp_log *log);
void srat_validate(const struct acpi_table *srat, struct srat_info *s, struct mp_log *log);
void slit_print(const struct slit_info *slit, const struct srat_info *s, struct mp_log *log);

#endif
