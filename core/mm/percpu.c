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
#define MAX_DMA_ADDRESS (16ULL << 20)		/* pcpu_fc_alloc's goal, as a physical address */
#define PCPU_MIN_ALLOC_SIZE 4			/* a bit of a chunk's allocation map */
#define PCPU_SLOT_BASE_SHIFT 5
#define PCPU_BLOCK_MD_SIZE 32			/* struct pcpu_block_md: a page's metadata */
#define LIST_HEAD_SIZE 16
#define BITS_TO_LONGS(n) (((n) + 63) / 64)

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

/* pcpu_alloc_alloc_info()'s bytes: the header (64), a pcpu_group_info (24) per group, an unsigned int per unit. */
static uint64_t pcpu_alloc_info_bytes(const struct pcpu_alloc_info *ai)
{
	return round_up(64 + 24ULL * ai->nr_groups + 4ULL * ai->nr_units, PAGE_SIZE);
}

/*
 * pcpu_fc_alloc(): a group's area on its first CPU's node, from 16 MiB up
 * (__pa(MAX_DMA_ADDRESS)); anywhere, and said, when that node is none or
 * not online.  Return: its address, 0 when memblock has no room.
 */
static uint64_t pcpu_fc_alloc(struct machine *m, unsigned cpu, uint64_t size, uint64_t align)
{
	int node = early_cpu_to_node(m, cpu);
	uint64_t at;

	if (node < 0 || node >= MAX_NUMNODES || !node_isset(m->numa.online_after, node)) {
		at = memblock_alloc_try_nid(&m->memblock, size, align, MAX_DMA_ADDRESS, MEMBLOCK_ALLOC_ACCESSIBLE,
					    NUMA_NO_NODE);
		mp_printk(m->log, "percpu: cpu %u has no node %d or node-local memory\n", cpu, node);
		return at;
	}
	return memblock_alloc_try_nid(&m->memblock, size, align, MAX_DMA_ADDRESS, MEMBLOCK_ALLOC_ACCESSIBLE, node);
}

/* pcpu_alloc_first_chunk(): a chunk's struct, its allocation and boundary bitmaps and its blocks' metadata. */
static void pcpu_alloc_first_chunk(struct machine *m, uint64_t start_offset, uint64_t map_size)
{
	uint64_t pages = round_up(start_offset + map_size, PAGE_SIZE) >> PAGE_SHIFT;
	uint64_t bits = pages * (PAGE_SIZE / PCPU_MIN_ALLOC_SIZE);

	memblock_alloc(&m->memblock, m->opts.kernel->pcpu_chunk_size + 8 * BITS_TO_LONGS(pages), SMP_CACHE_BYTES);
	memblock_alloc(&m->memblock, 8 * BITS_TO_LONGS(bits), SMP_CACHE_BYTES);
	memblock_alloc(&m->memblock, 8 * BITS_TO_LONGS(bits + 1), SMP_CACHE_BYTES);
	memblock_alloc(&m->memblock, pages * PCPU_BLOCK_MD_SIZE, SMP_CACHE_BYTES);
}

static unsigned fls_u64(uint64_t v)
{
	unsigned n = 0;

	while (v) {
		v >>= 1;
		n++;
	}
	return n;
}

/*
 * pcpu_setup_first_chunk(): the group and unit maps, the allocation dump,
 * the chunk slots (one per power of two to the unit size, and three more)
 * and the first chunk: the reserved part, then the dynamic part.
 */
static void pcpu_setup_first_chunk(struct machine *m, const struct pcpu_alloc_info *ai, unsigned nr_cpus)
{
	uint64_t static_size = round_up(ai->static_size, PCPU_MIN_ALLOC_SIZE);
	uint64_t dyn_size = ai->dyn_size - (static_size - ai->static_size);
	unsigned slots = fls_u64(ai->unit_size) - PCPU_SLOT_BASE_SHIFT + 2 + 4;

	memblock_alloc(&m->memblock, 8ULL * ai->nr_groups, SMP_CACHE_BYTES);
	memblock_alloc(&m->memblock, 8ULL * ai->nr_groups, SMP_CACHE_BYTES);
	memblock_alloc(&m->memblock, 4ULL * nr_cpus, SMP_CACHE_BYTES);
	memblock_alloc(&m->memblock, 8ULL * nr_cpus, SMP_CACHE_BYTES);
	pcpu_dump_alloc_info(m->log, ai, nr_cpus);
	memblock_alloc(&m->memblock, LIST_HEAD_SIZE * slots, SMP_CACHE_BYTES);
	pcpu_alloc_first_chunk(m, static_size % PAGE_SIZE, ai->reserved_size);
	pcpu_alloc_first_chunk(m, (static_size + ai->reserved_size) % PAGE_SIZE, dyn_size);
}

/*
 * pcpu_embed_first_chunk(): each group's area on its node, refused (and
 * given back) when the areas lie further apart than 3/4 of vmalloc space;
 * else each unit's tail past the sizes, and each empty unit, go back.
 * Return: 0, or Linux's error (-ENOMEM, -EINVAL) for the page-size fall-back.
 */
static int pcpu_embed_first_chunk(struct machine *m, struct pcpu_alloc_info *ai, uint64_t ai_at, unsigned nr_cpus)
{
	uint64_t size_sum = ai->static_size + ai->reserved_size + ai->dyn_size;
	uint64_t areas_bytes = round_up(8ULL * ai->nr_groups, PAGE_SIZE), areas_at, base = UINT64_MAX;
	uint64_t vmalloc_total = (m->paging.levels == 5 ? 12800ULL : 32ULL) << 40, max_distance;
	unsigned highest = 0, g;
	int rc = 0;

	areas_at = memblock_alloc(&m->memblock, areas_bytes, SMP_CACHE_BYTES);
	for (g = 0; g < ai->nr_groups; g++) {
		ai->area[g] = pcpu_fc_alloc(m, ai->unit_cpu[ai->unit_first[g]], group_units(ai, g) * ai->unit_size,
					    ai->atom_size);
		if (!ai->area[g]) {
			rc = -12;
			break;
		}
		if (ai->area[g] < base)
			base = ai->area[g];
		if (ai->area[g] > ai->area[highest])
			highest = g;
	}
	if (!rc) {
		max_distance = ai->area[highest] - base + ai->unit_size * group_units(ai, highest);
		if (max_distance > vmalloc_total / 4 * 3) {
			mp_printk(m->log, "percpu: max_distance=0x%llx too large for vmalloc space 0x%llx\n",
				  (unsigned long long)max_distance, (unsigned long long)vmalloc_total);
			rc = -22;
		}
	}
	if (rc) {
		for (unsigned i = 0; i < g; i++)
			memblock_phys_free_from(&m->memblock, ai->area[i], group_units(ai, i) * ai->unit_size,
						"pcpu_embed_first_chunk");
	} else {
		for (g = 0; g < ai->nr_groups; g++)
			for (unsigned u = 0; u < group_units(ai, g); u++) {
				uint64_t unit = ai->area[g] + u * ai->unit_size;

				if (ai->unit_cpu[ai->unit_first[g] + u] == NR_CPUS)
					memblock_phys_free(&m->memblock, unit, ai->unit_size);
				else
					memblock_phys_free(&m->memblock, unit + size_sum, ai->unit_size - size_sum);
			}
		mp_printk(m->log, "percpu: Embedded %llu pages/cpu s%llu r%llu d%llu u%llu\n",
			  (unsigned long long)(size_sum >> PAGE_SHIFT), (unsigned long long)ai->static_size,
			  (unsigned long long)ai->reserved_size, (unsigned long long)ai->dyn_size,
			  (unsigned long long)ai->unit_size);
		pcpu_setup_first_chunk(m, ai, nr_cpus);
	}
	/* pcpu_free_alloc_info() and the areas' array, inlined here */
	memblock_phys_free(&m->memblock, ai_at, pcpu_alloc_info_bytes(ai));
	memblock_phys_free(&m->memblock, areas_at, areas_bytes);
	return rc;
}

/* alloc_bootmem_cpumask_var(): a cpumask of nr_cpu_ids bits, in whole longs. */
static void alloc_bootmem_cpumask_var(struct machine *m)
{
	memblock_alloc(&m->memblock, 8 * BITS_TO_LONGS(m->cpus.possible), SMP_CACHE_BYTES);
}

/**
 * setup_per_cpu_areas() - the first percpu chunk, its lines and its memblock requests
 * @m: the machine, after init_possible_cpus (the possible CPUs and their nodes)
 *
 * Then setup_node_to_cpumask_map()'s mask per node id and
 * setup_cpu_local_masks()' (the profile's count).  The page-size
 * fall-back's requests are not modelled: its memblock lines and those after
 * it are named as not predicted.
 */
void setup_per_cpu_areas(struct machine *m)
{
	struct pcpu_alloc_info *ai = &m->percpu;
	unsigned nr_cpus = m->cpus.possible;
	uint64_t ai_at;
	int rc;

	if (!m->bringup.known || !nr_cpus || nr_cpus > NR_CPUS) {
		mp_printk(m->log, "memprobe: the possible CPUs are not known: setup_per_cpu_areas' lines are not "
				  "predicted\n");
		m->unpredicted |= UNPREDICTED_PERCPU;
		memblock_lines_unpredicted(m, "the percpu areas are not predicted");
		return;
	}
	mp_printk(m->log, "setup_percpu: NR_CPUS:%u nr_cpumask_bits:%u nr_cpu_ids:%u nr_node_ids:%u\n", NR_CPUS,
		  nr_cpus, nr_cpus, nr_node_ids(m));
	pcpu_build_alloc_info(m, ai, PERCPU_DYNAMIC_RESERVE, PMD_SIZE, true, nr_cpus);
	ai_at = memblock_alloc_try_nid_from(&m->memblock, pcpu_alloc_info_bytes(ai), PAGE_SIZE, 0,
					    MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE, "pcpu_build_alloc_info");
	rc = pcpu_embed_first_chunk(m, ai, ai_at, nr_cpus);
	if (rc) {
		mp_printk(m->log, "setup_percpu: auto allocator failed (%d), falling back to page size\n", rc);
		memblock_lines_unpredicted(m, "pcpu_page_first_chunk's requests are not modelled");
		pcpu_build_alloc_info(m, ai, 0, PAGE_SIZE, false, nr_cpus);
		mp_printk(m->log, "percpu: %llu 4K pages/cpu s%llu r%llu d%llu\n",
			  (unsigned long long)(ai->unit_size >> PAGE_SHIFT), (unsigned long long)ai->static_size,
			  (unsigned long long)ai->reserved_size, (unsigned long long)ai->dyn_size);
		pcpu_dump_alloc_info(m->log, ai, nr_cpus);
	}
	for (unsigned node = 0; node < nr_node_ids(m); node++)
		alloc_bootmem_cpumask_var(m);
	for (unsigned i = 0; i < m->opts.kernel->cpu_local_masks; i++)
		alloc_bootmem_cpumask_var(m);
}
