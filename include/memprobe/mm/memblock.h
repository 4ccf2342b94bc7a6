/* SPDX-License-Identifier: MIT */
/*
 * Linux 6.1's boot-time memory allocator (mm/memblock.c) with an explicit
 * context.  Addresses are the modelled machine's physical addresses; the
 * region arrays themselves live in memory the front end supplies.
 *
 * The public operations are macros named as Linux names them; they pass the
 * calling function's name, which memblock=debug lines print where Linux
 * prints the caller's symbol.
 */
#ifndef MEMPROBE_MM_MEMBLOCK_H
#define MEMPROBE_MM_MEMBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memprobe/lib/nodemask.h"
#include "memprobe/lib/printk.h"

#define INIT_MEMBLOCK_REGIONS 128
#define PHYS_ADDR_MAX UINT64_MAX

/* memblock_alloc_* end limits */
#define MEMBLOCK_ALLOC_ANYWHERE (~(uint64_t)0)
#define MEMBLOCK_ALLOC_ACCESSIBLE 0
#define MEMBLOCK_ALLOC_NOLEAKTRACE 1

enum memblock_flags {
	MEMBLOCK_NONE = 0x0,
	MEMBLOCK_HOTPLUG = 0x1,
	MEMBLOCK_MIRROR = 0x2,
	MEMBLOCK_NOMAP = 0x4,
	MEMBLOCK_DRIVER_MANAGED = 0x8,
};

struct memblock_region {
	uint64_t base;
	uint64_t size;
	uint32_t flags;
	int nid;
};

struct memblock_type {
	unsigned long cnt;
	unsigned long max;
	uint64_t total_size;
	struct memblock_region *regions;
	uint64_t regions_phys;	/* modelled address of a grown array, 0 for the built-in one */
	const char *name;
};

/* Host memory for grown region arrays: UEFI pool, malloc, ... */
struct memblock_storage {
	void *(*alloc)(void *ctx, size_t bytes);
	void (*free)(void *ctx, void *p, size_t bytes);
	void *ctx;
};

/*
 * A top-down search's answer that was reserved: an identical search finds
 * nothing above it (what did not fit there still does not), so it resumes
 * below it, until memory or a reservation is given back (epoch).
 */
struct memblock_resume {
	uint64_t size, align, start, end;	/* the search, its bounds as clamped */
	int nid;
	uint32_t flags;
	uint64_t below;				/* its answer */
	uint64_t epoch;
	bool valid;
};

struct memblock {
	bool bottom_up;
	uint64_t current_limit;
	struct memblock_type memory;
	struct memblock_type reserved;

	bool can_resize;	/* memblock_allow_resize() was called */
	bool debug;		/* memblock=debug */
	bool movable_node;	/* movable_node: skip hotplug memory */
	bool warned_max_numnodes;
	struct mp_log *log;
	struct memblock_storage storage;
	uint64_t epoch;			/* counts the changes that can free room: frees, memory and its flags */
	struct memblock_resume resume, found;	/* the reserved answer, and the last search's */
	struct memblock_region memory_init[INIT_MEMBLOCK_REGIONS];
	struct memblock_region reserved_init[INIT_MEMBLOCK_REGIONS];
};

void memblock_init(struct memblock *mb, struct mp_log *log, const struct memblock_storage *storage);
void memblock_release(struct memblock *mb);

int memblock_add_node_from(struct memblock *mb, uint64_t base, uint64_t size, int nid,
			   uint32_t flags, const char *caller);
int memblock_add_from(struct memblock *mb, uint64_t base, uint64_t size, const char *caller);
int memblock_remove_from(struct memblock *mb, uint64_t base, uint64_t size, const char *caller);
int memblock_reserve_from(struct memblock *mb, uint64_t base, uint64_t size, const char *caller);
int memblock_phys_free_from(struct memblock *mb, uint64_t base, uint64_t size, const char *caller);
uint64_t memblock_phys_alloc_range_from(struct memblock *mb, uint64_t size, uint64_t align,
					uint64_t start, uint64_t end, const char *caller);
uint64_t memblock_alloc_try_nid_from(struct memblock *mb, uint64_t size, uint64_t align,
				     uint64_t min_addr, uint64_t max_addr, int nid,
				     const char *caller);
uint64_t memblock_alloc_try_nid_raw_from(struct memblock *mb, uint64_t size, uint64_t align,
					 uint64_t min_addr, uint64_t max_addr, int nid,
					 const char *caller);
uint64_t memblock_alloc_exact_nid_raw_from(struct memblock *mb, uint64_t size, uint64_t align,
					   uint64_t min_addr, uint64_t max_addr, int nid,
					   const char *caller);

#define memblock_add_node(mb, base, size, nid, flags) \
	memblock_add_node_from(mb, base, size, nid, flags, __func__)
#define memblock_add(mb, base, size) memblock_add_from(mb, base, size, __func__)
#define memblock_remove(mb, base, size) memblock_remove_from(mb, base, size, __func__)
#define memblock_reserve(mb, base, size) memblock_reserve_from(mb, base, size, __func__)
#define memblock_phys_free(mb, base, size) memblock_phys_free_from(mb, base, size, __func__)
#define memblock_phys_alloc_range(mb, size, align, start, end) \
	memblock_phys_alloc_range_from(mb, size, align, start, end, __func__)
#define memblock_phys_alloc(mb, size, align) \
	memblock_phys_alloc_range_from(mb, size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, __func__)
#define memblock_alloc_try_nid(mb, size, align, min_addr, max_addr, nid) \
	memblock_alloc_try_nid_from(mb, size, align, min_addr, max_addr, nid, __func__)
#define memblock_alloc_try_nid_raw(mb, size, align, min_addr, max_addr, nid) \
	memblock_alloc_try_nid_raw_from(mb, size, align, min_addr, max_addr, nid, __func__)
#define memblock_alloc_exact_nid_raw(mb, size, align, min_addr, max_addr, nid) \
	memblock_alloc_exact_nid_raw_from(mb, size, align, min_addr, max_addr, nid, __func__)
#define memblock_alloc(mb, size, align) \
	memblock_alloc_try_nid_from(mb, size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE, \
				    __func__)

/* No debug line of its own in Linux either: only the reserve it makes shows. */
uint64_t memblock_phys_alloc_try_nid(struct memblock *mb, uint64_t size, uint64_t align, int nid);
uint64_t memblock_phys_alloc_pages_from(struct memblock *mb, uint64_t nr, uint64_t start,
					uint64_t end, const char *caller);
uint64_t memblock_alloc_range_nid(struct memblock *mb, uint64_t size, uint64_t align,
				  uint64_t start, uint64_t end, int nid, bool exact_nid);

int memblock_isolate_range(struct memblock *mb, struct memblock_type *type, uint64_t base,
			   uint64_t size, int *start_rgn, int *end_rgn);
int memblock_set_node(struct memblock *mb, uint64_t base, uint64_t size,
		      struct memblock_type *type, int nid);
int memblock_mark_hotplug(struct memblock *mb, uint64_t base, uint64_t size);
int memblock_clear_hotplug(struct memblock *mb, uint64_t base, uint64_t size);
void memblock_set_bottom_up(struct memblock *mb, bool enable);
void memblock_set_current_limit(struct memblock *mb, uint64_t limit);
void memblock_allow_resize(struct memblock *mb);
void memblock_trim_memory(struct memblock *mb, uint64_t align);

/*
 * Free ranges (memory minus reserved), as for_each_free_mem_range and its
 * _reverse twin walk them.  Start with *idx = 0 (forward) or UINT64_MAX
 * (reverse); *idx becomes UINT64_MAX when the walk is over.
 */
void memblock_next_free_range(struct memblock *mb, uint64_t *idx, int nid, uint32_t flags,
			      uint64_t *start, uint64_t *end, int *out_nid);
void memblock_next_free_range_rev(struct memblock *mb, uint64_t *idx, int nid, uint32_t flags,
				  uint64_t *start, uint64_t *end, int *out_nid);

bool memblock_next_pfn_range(const struct memblock *mb, unsigned long *idx, int nid,
			     uint64_t *start_pfn, uint64_t *end_pfn, int *out_nid);
uint64_t absent_pages_in_range(const struct memblock *mb, int nid, uint64_t start_pfn,
			       uint64_t end_pfn);
uint64_t memblock_start_of_DRAM(const struct memblock *mb);
uint64_t memblock_end_of_DRAM(const struct memblock *mb);
unsigned long memblock_first_ending_after(const struct memblock_type *type, uint64_t addr);
int memblock_search_pfn_nid(const struct memblock *mb, uint64_t pfn);
bool memblock_is_region_memory(const struct memblock *mb, uint64_t base, uint64_t size);
bool memblock_is_region_reserved(const struct memblock *mb, uint64_t base, uint64_t size);

void memblock_dump_all(struct memblock *mb);
void memblock_dump_all_to(struct memblock *mb, struct mp_log *log);

#endif
