/* SPDX-License-Identifier: MIT */
/* start_kernel()'s memory lines after the zonelists: swiotlb, SLUB, NUMA balancing, hash tables, the memory block size, DMA pools, HugeTLB. */
#ifndef MEMPROBE_MM_MM_INIT_H
#define MEMPROBE_MM_MM_INIT_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Lines a stage named as not predicted (struct machine's unpredicted), so
 * memprobe compare leaves Linux's out too.  The hash tables follow in the
 * order of mm_init_hash_names.
 */
enum unpredicted_lines {
	UNPREDICTED_PERCPU = 1u << 0,
	UNPREDICTED_SWIOTLB = 1u << 1,
	UNPREDICTED_SLUB = 1u << 2,
	UNPREDICTED_HUGETLB = 1u << 3,
	UNPREDICTED_HASH = 1u << 4,	/* ... to 1u << 7: one per boot hash table */
	UNPREDICTED_DMA_POOLS = 1u << 8,
	UNPREDICTED_MEMORY_BLOCK = 1u << 9,
	UNPREDICTED_MMCONFIG = 1u << 10,	/* the early MMCONFIG lines */
	UNPREDICTED_MMCONFIG_LATE = 1u << 11,	/* acpi_init's MMCONFIG lines */
	UNPREDICTED_SPARSE = 1u << 12,	/* sparse_init's memblock=debug lines */
	UNPREDICTED_KERNEL_MEMBLOCK = 1u << 13,	/* the memblock=debug lines from setup_percpu on */
	UNPREDICTED_SWIOTLB_MAPPED = 1u << 14,	/* pci_iommu_init's lines about the buffer */
	UNPREDICTED_MEMORY_LINE = 1u << 15,	/* mem_init_print_info's "Memory:" */
};

/* The software IO TLB as swiotlb= and swiotlb_init leave it. */
struct swiotlb_state {
	uint64_t nslabs;		/* 2 KiB slabs: 64 MiB's unless swiotlb= says */
	uint32_t nareas;		/* 0 until set */
	bool force_bounce, force_disable;
	uint64_t start, bytes;		/* the buffer, bytes 0 without one */
	uint64_t slots_bytes;		/* its slots array */
};

/* What sizes the atomic DMA pools: coherent_pool= (0: Linux's default), and memblock's early hash tables. */
struct dma_pools {
	uint64_t size;
	uint64_t early_hash_bytes;	/* HASH_EARLY tables: memory the page allocator never gets */
};

#define IO_TLB_DEFAULT_SLABS 32768	/* 64 MiB */

#define NR_BOOT_HASHES 4
extern const char *const mm_init_hash_names[NR_BOOT_HASHES];

struct machine;
int setup_io_tlb_npages(struct machine *m, const char *value);
int early_coherent_pool(struct machine *m, const char *value);
void setup_command_line(struct machine *m);
void memblock_lines_unpredicted(struct machine *m, const char *why);
void print_unknown_bootoptions(struct machine *m);
void setup_log_buf(struct machine *m);
void swiotlb_init(struct machine *m);
void swiotlb_print_info(struct machine *m);
void mem_init_print_info(struct machine *m);

/* The start of the "Memory:" line memprobe prints, after "memprobe: ", when the available memory is the run's */
#define MEMORY_AVAILABLE_NOT_PREDICTED "Memory: ?K/"
/* After "memprobe: Memory: ?K/...": why the available memory is not predicted (compare reads the line up to it). */
#define MEMORY_LINE_RUN_NOTE " - Linux prints it after the deferred init, when what is available depends on the run"
/*
 * The "Memory:" line a boot under memory KASLR prints once in so many: after
 * MEMORY_LINE_OR, the line, then the note (compare reads the line up to it).
 */
#define MEMORY_LINE_OR "memprobe: or "
#define MEMORY_LINE_OR_NOTE " - when memory KASLR starts vmalloc space on a top-level boundary"
void kmem_cache_init(struct machine *m);
void check_numabalancing_enable(struct machine *m);
void vfs_caches_init_early(struct machine *m);
void vfs_caches_init(struct machine *m);
void hugetlb_init(struct machine *m);
void probe_memory_block_size(struct machine *m);
void dma_atomic_pool_init(struct machine *m);

#endif
