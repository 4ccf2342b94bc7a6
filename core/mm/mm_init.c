// SPDX-License-Identifier: MIT
/*
 * start_kernel()'s memory lines after the zonelists, each from the facts
 * earlier stages left: the software IO TLB's areas (pci_swiotlb_detect,
 * swiotlb_adjust_nareas), SLUB's geometry (kmem_cache_init), automatic NUMA
 * balancing (check_numabalancing_enable), the boot-time hash tables of the
 * VFS (alloc_large_system_hash) and the huge page sizes (hugetlb_init).
 */
#include "memprobe/mm/mm_init.h"

#include "memprobe/acpi/tables.h"
#include "memprobe/lib/cmdline.h"
#include "memprobe/lib/util.h"
#include "memprobe/machine.h"
#include "memprobe/x86/cpu_record.h"
#include "memprobe/x86/numa.h"
#include "memprobe/x86/topology.h"

#define MAX_DMA32_PFN 0x100000ULL
#define IO_TLB_SHIFT 11			/* a slab: 2 KiB */
#define IO_TLB_SEGSIZE 128ULL
#define IO_TLB_MIN_SLABS 512ULL		/* 1 MiB */
#define IO_TLB_AREA_SIZE 16		/* struct io_tlb_area */
#define MAX_ORDER_NR_PAGES (1ULL << MAX_PAGE_ORDER)
#define LOG_BUF_LEN (128U << 10)		/* CONFIG_LOG_BUF_SHIFT 17 */
#define LOG_CPU_MAX_BUF_LEN (4U << 10)		/* CONFIG_LOG_CPU_MAX_BUF_SHIFT 12 */
#define LOG_ALIGN 8				/* __alignof__(unsigned long) */
#define PRB_AVGBITS 5				/* a descriptor per 32 bytes of text */
#define PRB_DESC_SIZE 24			/* sizeof(struct prb_desc) */
#define PRINTK_INFO_SIZE 88			/* sizeof(struct printk_info), its device info 64 of it */
/* start_kernel's smaller memblock allocations memprobe does not place (log buffer, early hash tables, ...) */
#define EARLY_ALLOC_SLACK (16ULL << 20)
#define MIN_MEMORY_BLOCK_SIZE (128ULL << 20)	/* a section */
#define MAX_BLOCK_SIZE (2ULL << 30)
#define MEM_SIZE_FOR_LARGE_BLOCK (64ULL << 30)
#define PMD_SIZE (2ULL << 20)
#define MAX_PAGE_ORDER 10		/* 6.1's MAX_ORDER - 1 */
#define ADAPT_SCALE_NPAGES ((64ULL << 30) >> PAGE_SHIFT)
#define STRUCT_PAGE_SIZE 64

static unsigned ilog2_u64(uint64_t v)
{
	unsigned l = 0;

	while (v >>= 1)
		l++;
	return l;
}

/* Linux's roundup_pow_of_two(): past 2^63, x86's shift by 64 (taken mod 64) gives 1. */
static uint64_t roundup_pow_of_two(uint64_t v)
{
	return v <= 1 ? 1 : 1ULL << ((ilog2_u64(v - 1) + 1) & 63);
}

/* get_order(): the buddy order of an allocation of size bytes. */
static unsigned get_order(uint64_t size)
{
	return size <= PAGE_SIZE ? 0 : ilog2_u64((size - 1) >> PAGE_SHIFT) + 1;
}

/* swiotlb_adjust_nareas(): the areas (a power of two, as an unsigned int), and the slabs grown to hold them. */
static void swiotlb_adjust_nareas(struct machine *m, uint64_t nareas)
{
	struct swiotlb_state *s = &m->swiotlb;

	nareas = (uint32_t)nareas;
	s->nareas = (uint32_t)(nareas ? roundup_pow_of_two(nareas) : 1);
	mp_printk(m->log, "software IO TLB: area num %d.\n", (int)s->nareas);
	if (!s->nareas)
		return;
	/* round_up_default_nslabs() */
	if (s->nslabs < IO_TLB_SEGSIZE * (uint64_t)s->nareas)
		s->nslabs = IO_TLB_SEGSIZE * (uint64_t)s->nareas;
	else if (!(s->nslabs & (s->nslabs - 1)))
		return;
	s->nslabs = roundup_pow_of_two(s->nslabs);
	mp_printk(m->log, "software IO TLB: SWIOTLB bounce buffer size roundup to %lluMB\n",
		  (unsigned long long)((s->nslabs << IO_TLB_SHIFT) >> 20));
}

/**
 * setup_io_tlb_npages() - Linux's swiotlb= early parameter: [SLABS][,AREAS][,force|noforce]
 * @m: the machine
 * @value: the text after "swiotlb="
 *
 * SLABS (2 KiB each) rounded up to a segment of 128; AREAS set (and said)
 * at once; force bounces even without memory above 4 GiB, noforce never sets
 * the buffer up.  Linux takes any text.
 *
 * Return: 0.
 */
int setup_io_tlb_npages(struct machine *m, const char *value)
{
	struct swiotlb_state *s = &m->swiotlb;
	const char *p = value;

	if (*p >= '0' && *p <= '9')
		s->nslabs = round_up(simple_strtoull(p, &p), IO_TLB_SEGSIZE);
	if (*p == ',')
		p++;
	if (*p >= '0' && *p <= '9')
		swiotlb_adjust_nareas(m, simple_strtoull(p, &p));
	if (*p == ',')
		p++;
	if (!mp_strcmp(p, "force"))
		s->force_bounce = true;
	else if (!mp_strcmp(p, "noforce"))
		s->force_disable = true;
	return 0;
}

/**
 * setup_command_line() - the two copies of the command line start_kernel() keeps (init/main.c)
 * @m: the machine
 *
 * saved_command_line and static_command_line: each the command line and
 * its NUL (no bootconfig in these builds).  Its length is a fact of the
 * boot: cmdline_bytes=, or memprobe's own command line taken as Linux's.
 */
void setup_command_line(struct machine *m)
{
	uint64_t len = m->opts.cmdline_bytes;

	if (!len) {
		len = 1;
		for (const char *p = m->fw->cmdline; p && *p; p++)
			len++;
		if (m->memblock.debug)
			mp_printk(m->log, "memprobe: the Linux command line is taken as memprobe's own (%llu bytes "
					  "with its NUL); cmdline_bytes= gives Linux's\n",
				  (unsigned long long)len);
	}
	/* start_kernel inlines setup_command_line: the requests name it */
	memblock_alloc_try_nid_from(&m->memblock, len, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE,
				    "start_kernel");
	memblock_alloc_try_nid_from(&m->memblock, len, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE,
				    "start_kernel");
}

/**
 * memblock_lines_unpredicted() - name the memblock=debug lines from here on as not predicted
 * @m: the machine
 * @why: what memprobe does not model, for the line
 *
 * memprobe stops printing them (once), and compare leaves Linux's out.
 */
void memblock_lines_unpredicted(struct machine *m, const char *why)
{
	m->unpredicted |= UNPREDICTED_KERNEL_MEMBLOCK;
	if (!m->memblock_unpredicted)
		m->memblock_unpredicted = why;
	if (!m->memblock.debug)
		return;
	mp_printk(m->log, "memprobe: %s: Linux's memblock=debug lines from here on are not predicted\n", why);
	m->memblock.debug = false;
}

/**
 * print_unknown_bootoptions() - the copy start_kernel() makes of the parameters it passes to init
 * @m: the machine
 *
 * A space before each and a NUL: unknown_params_bytes= (none without it),
 * taken and at once given back.
 */
void print_unknown_bootoptions(struct machine *m)
{
	uint64_t len = m->opts.unknown_params_bytes, at;

	if (!len)
		return;
	at = memblock_alloc_try_nid_from(&m->memblock, len, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE,
					 NUMA_NO_NODE, "start_kernel");
	if (at)
		memblock_phys_free_from(&m->memblock, at, len, "start_kernel");
}

/**
 * setup_log_buf() - the larger log buffer start_kernel() takes from memblock on a machine of many CPUs
 * @m: the machine, after init_possible_cpus
 *
 * log_buf_add_cpu(): 4 KiB per CPU past the first, once that is more than
 * half of the 128 KiB buffer, rounded up to a power of two; then the text,
 * a descriptor and a record's info per 32 bytes of it, each from memblock.
 * How much of the early buffer the boot had filled is the run's, and said.
 */
void setup_log_buf(struct machine *m)
{
	uint64_t extra, len, descs, text, desc_array;

	if (m->cpus.possible <= 1)
		return;
	extra = (uint64_t)(m->cpus.possible - 1) * LOG_CPU_MAX_BUF_LEN;
	if (extra <= LOG_BUF_LEN / 2)
		return;
	mp_printk(m->log, "printk: log_buf_len individual max cpu contribution: %u bytes\n", LOG_CPU_MAX_BUF_LEN);
	mp_printk(m->log, "printk: log_buf_len total cpu_extra contributions: %llu bytes\n", (unsigned long long)extra);
	mp_printk(m->log, "printk: log_buf_len min size: %u bytes\n", LOG_BUF_LEN);
	len = roundup_pow_of_two(extra + LOG_BUF_LEN);
	descs = len >> PRB_AVGBITS;
	text = memblock_alloc_try_nid_from(&m->memblock, len, LOG_ALIGN, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE,
					   "setup_log_buf");
	if (!text) {
		mp_printk(m->log, "printk: log_buf_len: %llu text bytes not available\n", (unsigned long long)len);
		return;
	}
	desc_array = memblock_alloc_try_nid_from(&m->memblock, descs * PRB_DESC_SIZE, LOG_ALIGN, 0,
						 MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE, "setup_log_buf");
	if (!desc_array) {
		mp_printk(m->log, "printk: log_buf_len: %llu desc bytes not available\n",
			  (unsigned long long)(descs * PRB_DESC_SIZE));
		memblock_phys_free_from(&m->memblock, text, len, "memblock_free");
		return;
	}
	if (!memblock_alloc_try_nid_from(&m->memblock, descs * PRINTK_INFO_SIZE, LOG_ALIGN, 0,
					 MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE, "setup_log_buf")) {
		mp_printk(m->log, "printk: log_buf_len: %llu info bytes not available\n",
			  (unsigned long long)(descs * PRINTK_INFO_SIZE));
		memblock_phys_free_from(&m->memblock, desc_array, descs * PRB_DESC_SIZE, "memblock_free");
		memblock_phys_free_from(&m->memblock, text, len, "memblock_free");
		return;
	}
	mp_printk(m->log, "printk: log_buf_len: %llu bytes\n", (unsigned long long)len);
	mp_printk(m->log, "memprobe: not predicted, as it depends on the run: \"printk: early log buf free: N(P%%)\", the "
			  "early buffer Linux had not filled yet\n");
}

/*
 * swiotlb_init_remap()'s allocations: the buffer below 4 GiB, halved (to
 * whole segments) while memblock has no room for it, then the slots and the
 * areas; each failure and the new size in Linux's words.
 */
static void swiotlb_memblock_alloc(struct machine *m)
{
	struct swiotlb_state *s = &m->swiotlb;
	uint64_t nslabs = s->nslabs, nareas = s->nareas, start;

	while (!(start = memblock_alloc_try_nid_from(&m->memblock, nslabs << IO_TLB_SHIFT, PAGE_SIZE, 0, 0xffffffffULL,
						     NUMA_NO_NODE, "swiotlb_init_remap"))) {
		mp_printk(m->log, "software IO TLB: swiotlb_memblock_alloc: Failed to allocate %llu bytes tlb "
				  "structure\n",
			  (unsigned long long)(nslabs << IO_TLB_SHIFT));
		if (nslabs <= IO_TLB_MIN_SLABS)
			return;
		nslabs = round_up(nslabs >> 1, IO_TLB_SEGSIZE);
	}
	if (nslabs != s->nslabs)
		mp_printk(m->log, "software IO TLB: SWIOTLB bounce buffer size adjusted %llu -> %llu slabs\n",
			  (unsigned long long)s->nslabs, (unsigned long long)nslabs);
	s->nslabs = nslabs;
	s->start = start;
	s->bytes = nslabs << IO_TLB_SHIFT;
	/* limit_nareas(): no more areas than segments */
	if (nareas && nslabs < nareas * IO_TLB_SEGSIZE)
		nareas = nslabs / IO_TLB_SEGSIZE;
	s->slots_bytes = round_up(nslabs * m->opts.kernel->io_tlb_slot_size, PAGE_SIZE);
	memblock_alloc_try_nid_from(&m->memblock, s->slots_bytes, PAGE_SIZE, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE,
				    "swiotlb_init_remap");
	memblock_alloc_try_nid_from(&m->memblock, nareas * IO_TLB_AREA_SIZE, SMP_CACHE_BYTES, 0,
				    MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE, "swiotlb_init_remap");
}

/**
 * swiotlb_init() - the software IO TLB's area line, when Linux sets it up
 * @m: the machine, after init_possible_cpus
 *
 * pci_swiotlb_detect(): only with memory above 4 GiB: max_possible_pfn,
 * max_pfn or the end of a range the SRAT gave a node (so mem= below 4 GiB
 * keeps it), past the 32-bit DMA limit, or with swiotlb=force; never with
 * swiotlb=noforce.  swiotlb_adjust_nareas(), unless swiotlb= gave the areas:
 * an area per possible CPU, rounded up to a power of two.  The buffer lands
 * where memblock finds room below 4 GiB after the requests before it.
 */
void swiotlb_init(struct machine *m)
{
	struct swiotlb_state *s = &m->swiotlb;

	if (m->max_pfn <= MAX_DMA32_PFN && m->srat.max_pfn <= MAX_DMA32_PFN && !s->force_bounce)
		return;
	if (s->force_disable)
		return;
	if (!s->nareas) {
		if (!m->bringup.known || !m->cpus.possible) {
			mp_printk(m->log, "memprobe: the possible CPUs are not known: the software IO TLB's area "
					  "count is not predicted\n");
			m->unpredicted |= UNPREDICTED_SWIOTLB;
		} else {
			swiotlb_adjust_nareas(m, m->cpus.possible);
		}
	}
	swiotlb_memblock_alloc(m);
}

/*
 * amd_gart_present(): AMD's families 0xf and 0x10, and 0x15 before model
 * 0x10, have the northbridge GART, whose IOMMU driver gives the software IO
 * TLB back when it finds its aperture (no other IOMMU driver does).  A
 * hypervisor shows no northbridge; a run without the boot CPU's CPUID
 * leaves (an older run folder) is taken as a machine without one.
 * Return: whether the boot CPU may have it.
 */
static bool amd_gart_possible(const struct machine *m)
{
	const struct cpu_record *boot = boot_cpu_record(m);
	const struct cpuid_regs *l1 = boot ? cpu_cpuid(boot, 1, 0) : NULL;
	unsigned family, model;

	if (!l1 || mp_strcmp(m->paging.cpu.vendor, "AuthenticAMD") || m->paging.cpu.hypervisor)
		return false;
	cpuid_family_model(l1->eax, &family, &model);
	return family == 0xf || family == 0x10 || (family == 0x15 && model < 0x10);
}

/**
 * swiotlb_print_info() - where the software IO TLB's buffer lies, as pci_iommu_init() says at its initcall
 * @m: the machine, after swiotlb_init
 *
 * Intel's and AMD's IOMMU drivers (DMAR, IVRS) leave it; the AMD GART's,
 * on the CPUs that have one, may give it back: then the lines are not
 * predicted.
 */
void swiotlb_print_info(struct machine *m)
{
	const struct swiotlb_state *s = &m->swiotlb;

	if (!s->bytes)
		return;
	if (amd_gart_possible(m)) {
		mp_printk(m->log, "memprobe: the boot CPU may have AMD's northbridge GART, whose IOMMU driver gives "
				  "the software IO TLB back when it finds its aperture: whether Linux keeps it is not "
				  "predicted\n");
		m->unpredicted |= UNPREDICTED_SWIOTLB_MAPPED;
		return;
	}
	mp_printk(m->log, "PCI-DMA: Using software bounce buffering for IO (SWIOTLB)\n");
	mp_printk(m->log, "software IO TLB: mapped [mem 0x%016llx-0x%016llx] (%lluMB)\n",
		  (unsigned long long)s->start, (unsigned long long)(s->start + s->bytes),
		  (unsigned long long)(s->bytes >> 20));
}

/*
 * preallocate_vmalloc_pages(): a page per top-level entry vmalloc space
 * touches (32 TiB, or 12800 TiB with 5 levels).  Without KASLR it starts at
 * a top-level boundary; memory KASLR starts it on a random GiB, so it
 * touches one entry more unless that GiB is a boundary (1 in @odds).
 */
static uint64_t vmalloc_top_level_pages(const struct machine *m, uint64_t *odds)
{
	bool five = m->paging.levels == 5;

	*odds = five ? 256 * 1024 : 512;	/* GiBs per top-level entry */
	return (five ? 12800 / 256 : 32 * 1024 / 512) + m->kaslr;
}

/*
 * alternative_instructions(): the SMP lock table is freed unless the kernel
 * patched itself for one CPU (one present, or maxcpus= 0 or 1) with more possible.
 */
static bool smp_alternatives_freed(const struct machine *m)
{
	unsigned present = m->cpus.nr_present_ids + 1;

	return !(present == 1 || m->cpus.setup_max_cpus <= 1) || m->cpus.possible == 1;
}

/* What the page allocator has left of @free pages after @taken of them. */
static uint64_t pages_less(uint64_t free, uint64_t taken)
{
	return free > taken ? free - taken : 0;
}

/* "Memory: AVAILABLEK/…": @total is what memblock_free_all() released, the rest of @physpages is reserved. */
static void print_memory_line(struct machine *m, const char *prefix, const char *available, uint64_t physpages,
			      uint64_t total, const char *note)
{
	const struct kernel_sections *k = m->opts.kernel_sections.code_kib ? &m->opts.kernel_sections
									   : &m->opts.kernel->sections;

	mp_printk(m->log, "%sMemory: %sK/%lluK available (%lluK kernel code, %lluK rwdata, %lluK rodata, %lluK init, "
			  "%lluK bss, %lluK reserved, 0K cma-reserved)%s\n",
		  prefix, available, (unsigned long long)(physpages << 2), (unsigned long long)k->code_kib,
		  (unsigned long long)k->rwdata_kib, (unsigned long long)k->rodata_kib, (unsigned long long)k->init_kib,
		  (unsigned long long)k->bss_kib, (unsigned long long)((physpages - total) << 2), note);
}

/**
 * mem_init_print_info() - the "Memory:" line
 * @m: the machine, after the software IO TLB (memblock's last request)
 *
 * memblock_free_all() gives the page allocator every page memblock left
 * free (totalram; the rest of the present pages is "reserved"), but 6.1
 * frees only those whose struct page is initialised (below each node's
 * first deferred page), less the page-table pages preallocate_vmalloc_pages()
 * takes; under memory KASLR the line of a boot whose tables take a page
 * less follows, after MEMORY_LINE_OR.  6.12 prints the line after the
 * deferred init, when what is available depends on the run ("?"), and
 * after freeing the SMP alternatives.  Nothing is predicted when memblock's last requests are not.
 */
void mem_init_print_info(struct machine *m)
{
	const struct linux_profile *kernel = m->opts.kernel;
	const uint64_t *fdp = m->zones.first_deferred;
	uint64_t physpages = 0, total = 0, early = 0, vmalloc, odds, s, e, idx;
	char available[24], note[160];
	int nid;

	if (m->memblock_unpredicted) {
		mp_printk(m->log, "memprobe: the \"Memory:\" line is not predicted: %s\n", m->memblock_unpredicted);
		m->unpredicted |= UNPREDICTED_MEMORY_LINE;
		return;
	}
	for_each_node_mask(nid, m->numa.online_after)
		for (int zone = 0; zone < MAX_NR_ZONES; zone++)
			physpages += m->zones.present[nid][zone];
	for (idx = 0, memblock_next_free_range(&m->memblock, &idx, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, &nid);
	     idx != UINT64_MAX;
	     memblock_next_free_range(&m->memblock, &idx, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, &nid)) {
		uint64_t ps = PFN_UP(s), pe = PFN_DOWN(e) < m->max_low_pfn ? PFN_DOWN(e) : m->max_low_pfn;
		uint64_t cut = nid >= 0 && nid < MAX_NUMNODES && fdp[nid] < pe ? fdp[nid] : pe;

		if (ps >= pe)
			continue;
		total += pe - ps;
		if (cut > ps)
			early += cut - ps;
	}
	if (kernel->memory_line_after_deferred_init) {
		if (smp_alternatives_freed(m))
			total += kernel->smp_alternatives_kib >> 2;
		print_memory_line(m, "memprobe: ", "?", physpages, total, MEMORY_LINE_RUN_NOTE);
		return;
	}
	vmalloc = vmalloc_top_level_pages(m, &odds);
	mp_snprintf(available, sizeof(available), "%llu", (unsigned long long)(pages_less(early, vmalloc) << 2));
	print_memory_line(m, "", available, physpages, total, "");
	if (m->kaslr) {
		mp_snprintf(available, sizeof(available), "%llu",
			    (unsigned long long)(pages_less(early, vmalloc - 1) << 2));
		mp_snprintf(note, sizeof(note), MEMORY_LINE_OR_NOTE " (1 boot in %llu): its page tables take a page less",
			    (unsigned long long)odds);
		print_memory_line(m, MEMORY_LINE_OR, available, physpages, total, note);
	}
}

/**
 * kmem_cache_init() - SLUB's line: the cache line, orders and counts
 * @m: the machine, after init_possible_cpus
 *
 * cache_line_size() is the boot CPU's CLFLUSH line (CPUID 1 EBX[15:8] * 8,
 * 64 without CLFLUSH), doubled on Intel's family 15.
 */
void kmem_cache_init(struct machine *m)
{
	const struct cpu_record *boot = boot_cpu_record(m);
	const struct cpuid_regs *l1 = boot ? cpu_cpuid(boot, 1, 0) : NULL;
	unsigned align = 64, family = 0, model;

	if (!l1 || !m->bringup.known) {
		mp_printk(m->log, "memprobe: the boot CPU's CPUID leaf 1 or the possible CPUs are not known: the "
				  "SLUB line is not predicted\n");
		m->unpredicted |= UNPREDICTED_SLUB;
		return;
	}
	if (l1->edx & (1u << 19))
		align = ((l1->ebx >> 8) & 0xff) * 8;
	cpuid_family_model(l1->eax, &family, &model);
	if (family == 15 && !mp_strcmp(m->paging.cpu.vendor, "GenuineIntel"))
		align *= 2;
	mp_printk(m->log, "SLUB: HWalign=%u, Order=0-3, MinObjects=0, CPUs=%u, Nodes=%u\n", align, m->cpus.possible,
		  nr_node_ids(m));
}

/**
 * check_numabalancing_enable() - the NUMA balancing line, with more than one online node
 * @m: the machine, after init_possible_cpus (the online nodes)
 */
void check_numabalancing_enable(struct machine *m)
{
	if (nodes_weight(m->numa.online_after) > 1)
		mp_printk(m->log, "mempolicy: Enabling automatic NUMA balancing. Configure with numa_balancing= or "
				  "the kernel.numa_balancing sysctl\n");
}

/* When a boot-time table exists: always, or only with the tables spread over the nodes (hashdist) or not. */
enum hash_when { HASH_ALWAYS, HASH_SPREAD, HASH_NOT_SPREAD };

const char *const mm_init_hash_names[NR_BOOT_HASHES] = { "Dentry cache", "Inode-cache", "Mount-cache",
							 "Mountpoint-cache" };

/* One boot-time hash table: alloc_large_system_hash()'s arguments that vary. */
struct system_hash {
	unsigned name;		/* in mm_init_hash_names */
	unsigned scale;
	uint64_t low_limit;
	enum hash_when when;	/* HASH_NOT_SPREAD: HASH_EARLY, from memblock */
};

static const struct system_hash vfs_early_hashes[] = {
	{ 0, 13, 2, HASH_NOT_SPREAD },
	{ 1, 14, 0, HASH_NOT_SPREAD },
};

static const struct system_hash vfs_hashes[] = {
	{ 0, 13, 2, HASH_SPREAD },
	{ 1, 14, 0, HASH_SPREAD },
	{ 2, 19, 0, HASH_ALWAYS },
	{ 3, 19, 0, HASH_ALWAYS },
};

/* Every bucket of the VFS tables is one list head. */
#define HASH_BUCKET_SIZE 8

/*
 * alloc_large_system_hash() sized from nr_kernel_pages (a bucket per 2^scale
 * bytes, the scale growing by one per fourfold past 64 GiB), rounded up to a
 * power of two and capped at 1/16 of memory.  Return: its bytes; the line in buf.
 */
static uint64_t system_hash_line(char *buf, unsigned size, const struct system_hash *h, uint64_t kernel_pages,
			     uint64_t all_pages, bool hashdist, unsigned online_nodes)
{
	uint64_t numentries = round_up(kernel_pages, (1ULL << 20) >> PAGE_SHIFT), max, bytes;
	unsigned scale = h->scale, log2qty;
	const char *how = "linear";

	for (uint64_t adapt = ADAPT_SCALE_NPAGES; adapt < numentries; adapt <<= 2)
		scale++;
	numentries = scale > PAGE_SHIFT ? numentries >> (scale - PAGE_SHIFT) : numentries << (PAGE_SHIFT - scale);
	if (numentries * HASH_BUCKET_SIZE < PAGE_SIZE)
		numentries = PAGE_SIZE / HASH_BUCKET_SIZE;
	numentries = roundup_pow_of_two(numentries);
	max = (all_pages << PAGE_SHIFT >> 4) / HASH_BUCKET_SIZE;
	if (max > 0x80000000ULL)
		max = 0x80000000ULL;
	if (numentries < h->low_limit)
		numentries = h->low_limit;
	if (numentries > max)
		numentries = max;
	log2qty = ilog2_u64(numentries ? numentries : 1);
	bytes = (uint64_t)HASH_BUCKET_SIZE << log2qty;
	/* vmalloc_huge() maps with 2 MiB pages when each online node's share is that large */
	if (h->when != HASH_NOT_SPREAD && (get_order(bytes) > MAX_PAGE_ORDER || hashdist))
		how = bytes / (online_nodes ? online_nodes : 1) >= PMD_SIZE ? "vmalloc hugepage" : "vmalloc";
	mp_snprintf(buf, size, "%s hash table entries: %llu (order: %u, %llu bytes, %s)",
		    mm_init_hash_names[h->name],
		    1ULL << log2qty, get_order(bytes), (unsigned long long)bytes, how);
	return bytes;
}

/* The tables' lines; with 6.12's estimate, only those the uncertain pages cannot change. */
static void print_system_hashes(struct machine *m, const struct system_hash *hashes, unsigned n)
{
	const struct zones *z = &m->zones;
	bool hashdist = false;
	unsigned online = (unsigned)nodes_weight(m->numa.online_after), with_memory = 0;
	int nid;

	for_each_node_mask(nid, m->numa.online_after)
		for (int zone = 0; zone < MAX_NR_ZONES; zone++)
			if (z->present[nid][zone]) {
				with_memory++;
				break;
			}
	hashdist = with_memory > 1;
	for (unsigned i = 0; i < n; i++) {
		uint64_t slack = z->kernel_pages_slack < z->nr_kernel_pages ? z->kernel_pages_slack : z->nr_kernel_pages;
		uint64_t bytes;
		char hi[160], lo[160];

		if ((hashes[i].when == HASH_SPREAD && !hashdist) || (hashes[i].when == HASH_NOT_SPREAD && hashdist))
			continue;
		bytes = system_hash_line(hi, sizeof(hi), &hashes[i], z->nr_kernel_pages, z->nr_all_pages, hashdist,
					 online);
		system_hash_line(lo, sizeof(lo), &hashes[i], z->nr_kernel_pages - slack, z->nr_all_pages - slack,
				 hashdist, online);
		if (mp_strcmp(hi, lo)) {
			mp_printk(m->log, "memprobe: the %s hash table's size depends on %llu pages memprobe does not "
					  "place: not predicted\n",
				  mm_init_hash_names[hashes[i].name], (unsigned long long)z->kernel_pages_slack);
			m->unpredicted |= UNPREDICTED_HASH << hashes[i].name;
			if (hashes[i].when == HASH_NOT_SPREAD)
				memblock_lines_unpredicted(m, "an early hash table's size is not predicted");
		}
		if (hashes[i].when == HASH_NOT_SPREAD) {
			/* HASH_EARLY | HASH_ZERO: from memblock, memory the page allocator never gets */
			m->dma_pools.early_hash_bytes += bytes;
			memblock_alloc_try_nid_from(&m->memblock, bytes, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE,
						    NUMA_NO_NODE, "alloc_large_system_hash");
		}
		if (!mp_strcmp(hi, lo))
			mp_printk(m->log, "%s\n", hi);
	}
}

/**
 * vfs_caches_init_early() - the dentry and inode hash tables, when not spread over the nodes
 * @m: the machine, after free_area_init
 *
 * Linux spreads the tables (hashdist) when more than one node has memory;
 * otherwise it takes them from memblock this early.
 */
void vfs_caches_init_early(struct machine *m)
{
	print_system_hashes(m, vfs_early_hashes, sizeof(vfs_early_hashes) / sizeof(vfs_early_hashes[0]));
}

/**
 * vfs_caches_init() - the VFS hash tables made from the page allocator
 * @m: the machine, after free_area_init and init_possible_cpus
 */
void vfs_caches_init(struct machine *m)
{
	print_system_hashes(m, vfs_hashes, sizeof(vfs_hashes) / sizeof(vfs_hashes[0]));
}

/* hugetlb_vmemmap_optimizable_size(): a huge page's memmap but the page kept, in KiB. */
static uint64_t vmemmap_freeable_kib(uint64_t page_size)
{
	return ((page_size >> PAGE_SHIFT) * STRUCT_PAGE_SIZE - PAGE_SIZE) >> 10;
}

/**
 * hugetlb_init() - the huge page sizes Linux registers, none pre-allocated
 * @m: the machine
 *
 * 1 GiB pages first when the CPU has them (gigantic_pages_init, an earlier
 * initcall), then the 2 MiB default; none with no PSE.
 */
void hugetlb_init(struct machine *m)
{
	static const struct { uint64_t size; const char *name; } sizes[] = {
		{ 1ULL << 30, "1.00 GiB" },
		{ 2ULL << 20, "2.00 MiB" },
	};

	if (!m->paging.cpu.known) {
		mp_printk(m->log, "memprobe: the boot CPU's features are not known: the HugeTLB lines are not "
				  "predicted\n");
		m->unpredicted |= UNPREDICTED_HUGETLB;
		return;
	}
	if (!m->paging.cpu.pse)
		return;
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (sizes[i].size == 1ULL << 30 && !m->paging.cpu.gbpages)
			continue;
		mp_printk(m->log, "HugeTLB: registered %s page size, pre-allocated 0 pages\n", sizes[i].name);
		mp_printk(m->log, "HugeTLB: %llu KiB vmemmap can be freed for a %s page\n",
			  (unsigned long long)vmemmap_freeable_kib(sizes[i].size), sizes[i].name);
	}
}

/**
 * probe_memory_block_size() - the memory hotplug block size Linux announces
 * @m: the machine, after find_max_pfns
 *
 * A section (128 MiB) below 64 GiB of address space; above it 2 GiB on bare
 * metal, and under a hypervisor (CPUID 1 ECX[31]) the largest power of two
 * to 2 GiB that max_pfn's address is aligned to.
 */
void probe_memory_block_size(struct machine *m)
{
	const struct cpu_facts *cpu = &m->paging.cpu;
	uint64_t end = PFN_PHYS(m->max_pfn), bz = MIN_MEMORY_BLOCK_SIZE;

	if (end >= MEM_SIZE_FOR_LARGE_BLOCK) {
		if (!cpu->known) {
			mp_printk(m->log, "memprobe: the boot CPU's features are not known (a hypervisor's?): the "
					  "memory block size is not predicted\n");
			m->unpredicted |= UNPREDICTED_MEMORY_BLOCK;
			return;
		}
		for (bz = MAX_BLOCK_SIZE; cpu->hypervisor && bz > MIN_MEMORY_BLOCK_SIZE; bz >>= 1)
			if (!(end & (bz - 1)))
				break;
	}
	mp_printk(m->log, "x86/mm: Memory block size: %lluMB\n", (unsigned long long)(bz >> 20));
}

/* What the first chunk keeps of memblock's: each CPU's unit up to its sizes; empty units and the tails go back. */
static uint64_t percpu_kept_bytes(const struct pcpu_alloc_info *ai)
{
	uint64_t cpus = 0;

	for (unsigned g = 0; g < ai->nr_groups; g++)
		cpus += ai->group_cnt[g];
	return cpus * round_up(ai->static_size + ai->reserved_size + ai->dyn_size, PAGE_SIZE);
}

/* The pool atomic_pool_expand() makes of a size: one block of the page allocator, at most MAX_PAGE_ORDER (KiB). */
static uint64_t atomic_pool_block_kib(uint64_t size)
{
	unsigned order = get_order(size);

	return (PAGE_SIZE << (order < MAX_PAGE_ORDER ? order : MAX_PAGE_ORDER)) >> 10;
}

/* The page count dma_atomic_pool_init() sizes from, and the pool it prints (KiB). */
static uint64_t atomic_pool_kib(uint64_t totalram_pages)
{
	uint64_t pages = totalram_pages / ((1ULL << 30) / (128ULL << 10));

	if (pages > MAX_ORDER_NR_PAGES)
		pages = MAX_ORDER_NR_PAGES;
	if (pages < ((128ULL << 10) >> PAGE_SHIFT))
		pages = (128ULL << 10) >> PAGE_SHIFT;
	return atomic_pool_block_kib(pages << PAGE_SHIFT);
}

/**
 * early_coherent_pool() - Linux's coherent_pool= early parameter: the atomic DMA pools' size
 * @m: the machine
 * @value: the text after "coherent_pool=" (memparse: K, M, G suffixes)
 *
 * Return: 0 (Linux takes any text; 0 keeps the default size).
 */
int early_coherent_pool(struct machine *m, const char *value)
{
	m->dma_pools.size = memparse(value, NULL);
	return 0;
}

/**
 * dma_atomic_pool_init() - the atomic DMA pools: GFP_KERNEL, GFP_DMA with a DMA zone, GFP_DMA32
 * @m: the machine, after the software IO TLB and the per-CPU areas
 *
 * 128 KiB per GiB of the page allocator's pages at this initcall: memblock's
 * free pages after sparse_init, less the per-CPU areas and the software IO
 * TLB; the other early allocations, which memprobe does not all place,
 * leave a range.  A size that range can change is not predicted.
 * coherent_pool= sets the size.
 */
void dma_atomic_pool_init(struct machine *m)
{
	static const char *const gfp[] = { "GFP_KERNEL", "GFP_KERNEL|GFP_DMA", "GFP_KERNEL|GFP_DMA32" };
	const struct zones *z = &m->zones;
	uint64_t taken = (percpu_kept_bytes(&m->percpu) + m->swiotlb.bytes + m->swiotlb.slots_bytes +
			  m->dma_pools.early_hash_bytes) >> PAGE_SHIFT;
	uint64_t hi = z->free_after_sparse > taken ? z->free_after_sparse - taken : 0;
	uint64_t slack = z->free_after_sparse_slack + (EARLY_ALLOC_SLACK >> PAGE_SHIFT);
	uint64_t kib = m->dma_pools.size ? atomic_pool_block_kib(m->dma_pools.size) : atomic_pool_kib(hi);
	bool dma = false;
	int nid;

	if (!m->dma_pools.size && atomic_pool_kib(hi > slack ? hi - slack : 0) != kib) {
		mp_printk(m->log, "memprobe: the atomic DMA pools' size depends on %llu pages memprobe does not "
				  "place: not predicted\n",
			  (unsigned long long)slack);
		m->unpredicted |= UNPREDICTED_DMA_POOLS;
		return;
	}
	for_each_node_mask(nid, m->numa.online_after)
		dma |= z->present[nid][ZONE_DMA] > z->dma_reserve;
	for (unsigned i = 0; i < sizeof(gfp) / sizeof(gfp[0]); i++)
		if (i != 1 || dma)
			mp_printk(m->log, "DMA: preallocated %llu KiB %s pool for atomic allocations\n",
				  (unsigned long long)kib, gfp[i]);
}
