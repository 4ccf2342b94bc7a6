// SPDX-License-Identifier: MIT
/*
 * setup_cpu_entry_areas() (arch/x86/mm/cpu_entry_area.c), as trap_init()
 * runs it: each possible CPU's entry area is mapped page by page with
 * set_pte_vaddr(), and each page table that is still missing on the way
 * (the PUD page, a PMD page per GiB, a PTE page per 2 MiB) is one
 * spp_getpage() from memblock.  The layout is both Debian builds':
 * struct cpu_entry_area is 236 KiB, after the read-only IDT's page.
 */
#include "memprobe/x86/cpu_entry_area.h"

#include "memprobe/lib/util.h"
#include "memprobe/machine.h"
#include "memprobe/mm/mm_init.h"

#define CEA_PER_CPU_OFFSET PAGE_SIZE	/* CPU_ENTRY_AREA_PER_CPU: after the IDT's page */
/*
 * What every CPU maps: the GDT, the entry stack page, the TSS (5 pages with
 * its I/O bitmaps) and the DF, NMI, DB and MCE stacks (8 KiB each after a
 * guard page).  The SEV-ES stacks (7 pages with their guards) are not
 * mapped on these machines; the debug store's page and the PEBS and BTS
 * buffers' 128 KiB are, on Intel's CPUs alone.
 */
#define CEA_MAPPED_BYTES ((1 + 1 + 5 + 4 * 3) * PAGE_SIZE)
#define CEA_SIZE (CEA_MAPPED_BYTES + 7 * PAGE_SIZE + PAGE_SIZE + (128ULL << 10))
#define PMD_SIZE (2ULL << 20)
#define PUD_SIZE (1ULL << 30)

/* The blocks of size each CPU's mapped bytes touch, the areas laid out one after another from 0 (cpu_offset = cpu). */
static uint64_t blocks_touched(unsigned cpus, uint64_t mapped, uint64_t block)
{
	uint64_t count = 0, last = UINT64_MAX;

	for (unsigned cpu = 0; cpu < cpus; cpu++) {
		uint64_t first = CEA_PER_CPU_OFFSET + cpu * CEA_SIZE, end = first + mapped - 1;

		/* the IDT's page at 0 shares the first block */
		for (uint64_t b = cpu ? first / block : 0; b <= end / block; b++)
			if (b != last) {
				count++;
				last = b;
			}
	}
	return count;
}

/**
 * setup_cpu_entry_areas() - spp_getpage()'s pages for the possible CPUs' entry areas
 * @m: the machine, after init_possible_cpus
 *
 * cea_pages= gives the count a boot's log shows.  Otherwise it is counted
 * with the areas in CPU order, which is where 6.1 always puts them; 6.12
 * under KASLR puts each in a random slot (init_cea_offsets), and then the
 * count is not predicted.  Intel's CPUs also map the debug store and its buffers.
 */
void setup_cpu_entry_areas(struct machine *m)
{
	unsigned cpus = m->cpus.possible;
	uint64_t mapped, pages = m->opts.cea_pages;

	if (!pages && m->kaslr && m->opts.kernel->cea_offsets_random) {
		memblock_lines_unpredicted(m, "with KASLR this kernel puts the CPU entry areas at random, and so the "
					      "page tables spp_getpage() takes for them (cea_pages= gives their count)");
		return;
	}
	if (!pages && (!m->paging.cpu.known || !cpus)) {
		memblock_lines_unpredicted(m, "the boot CPU's vendor or the possible CPUs are not known, and so the "
					      "page tables of the CPU entry areas");
		return;
	}
	if (!pages) {
		mapped = !mp_strcmp(m->paging.cpu.vendor, "GenuineIntel") ? CEA_SIZE : CEA_MAPPED_BYTES;
		pages = 1 + blocks_touched(cpus, mapped, PUD_SIZE) + blocks_touched(cpus, mapped, PMD_SIZE);
	}
	while (pages--)
		memblock_alloc_try_nid_from(&m->memblock, PAGE_SIZE, PAGE_SIZE, 0, MEMBLOCK_ALLOC_ACCESSIBLE,
					    NUMA_NO_NODE, "spp_getpage");
}
