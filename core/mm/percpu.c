// SPDX-License-Identifier: MIT
/*
 * setup_per_cpu_areas() (arch/x86/kernel/setup_percpu.c): the first percpu
 * chunk as pcpu_embed_first_chunk() lays it out (mm/percpu.c) - the possible
 * CPUs grouped by node, the units per 2 MiB allocation, the unit size - and
 * the lines Linux prints, with pcpu_page_first_chunk()'s fall-back when the
 * groups lie too far apart for vmalloc space.  The static size is the kernel
 * build's (the profile's, or percpu_static_size=); the reserved and dynamic
 * sizes are the same in both kernels.
 */
#include "memprobe/mm/percpu.h"

#include "memprobe/lib/util.h"
#include "memprobe/machine.h"
#include "memprobe/mm/mm_init.h"
#include "memprobe/x86/numa.h"
#include "memprobe/x86/smpboot.h"

#define PERCPU_MODULE_RESERVE (8ULL << 10)	/* the first chunk's reserved size */
#define PERCPU_DYNAMIC_RESERVE (28ULL << 10)	/* on 64-bit */
#define PCPU_MIN_UNIT_SIZE (32ULL << 10)
#define PMD_SIZE (2ULL << 20)			/* x86-64's atom size */
#define NO_NODE_KEY MAX_NUMNODES		/* node_group's slot for NUMA_NO_NODE */

static uint64_t roundup_any(uint64_t x, uint64_t to)
{
	return (x + to - 1) / to * to;
}

/* The upa pcpu_build_alloc_info accepts: it divides the allocation into whole pages. */
static bool upa_fits(uint64_t alloc_size, unsigned upa)
{
	return !(alloc_size % upa) && !((alloc_size / upa) % PAGE_SIZE);
}

/*
 * pcpu_build_alloc_info(): the sizes, then the groups - the CPUs of one
 * node, in the order of each node's first CPU (by_node false: one group,
 * the page allocator's) - and the units per allocation that waste at most
 * a third of the units and use the fewest allocations.
 */
static void pcpu_build_alloc_info(struct machine *m, struct pcpu_alloc_info *ai, uint64_t dyn_size,
				  uint64_t atom_size, bool by_node, unsigned nr_cpus)
{
	uint64_t static_size = m->opts.percpu_static_size ? m->opts.percpu_static_size
							  : m->opts.kernel->percpu_static_size;
	uint64_t early = m->opts.kernel->percpu_dynamic_early_size;
	uint64_t size_sum = round_up(static_size + PERCPU_MODULE_RESERVE + (dyn_size > early ? dyn_size : early),
				     PAGE_SIZE);
	uint64_t min_unit_size = size_sum > PCPU_MIN_UNIT_SIZE ? size_sum : PCPU_MIN_UNIT_SIZE;
	uint64_t alloc_size = roundup_any(min_unit_size, atom_size);
	unsigned max_upa = (unsigned)(alloc_size / min_unit_size), best_upa = 1, last_allocs = UINT32_MAX;

	while (max_upa > 1 && !upa_fits(alloc_size, max_upa))
		max_upa--;
	for (unsigned i = 0; i <= MAX_NUMNODES; i++)
		ai->node_group[i] = -1;
	ai->nr_groups = 0;
	for (unsigned cpu = 0; cpu < nr_cpus; cpu++) {
		int node = by_node ? early_cpu_to_node(m, cpu) : 0;
		unsigned key = node >= 0 && node < MAX_NUMNODES ? (unsigned)node : NO_NODE_KEY;

		if (ai->node_group[key] < 0) {
			ai->group_cnt[ai->nr_groups] = 0;
			ai->node_group[key] = (int16_t)ai->nr_groups++;
		}
		ai->cpu_group[cpu] = (uint16_t)ai->node_group[key];
		ai->group_cnt[ai->node_group[key]]++;
	}
	for (unsigned upa = max_upa; upa; upa--) {
		unsigned allocs = 0, wasted = 0;

		if (!upa_fits(alloc_size, upa))
			continue;
		for (unsigned g = 0; g < ai->nr_groups; g++) {
			unsigned this_allocs = (ai->group_cnt[g] + upa - 1) / upa;

			allocs += this_allocs;
			wasted += this_allocs * upa - ai->group_cnt[g];
		}
		if (wasted > nr_cpus / 3)
			continue;
		if (allocs > last_allocs)
			break;
		last_allocs = allocs;
		best_upa = upa;
	}
	ai->static_size = static_size;
	ai->reserved_size = PERCPU_MODULE_RESERVE;
	ai->dyn_size = size_sum - static_size - PERCPU_MODULE_RESERVE;
	ai->unit_size = alloc_size / best_upa;
	ai->atom_size = atom_size;
	ai->alloc_size = alloc_size;
	ai->nr_units = 0;
	for (unsigned g = 0; g < ai->nr_groups; g++) {
		unsigned units = (ai->group_cnt[g] + best_upa - 1) / best_upa * best_upa;

		ai->unit_first[g] = (uint16_t)ai->nr_units;
		for (unsigned u = 0; u < units; u++)
			ai->unit_cpu[ai->nr_units + u] = NR_CPUS;
		ai->nr_units += units;
		ai->group_cnt[g] = 0;	/* counted again as the units fill */
	}
	for (unsigned cpu = 0; cpu < nr_cpus; cpu++) {
		unsigned g = ai->cpu_group[cpu];

		ai->unit_cpu[ai->unit_first[g] + ai->group_cnt[g]++] = (uint16_t)cpu;
	}
}

static unsigned group_units(const struct pcpu_alloc_info *ai, unsigned g)
{
	return (g + 1 < ai->nr_groups ? ai->unit_first[g + 1] : ai->nr_units) - ai->unit_first[g];
}

static unsigned decimal_width(unsigned v)
{
	unsigned w = 1;

	while (v /= 10)
		w++;
	return w;
}

/* pcpu_dump_alloc_info(): the sizes, then the allocations' units, a power of two of them per line. */
static void pcpu_dump_alloc_info(struct mp_log *log, const struct pcpu_alloc_info *ai, unsigned nr_cpus)
{
	unsigned group_width = decimal_width(ai->nr_groups), cpu_width = decimal_width(nr_cpus);
	unsigned upa = (unsigned)(ai->alloc_size / ai->unit_size), width, apl = 1, alloc = 0;
	char line[MP_LINE_MAX];
	unsigned len = 0;

	if (cpu_width > 8)
		cpu_width = 8;
	width = upa * (cpu_width + 1) + group_width + 3;
	while (apl * 2 <= 60 / width)
		apl *= 2;
	mp_printk(log, "pcpu-alloc: s%llu r%llu d%llu u%llu alloc=%llu*%llu\n", (unsigned long long)ai->static_size,
		  (unsigned long long)ai->reserved_size, (unsigned long long)ai->dyn_size,
		  (unsigned long long)ai->unit_size, (unsigned long long)(ai->alloc_size / ai->atom_size),
		  (unsigned long long)ai->atom_size);
	for (unsigned g = 0; g < ai->nr_groups; g++) {
		unsigned first = ai->unit_first[g], units = group_units(ai, g);

		for (unsigned a = 0; a < units / upa; a++, alloc++) {
			if (!(alloc % apl)) {
				if (len)
					mp_printk(log, "%s\n", line);
				len = (unsigned)mp_snprintf(line, sizeof(line), "pcpu-alloc: ");
			}
			len += (unsigned)mp_snprintf(line + len, sizeof(line) - len, "[%0*u] ", (int)group_width, g);
			for (unsigned u = first + a * upa; u < first + (a + 1) * upa; u++) {
				if (ai->unit_cpu[u] != NR_CPUS)
					len += (unsigned)mp_snprintf(line + len, sizeof(line) - len, "%0*u ",
								     (int)cpu_width, ai->unit_cpu[u]);
				else
					len += (unsigned)mp_snprintf(line + len, sizeof(line) - len, "%.*s ",
								     (int)cpu_width, "--------");
			}
		}
	}
	if (len)
		mp_printk(log, "%s\n", line);
}

/*
 * Where a group's area lands, near enough for the vmalloc check: memblock
 * allocates top-down, so just below the end of the group's node (of all
 * memory for a node without any).  Memory's layout decides, not the few
 * MiB of earlier allocations memprobe does not place.
 */
static uint64_t group_area_estimate(const struct machine *m, int node, uint64_t size)
{
	uint64_t end = node >= 0 && node < MAX_NUMNODES && m->zones.node_end[node] > m->zones.node_start[node]
			       ? PFN_PHYS(m->zones.node_end[node])
			       : memblock_end_of_DRAM(&m->memblock);

	return end > size ? round_down(end - size, PMD_SIZE) : 0;
}

/*
 * pcpu_embed_first_chunk()'s check: the areas' spread against 3/4 of
 * vmalloc space.  Return: 1 when it fails, 0 when it passes, -1 when the
 * estimate is too close to the limit to say.
 */
static int embed_too_far(struct machine *m, const struct pcpu_alloc_info *ai, uint64_t *max_distance,
			 uint64_t *vmalloc_total)
{
	uint64_t base = UINT64_MAX, highest = 0, limit, margin = 1ULL << 30;
	unsigned highest_group = 0;

	*vmalloc_total = (m->paging.levels == 5 ? 12800ULL : 32ULL) << 40;
	limit = *vmalloc_total / 4 * 3;
	for (unsigned g = 0; g < ai->nr_groups; g++) {
		uint64_t size = group_units(ai, g) * ai->unit_size;
		uint64_t at = group_area_estimate(m, early_cpu_to_node(m, ai->unit_cpu[ai->unit_first[g]]), size);

		if (at < base)
			base = at;
		if (!g || at > highest) {
			highest = at;
			highest_group = g;
		}
	}
	*max_distance = highest - base + ai->unit_size * group_units(ai, highest_group);
	if (*max_distance + margin < limit || limit + margin < *max_distance)
		return *max_distance > limit;
	return -1;
}

/**
 * setup_per_cpu_areas() - the first percpu chunk and its lines
 * @m: the machine, after init_possible_cpus (the possible CPUs and their nodes)
 */
void setup_per_cpu_areas(struct machine *m)
{
	struct pcpu_alloc_info *ai = &m->percpu;
	unsigned nr_cpus = m->cpus.possible;
	uint64_t max_distance, vmalloc_total;
	int too_far;

	if (!m->bringup.known || !nr_cpus || nr_cpus > NR_CPUS) {
		mp_printk(m->log, "memprobe: the possible CPUs are not known: setup_per_cpu_areas' lines are not "
				  "predicted\n");
		m->unpredicted |= UNPREDICTED_PERCPU;
		return;
	}
	mp_printk(m->log, "setup_percpu: NR_CPUS:%u nr_cpumask_bits:%u nr_cpu_ids:%u nr_node_ids:%u\n", NR_CPUS,
		  nr_cpus, nr_cpus, nr_node_ids(m));
	pcpu_build_alloc_info(m, ai, PERCPU_DYNAMIC_RESERVE, PMD_SIZE, true, nr_cpus);
	too_far = embed_too_far(m, ai, &max_distance, &vmalloc_total);
	if (too_far < 0) {
		mp_printk(m->log, "memprobe: the percpu areas lie about 0x%llx bytes apart, too near 3/4 of vmalloc "
				  "space (0x%llx) to say whether Linux embeds them: the percpu lines are not "
				  "predicted\n",
			  (unsigned long long)max_distance, (unsigned long long)(vmalloc_total / 4 * 3));
		m->unpredicted |= UNPREDICTED_PERCPU;
		return;
	}
	if (too_far) {
		mp_printk(m->log, "memprobe: Linux warns \"percpu: max_distance=0x... too large for vmalloc space "
				  "0x%llx\" (about 0x%llx: memprobe does not place the areas exactly)\n",
			  (unsigned long long)vmalloc_total, (unsigned long long)max_distance);
		mp_printk(m->log, "setup_percpu: auto allocator failed (-22), falling back to page size\n");
		pcpu_build_alloc_info(m, ai, 0, PAGE_SIZE, false, nr_cpus);
		mp_printk(m->log, "percpu: %llu 4K pages/cpu s%llu r%llu d%llu\n",
			  (unsigned long long)(ai->unit_size >> PAGE_SHIFT), (unsigned long long)ai->static_size,
			  (unsigned long long)ai->reserved_size, (unsigned long long)ai->dyn_size);
	} else {
		mp_printk(m->log, "percpu: Embedded %llu pages/cpu s%llu r%llu d%llu u%llu\n",
			  (unsigned long long)((ai->static_size + ai->reserved_size + ai->dyn_size) >> PAGE_SHIFT),
			  (unsigned long long)ai->static_size, (unsigned long long)ai->reserved_size,
			  (unsigned long long)ai->dyn_size, (unsigned long long)ai->unit_size);
	}
	pcpu_dump_alloc_info(m->log, ai, nr_cpus);
}
