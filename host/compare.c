// SPDX-License-Identifier: MIT
/*
 * memprobe compare (RUN_DIR | --live [--root DIR]) LINUX_LOG: memprobe's
 * prediction against a real Linux boot log, stage by stage.
 *
 * The facts only the boot decides and the log shows are taken from the log
 * first: the command line's memory words, and (with memblock=debug) where
 * the kernel image was placed.  What then still differs is a difference.
 * The stages pick the same lines from both sides; a line that only a
 * booting Linux can have (setup_data, the loader's own EFI allocations) is
 * in no stage.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memprobe/mm/mm_init.h"
#include "memprobe/options.h"
#include "analyze.h"
#include "boot_memmap.h"
#include "compare.h"
#include "live.h"
#include "predict.h"
#include "readfile.h"
#include "replay_lex.h"
#include "text.h"

enum stage {
	ST_E820, ST_EFI, ST_MEMBLOCK, ST_ACPI, ST_SRAT, ST_NUMA, ST_NODE_DATA, ST_ZONES, ST_CPU, ST_LATE_E820,
	ST_SPARSE, ST_LATE_MEMBLOCK, ST_KERNEL_MEMBLOCK, ST_PERCPU, ST_ZONELISTS, ST_MM_INIT, ST_HASH, ST_MMCONFIG,
	ST_BOOT_MEMORY,		/* not compared: the boot's boot-services descriptors (efi=debug), for the sparse answers */
	STAGES
};

static const char *const stage_names[STAGES] = {
	"e820", "efi", "memblock", "ACPI", "SRAT", "NUMA", "NODE_DATA", "zones", "CPU", "late e820", "sparse",
	"late memblock", "memblock from setup_percpu", "percpu",
	"zonelists", "mm_init", "hash tables", "MMCONFIG", "boot-services memory",
};

/* Each stage's lines, by pattern (POSIX extended), after timestamps and caller offsets go. */
static const struct {
	enum stage stage;
	const char *pattern;
} stage_patterns[] = {
	{ ST_E820, "^efi: EFI v[0-9]" },
	{ ST_E820, "^BIOS-provided physical RAM map:$" },
	{ ST_E820, "^BIOS-(e820|e801|88): \\[mem " },
	{ ST_E820, "^extended: \\[mem " },
	{ ST_E820, "^reserve setup_data: \\[mem " },
	{ ST_E820, "^esrt: Reserving ESRT space from " },
	{ ST_E820, "^efi_bgrt: Ignoring BGRT: " },
	{ ST_E820, "^user-defined physical RAM map:$" },
	{ ST_E820, "^user: \\[mem " },
	{ ST_E820, "^e820: (update|remove) \\[mem " },
	{ ST_E820, "^too many entries; ignoring " },
	{ ST_E820, "^last_pfn = " },
	{ ST_E820, "^update e820 for mtrr$" },
	{ ST_E820, "^modified physical RAM map:$" },
	{ ST_E820, "^modified: \\[mem " },
	{ ST_MEMBLOCK, "^memblock_(add|reserve): .* e820__memblock_setup$" },
	{ ST_ACPI, "^ACPI: Early table checksum verification disabled$" },
	{ ST_ACPI, "^ACPI: (RSDP|[A-Z0-9]{4}) 0x[0-9A-F]{16} [0-9A-F]{6}" },
	{ ST_ACPI, "^ACPI: Reserving [A-Z0-9]{4} table memory at " },
	{ ST_ACPI, "^ACPI: SLIT table looks invalid" },
	{ ST_ACPI, "^ACPI: PM-Timer IO Port: " },
	{ ST_ACPI, "^ACPI: (LAPIC_NMI|X2APIC_NMI|INT_SRC_OVR|NMI_SRC) " },
	{ ST_ACPI, "^ACPI: No (LAPIC|IOAPIC) entries present$" },
	{ ST_ACPI, "^IOAPIC\\[[0-9]+\\]: apic_id " },
	{ ST_ACPI, "^(Bogus \\(zero\\) I/O APIC|I/O APIC 0x[0-9a-f]+ registers return|address 0x[0-9a-f]+ "
		   "conflicts with IOAPIC|GSI range \\[|Max # of I/O APICs)" },
	{ ST_ACPI, "^ACPI: Using ACPI (\\(MADT\\) for SMP|for processor \\(LAPIC\\))" },
	{ ST_ACPI, "^ACPI: HPET (id: |timers must be located)" },
	{ ST_ACPI, "^ACPI: Skipping IOAPIC probe due to 'noapic' option\\.$" },
	{ ST_ACPI, "^ACPI: skipped apicid that is too big$" },
	{ ST_ACPI, "^APIC: NR_CPUS/possible_cpus limit of " },
	{ ST_ACPI, "^smpboot: (Allowing [0-9]+ CPUs|Boot CPU \\(id|[0-9]+ Processors exceeds)" },
	{ ST_ACPI, "^CPU topo: (Max\\. logical|Max\\. dies|Max\\. threads|Num\\. cores|Num\\. threads|Allowing|Limiting to|Rejected CPUs|[0-9]+ possible CPUs exceed|APIC ID [0-9a-f]+ "
		   "exceeds|CPU limit of)" },
	{ ST_SRAT, "^SRAT: " },
	{ ST_SRAT, "^ACPI: SRAT: " },
	{ ST_SRAT, "^(ACPI: )?\\[SRAT:" },
	{ ST_NUMA, "^memblock_phys_alloc_range: .* init_mem_mapping$" },
	{ ST_NUMA, "^(Allocated new RAMDISK:|Move RAMDISK from) \\[mem " },
	{ ST_NUMA, "^NUMA: " },
	{ ST_NUMA, "^No NUMA configuration found$" },
	{ ST_NUMA, "^NUMA turned off$" },
	{ ST_NUMA, "^Faking (a )?node " },
	{ ST_NUMA, "^node [0-9]+ \\[mem .* overlaps " },
	{ ST_NUMA, "^Warning: node " },
	{ ST_NUMA, "^Cannot find [0-9]+ bytes in any node" },
	{ ST_NODE_DATA, "^ *NODE_DATA\\(" },
	{ ST_NODE_DATA, "^Initializing node [0-9]+ as memoryless$" },
	{ ST_ZONES, "^Zone ranges:$" },
	{ ST_ZONES, "^  (DMA|DMA32|Normal|Device) " },
	{ ST_ZONES, "^Movable zone start for each node$" },
	{ ST_ZONES, "^  Node [0-9]+: " },
	{ ST_ZONES, "^Early memory node ranges$" },
	{ ST_ZONES, "^  node +[0-9]+: \\[mem " },
	{ ST_ZONES, "^Initmem setup node " },
	{ ST_ZONES, "^On node [0-9]+, zone [A-Za-z0-9]+: [0-9]+ pages in unavailable ranges$" },
	{ ST_CPU, "^MTRR map: " },
	{ ST_CPU, "^MTRR default type: " },
	{ ST_CPU, "^MTRR (fixed|variable) ranges (en|dis)abled:$" },
	{ ST_CPU, "^  [0-9A-F]{5}-[0-9A-F]{5} [a-z?-]+$" },
	{ ST_CPU, "^  [0-9]+ (base [0-9A-F]+ mask [0-9A-F]+ [a-z?-]+|disabled)$" },
	{ ST_CPU, "^TOM2: [0-9a-f]{16} aka " },
	{ ST_CPU, "^ *[0-9]+: [0-9a-f]{16}-[0-9a-f]{16} [a-z?-]+$" },
	{ ST_CPU, "^MTRRs (disabled|set to read-only)" },
	{ ST_CPU, "^Disabled$" },
	{ ST_CPU, "^x86/PAT: " },
	{ ST_CPU, "^CPU MTRRs all blank - virtualized system\\.$" },
	{ ST_CPU, "^WARNING: BIOS bug: (CPU MTRRs don't cover|VAR MTRR [0-9]+ contains strange)" },
	{ ST_CPU, "^mtrr: " },
	{ ST_CPU, "^smpboot: CPU0: " },
	{ ST_CPU, "^smp: Bringing up secondary CPUs \\.\\.\\.$" },
	{ ST_CPU, "^(smpboot: )?x86: Booting SMP configuration:$" },
	{ ST_CPU, "^\\.\\.\\.\\. node +#[0-9]+, CPUs: " },
	{ ST_CPU, "^sched: CPU #[0-9]+'s [a-z0-9]+-sibling CPU #[0-9]+ is not on the same node" },
	{ ST_CPU, "^smp: Brought up [0-9]+ nodes?, [0-9]+ CPUs?$" },
	{ ST_CPU, "^smpboot: Max logical packages: " },
	{ ST_LATE_E820, "^PM: hibernation: Registered nosave memory: \\[mem " },
	{ ST_LATE_E820, "^\\[mem 0x[0-9a-f]+-0x[0-9a-f]+\\] available for PCI devices$" },
	{ ST_LATE_E820, "^(Cannot find an available gap in the 32-bit address range|PCI devices with unassigned "
			"32-bit BARs may not work!)$" },
	{ ST_LATE_E820, "^e820: reserve RAM buffer \\[mem " },
	{ ST_PERCPU, "^setup_percpu: " },
	{ ST_PERCPU, "^percpu: ([0-9]+ 4K pages/cpu|Embedded|max_distance=0x[0-9a-f]+ too large|"
		     "cpu [0-9]+ has no node)" },
	{ ST_PERCPU, "^pcpu-alloc: " },
	{ ST_ZONELISTS, "^Fallback order for Node [0-9]+: " },
	{ ST_ZONELISTS, "^Built [0-9]+ zonelists, mobility grouping " },
	{ ST_ZONELISTS, "^Policy zone: " },
	{ ST_MM_INIT, "^software IO TLB: (area num -?[0-9]+\\.|SWIOTLB bounce buffer size (roundup to [0-9]+MB|adjusted "
		      "[0-9]+ -> [0-9]+ slabs)|swiotlb_memblock_alloc: Failed to allocate [0-9]+ bytes tlb structure)$" },
	{ ST_MM_INIT, "^printk: log_buf_len( individual max cpu contribution| total cpu_extra contributions| min size)?: [0-9]+ bytes$" },
	{ ST_MM_INIT, "^printk: log_buf_len: [0-9]+ (text|desc|info) bytes not available$" },
	{ ST_MM_INIT, "^SLUB: HWalign=" },
	{ ST_MM_INIT, "^Memory: [0-9]+K/[0-9]+K available \\(" },
	{ ST_MM_INIT, "^PCI-DMA: Using software bounce buffering for IO \\(SWIOTLB\\)$" },
	{ ST_MM_INIT, "^software IO TLB: mapped \\[mem " },
	{ ST_MM_INIT, "^mempolicy: (Enabling|Disabling) automatic NUMA balancing" },
	{ ST_MM_INIT, "^x86/mm: Memory block size: [0-9]+MB$" },
	{ ST_MM_INIT, "^DMA: preallocated [0-9]+ KiB GFP_" },
	{ ST_MM_INIT, "^HugeTLB: (registered|[0-9]+ KiB vmemmap can be freed)" },
	{ ST_HASH, "^(Dentry cache|Inode-cache|Mount-cache|Mountpoint-cache) hash table entries: " },
	{ ST_MMCONFIG, "^PCI: (MMCONFIG|ECAM|MCFG|not using|no memory for MCFG)" },
};

#define NR_PATTERNS (sizeof(stage_patterns) / sizeof(stage_patterns[0]))

/* The lines of one side, stage by stage. */
struct side {
	char **lines[STAGES];
	size_t nr[STAGES], cap[STAGES];
	char *memory_or;	/* memprobe's other "Memory:" line (MEMORY_LINE_OR), or NULL */
};

/* What picks a side's lines: the patterns, and the state some stages need. */
struct picker {
	regex_t re[NR_PATTERNS];
	bool extended_pending;		/* "extended physical RAM map:" waits for its first entry */
	bool efi_done;			/* efi_init's listing ends at trim_bios_range's first update */
	int dump;			/* memblock: 0 before the first dump, 1 in it, 2 after */
	int answer;			/* the stage of the request the next memblock_alloc_range_nid reserve answers, or -1 */
	bool percpu_begun;		/* "setup_percpu:": the late memblock requests modelled end there */
	bool slub_begun;		/* "SLUB:": memblock's last requests are before it */
	char config[512];		/* the "efi: NAME=0x..." line as compared */
};

static bool add(struct side *s, enum stage st, const char *prefix, const char *line)
{
	char *copy;

	if (s->nr[st] == s->cap[st]) {
		size_t cap = s->cap[st] ? 2 * s->cap[st] : 64;
		char **bigger = realloc(s->lines[st], cap * sizeof(*bigger));

		if (!bigger)
			return false;
		s->lines[st] = bigger;
		s->cap[st] = cap;
	}
	copy = malloc(strlen(prefix) + strlen(line) + 1);
	if (!copy)
		return false;
	strcpy(copy, prefix);
	strcat(copy, line);
	s->lines[st][s->nr[st]++] = copy;
	return true;
}

/* add() of the first n bytes of line. */
static bool add_cut(struct side *s, enum stage st, const char *line, size_t n)
{
	char *copy = malloc(n + 1);
	bool ok;

	if (!copy)
		return false;
	memcpy(copy, line, n);
	copy[n] = '\0';
	ok = add(s, st, "", copy);
	free(copy);
	return ok;
}

/*
 * Where memprobe names the available memory of Linux's "Memory:" line as
 * the run's ("Memory: ?K/"), Linux's figure is left out of the comparison too.
 */
static void mask_available_memory(struct side *linux_side, const struct side *mp)
{
	size_t n = strlen(MEMORY_AVAILABLE_NOT_PREDICTED);
	bool masked = false;

	for (size_t i = 0; i < mp->nr[ST_MM_INIT]; i++)
		masked |= !strncmp(mp->lines[ST_MM_INIT][i], MEMORY_AVAILABLE_NOT_PREDICTED, n);
	for (size_t i = 0; masked && i < linux_side->nr[ST_MM_INIT]; i++) {
		char *line = linux_side->lines[ST_MM_INIT][i], *k = strchr(line, 'K');

		if (strncmp(line, "Memory: ", 8) || !k)
			continue;
		memmove(line + n, k + 2, strlen(k + 2) + 1);
		memcpy(line, MEMORY_AVAILABLE_NOT_PREDICTED, n);
	}
}

/*
 * Where memprobe names a second "Memory:" line that a boot prints by chance
 * (MEMORY_LINE_OR) and Linux printed that one, it is the prediction.
 * Return: whether it was.
 */
static bool take_memory_or(const struct side *linux_side, struct side *mp)
{
	for (size_t i = 0; mp->memory_or && i < linux_side->nr[ST_MM_INIT]; i++) {
		if (strcmp(linux_side->lines[ST_MM_INIT][i], mp->memory_or))
			continue;
		for (size_t j = 0; j < mp->nr[ST_MM_INIT]; j++)
			if (!strncmp(mp->lines[ST_MM_INIT][j], "Memory: ", 8)) {
				free(mp->lines[ST_MM_INIT][j]);
				mp->lines[ST_MM_INIT][j] = mp->memory_or;
				mp->memory_or = NULL;
				return true;
			}
	}
	return false;
}

static void free_side(struct side *s)
{
	free(s->memory_or);
	for (int st = 0; st < STAGES; st++) {
		for (size_t i = 0; i < s->nr[st]; i++)
			free(s->lines[st][i]);
		free(s->lines[st]);
	}
}

static bool matches(const regex_t *re, const char *line)
{
	return !regexec(re, line, 0, NULL, 0);
}

/* The EFI descriptor types a loader allocates or frees: not the firmware's, not compared. */
static bool loader_owned(const char *line)
{
	static const char *const types[] = { "Conventional", "Loader Code", "Loader Data", "Boot Code", "Boot Data" };
	const char *t = strchr(line, '['), *bar = t ? strchr(t, '|') : NULL;

	for (size_t i = 0; bar && i < sizeof(types) / sizeof(types[0]); i++) {
		size_t n = strlen(types[i]);

		/* "[Boot Data   |": the name, padded with spaces to the bar */
		if (!strncmp(t + 1, types[i], n) && 1 + n + strspn(t + 1 + n, " ") == (size_t)(bar - t))
			return true;
	}
	return false;
}

/*
 * efi_config_parse_tables()'s line as compared: the tables Linux's EFI stub
 * installs itself (RNG, TPMEventLog, INITRD) are no firmware's, and the
 * memory attributes table is made anew at each boot, so its address is left
 * out.  Return: the line to compare, in buf.
 */
static const char *config_line(const char *line, char *buf, size_t size)
{
	static const char *const stubs[] = { "RNG", "TPMEventLog", "INITRD" };
	size_t len = (size_t)snprintf(buf, size, "efi: ");

	for (const char *p = line + 5, *eq; (eq = strstr(p, "=0x")) && len < size; ) {
		const char *end = strchr(eq, ' ');
		size_t key = (size_t)(eq - p);
		bool stub = false;

		if (!end)
			end = eq + strlen(eq);
		for (size_t i = 0; i < sizeof(stubs) / sizeof(stubs[0]); i++)
			stub |= key == strlen(stubs[i]) && !strncmp(p, stubs[i], key);
		if (key == 7 && !strncmp(p, "MEMATTR", 7))
			len += (size_t)snprintf(buf + len, size - len, "MEMATTR=(each boot's) ");
		else if (!stub)
			len += (size_t)snprintf(buf + len, size - len, "%.*s ", (int)(end - p), p);
		p = *end ? end + 1 : end;
	}
	return buf;
}

/* One normalized line of a side into its stage, if it has one. */
/*
 * 6.1 boots one AP at a time: what an AP prints (the llc-sibling warning)
 * cuts the announce line, and its rest comes as a record of its own
 * (" #3").  The rest goes back onto the last ".... node" line.
 */
static bool join_announce(struct side *s, const char *line)
{
	const char *p = line;
	char *joined;

	if (*p != ' ')
		return false;
	while (*p == ' ' || *p == '#' || (*p >= '0' && *p <= '9'))
		p++;
	if (*p || !strchr(line, '#'))
		return false;
	for (size_t i = s->nr[ST_CPU]; i-- > 0;)
		if (!strncmp(s->lines[ST_CPU][i], ".... node ", 10)) {
			joined = realloc(s->lines[ST_CPU][i], strlen(s->lines[ST_CPU][i]) + strlen(line) + 1);
			if (!joined)
				return false;
			strcat(joined, line);
			s->lines[ST_CPU][i] = joined;
			return true;
		}
	return false;
}

/*
 * The memblock requests between the zone lines and setup_percpu, by their
 * callers: the HPET's and IO APICs' resources, e820__reserve_resources and
 * its firmware map, hibernation's nosave records, and start_kernel's copies
 * of the command line.
 */
static bool late_memblock_request(const char *line)
{
	static const char *const callers[] = { " acpi_parse_hpet", " io_apic_init_mappings", " e820__reserve_resources",
					       " firmware_map_add_early", " register_nosave_region", " start_kernel" };
	size_t n = strlen(line);

	if (strncmp(line, "memblock_alloc_try_nid: ", 24))
		return false;
	for (size_t i = 0; i < sizeof(callers) / sizeof(callers[0]); i++)
		if (n > strlen(callers[i]) && !strcmp(line + n - strlen(callers[i]), callers[i]))
			return true;
	return false;
}

static bool pick(struct picker *p, struct side *s, const char *line)
{
	if (join_announce(s, line))
		return true;
	if (p->extended_pending) {
		p->extended_pending = false;
		if ((!strncmp(line, "extended: ", 10) || !strncmp(line, "reserve setup_data: ", 20)) &&
		    !add(s, ST_E820, "", "extended physical RAM map:"))
			return false;
	}
	if (!strcmp(line, "extended physical RAM map:")) {
		p->extended_pending = true;
		return true;
	}
	if (!strncmp(line, "efi: ", 5) && strstr(line, "=0x") && !strstr(line, "range="))
		return add(s, ST_E820, "", config_line(line, p->config, sizeof(p->config)));
	if (!strncmp(line, "e820: update [mem 0x00000000-0x00000fff]", 40))
		p->efi_done = true;
	if (!p->efi_done && !strncmp(line, "efi: mem", 8) && strstr(line, ": [")) {
		const char *rest = strstr(line, ": [");

		if (strstr(line, "[Boot Code") || strstr(line, "[Boot Data"))
			return add(s, ST_BOOT_MEMORY, "", rest);
		return loader_owned(line) || add(s, ST_EFI, "efi: memNN", rest);
	}
	if (!strncmp(line, "memblock_reserve: ", 18) && strstr(line, " efi_reserve_boot_services"))
		return add(s, ST_MEMBLOCK, "boot services: ", line);
	if (p->dump < 2 && !strcmp(line, "MEMBLOCK configuration:")) {
		p->dump = 1;
		return add(s, ST_MEMBLOCK, "", line);
	}
	if (p->dump == 1) {
		if (!strncmp(line, " reserved.cnt  = ", 17))
			p->dump = 2;
		else if (!strncmp(line, " memory.cnt  = ", 15) || !strncmp(line, " memory[0x", 10))
			return add(s, ST_MEMBLOCK, "", line);
	}
	if (p->answer >= 0 && !strncmp(line, "memblock_reserve: ", 18) && strstr(line, " memblock_alloc_range_nid")) {
		enum stage st = (enum stage)p->answer;

		p->answer = -1;
		return add(s, st, "answer: ", line);
	}
	if ((!strncmp(line, "memblock_phys_alloc_range: ", 27) &&
	     (strstr(line, " alloc_low_pages") || strstr(line, " numa_alloc_distance"))) ||
	    (!strncmp(line, "memblock_alloc_try_nid: ", 24) && strstr(line, " numa_alloc_distance"))) {
		p->answer = ST_NUMA;
		return add(s, ST_NUMA, "", line);
	}
	if (!strncmp(line, "memblock_alloc_", 15) &&
	    (strstr(line, " sparse_init") || strstr(line, " sparse_index_alloc") ||
	     strstr(line, " vmemmap_alloc_block_zero.constprop.0"))) {
		p->answer = ST_SPARSE;
		return add(s, ST_SPARSE, "", line);
	}
	if (!strncmp(line, MEMORY_LINE_OR "Memory: ", strlen(MEMORY_LINE_OR) + 8) && !s->memory_or) {
		const char *at = line + strlen(MEMORY_LINE_OR), *end = strstr(at, MEMORY_LINE_OR_NOTE);
		size_t n = end ? (size_t)(end - at) : strlen(at);

		s->memory_or = malloc(n + 1);
		if (!s->memory_or)
			return false;
		memcpy(s->memory_or, at, n);
		s->memory_or[n] = '\0';
		return true;
	}
	if (!strncmp(line, "memprobe: " MEMORY_AVAILABLE_NOT_PREDICTED, 10 + strlen(MEMORY_AVAILABLE_NOT_PREDICTED))) {
		const char *end = strstr(line, MEMORY_LINE_RUN_NOTE);

		return !end || add_cut(s, ST_MM_INIT, line + 10, (size_t)(end - line - 10));
	}
	if (!strncmp(line, "setup_percpu: ", 14))
		p->percpu_begun = true;
	if (!strncmp(line, "SLUB: ", 6))
		p->slub_begun = true;
	if (p->percpu_begun && !p->slub_begun) {
		/* every memblock line from setup_percpu to kmem_cache_init; what carries an address is an answer */
		if (!strncmp(line, "memblock_alloc_try_nid: ", 24)) {
			p->answer = ST_KERNEL_MEMBLOCK;
			return add(s, ST_KERNEL_MEMBLOCK, "", line);
		}
		if (!strncmp(line, "memblock_phys_free: ", 20) || !strncmp(line, "memblock: ", 10) ||
		    (!strncmp(line, "memblock_reserve: ", 18) && !strstr(line, " memblock_alloc_range_nid")))
			return add(s, ST_KERNEL_MEMBLOCK, "answer: ", line);
	}
	if (!p->percpu_begun && late_memblock_request(line)) {
		p->answer = ST_LATE_MEMBLOCK;
		return add(s, ST_LATE_MEMBLOCK, "", line);
	}
	for (size_t i = 0; i < NR_PATTERNS; i++) {
		if (!matches(&p->re[i], line))
			continue;
		if (stage_patterns[i].stage == ST_MEMBLOCK && p->dump == 2)
			return true;	/* only e820__memblock_setup's lines and its dump */
		return add(s, stage_patterns[i].stage, "", line);
	}
	return true;
}

static bool picker_init(struct picker *p)
{
	memset(p, 0, sizeof(*p));
	p->answer = -1;
	for (size_t i = 0; i < NR_PATTERNS; i++)
		if (regcomp(&p->re[i], stage_patterns[i].pattern, REG_EXTENDED | REG_NOSUB)) {
			fprintf(stderr, "memprobe compare: internal: bad pattern %s\n", stage_patterns[i].pattern);
			return false;
		}
	return true;
}

static void picker_free(struct picker *p)
{
	for (size_t i = 0; i < NR_PATTERNS; i++)
		regfree(&p->re[i]);
}

/* Every line of text (NUL-terminated, cut in place) into a side. */
static bool pick_all(struct side *s, char *text)
{
	struct picker p;
	bool ok;

	if (!picker_init(&p))
		return false;
	ok = true;
	for (char *line = text, *next; ok && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		replay_normalize(line);
		ok = pick(&p, s, line);
	}
	picker_free(&p);
	return ok;
}

#define MAX_CANDIDATES 32

/* A "Command line:" line shorter than this is the whole command line. */
#define MAX_WHOLE_CMDLINE 960
/* print_unknown_bootoptions()'s line around the words */
#define UNKNOWN_PARAMS_LINE "Unknown kernel command line parameters \""
#define UNKNOWN_PARAMS_END "\", will be passed to user space."

/* Facts of the boot the log shows. */
struct log_facts {
	char version[160];
	char words[1024];		/* the command line's memory words */
	bool nokaslr;
	unsigned long long kernel, kernel_end;	/* the image's reserved range (0: unknown) */
	bool kernel_from_iomem;		/* --live: /proc/iomem's "Kernel code" gave it */
	bool kernel_from_boot_map;	/* nokaslr: the boot's EFI map gave it (kernel_from_boot_map()) */
	unsigned long long ramdisk_first, ramdisk_last;	/* "RAMDISK: [mem a-b]" (last 0: none) */
	unsigned nr_setup_data;		/* the setup_data nodes' updates ("usable ==> usable"), in order */
	unsigned long long setup_data[OPTIONS_MAX_SETUP_DATA][2];
	bool zones_seen;		/* "Zone ranges:": the updates after it are acpi_boot_init's */
	unsigned long long bgrt_first, bgrt_last;	/* the boot logo's update after the zones (last 0: none) */
	unsigned long long percpu_static;	/* the build's percpu section ("s" of "percpu:"), 0: not shown */
	char sections[96];		/* the build's sections ("Memory:"'s KiB) as kernel_sections= takes them */
	unsigned long long memattr;	/* the boot's memory attributes table ("efi: ... MEMATTR="), 0: none */
	unsigned long long efi_memmap;	/* the EFI stub's copy of the memory map (memblock=debug), 0: not shown */
	unsigned cmdline_bytes;		/* "Command line:"'s length and its NUL, 0: not shown whole */
	char unknown_params[MAX_WHOLE_CMDLINE];	/* "Unknown kernel command line parameters": what init gets */
	bool percpu_seen;		/* "setup_percpu:": the spp_getpage() requests after it are trap_init()'s */
	unsigned cea_pages;		/* trap_init()'s page tables for the CPU entry areas (memblock=debug) */
	unsigned nr_candidates;
	unsigned long long candidates[MAX_CANDIDATES][2];
};

/* The first memblock dump's reserved regions that start 2 MiB-aligned above 16 MiB: kernel candidates. */
static void kernel_candidates(struct log_facts *f, const char *line, int *dump)
{
	unsigned long long a, b;
	const char *tab = strchr(line, '\t');

	if (!strcmp(line, "MEMBLOCK configuration:") && !*dump)
		*dump = 1;
	else if (*dump == 1 && !strncmp(line, " reserved[0x", 12) && tab &&
		 sscanf(tab, "\t[0x%llx-0x%llx]", &a, &b) == 2) {
		if (!(a & 0x1fffff) && a >= 0x1000000 && f->nr_candidates < MAX_CANDIDATES) {
			f->candidates[f->nr_candidates][0] = a;
			f->candidates[f->nr_candidates++][1] = b;
		}
	} else if (*dump == 1 && line[0] != ' ') {
		*dump = 2;
	}
}

/* The kernel image: the largest candidate that is not the initrd. */
static void choose_kernel(struct log_facts *f)
{
	for (unsigned i = 0; i < f->nr_candidates; i++) {
		unsigned long long a = f->candidates[i][0], b = f->candidates[i][1];

		if (f->ramdisk_last && a <= f->ramdisk_last && b >= f->ramdisk_first)
			continue;
		if (b - a > f->kernel_end - f->kernel || !f->kernel) {
			f->kernel = a;
			f->kernel_end = b;
		}
	}
}

/*
 * The e820 updates that place what only the boot decides: a setup_data
 * node ("usable ==> usable"; Linux 6.1 prints each twice), and after the
 * zone lines the boot logo acpi_boot_init() keeps ("usable ==> reserved").
 */
static void setup_data_or_logo(struct log_facts *f, const char *line)
{
	unsigned long long a, b;

	if (sscanf(line, "e820: update [mem 0x%llx-0x%llx]", &a, &b) != 2)
		return;
	if (strstr(line, "] usable ==> usable") && f->nr_setup_data < OPTIONS_MAX_SETUP_DATA &&
	    (!f->nr_setup_data || f->setup_data[f->nr_setup_data - 1][0] != a)) {
		f->setup_data[f->nr_setup_data][0] = a;
		f->setup_data[f->nr_setup_data++][1] = b;
	} else if (strstr(line, "] usable ==> reserved") && f->zones_seen && !f->bgrt_last) {
		f->bgrt_first = a;
		f->bgrt_last = b;
	}
}

static void read_facts(struct log_facts *f, const char *text)
{
	char line[1024];
	int dump = 0;

	memset(f, 0, sizeof(*f));
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), p);
		replay_normalize(line);
		if (!f->version[0] && !strncmp(line, "Linux version ", 14))
			snprintf(f->version, sizeof(f->version), "%.*s", (int)sizeof(f->version) - 1, line + 14);
		else if (!f->words[0] && !strncmp(line, "Command line: ", 14)) {
			options_from_linux_cmdline(f->words, sizeof(f->words), line + 14);
			f->nokaslr = strstr(f->words, "nokaslr") != NULL;
			/* printk cuts a record near 1 KiB: a longer line's length is not the command line's */
			if (strlen(line + 14) < MAX_WHOLE_CMDLINE)
				f->cmdline_bytes = (unsigned)strlen(line + 14) + 1;
		} else if (!f->unknown_params[0] && !strncmp(line, UNKNOWN_PARAMS_LINE, strlen(UNKNOWN_PARAMS_LINE))) {
			const char *words = line + strlen(UNKNOWN_PARAMS_LINE), *end = strstr(words, UNKNOWN_PARAMS_END);

			if (end && end > words && (size_t)(end - words) < sizeof(f->unknown_params))
				snprintf(f->unknown_params, sizeof(f->unknown_params), "%.*s", (int)(end - words), words);
		} else if (!f->efi_memmap && !strncmp(line, "memblock_reserve: [", 19) &&
			   strstr(line, "] efi_memblock_x86_reserve_range")) {
			sscanf(line + 19, "0x%llx", &f->efi_memmap);
		} else if (!f->ramdisk_last && !strncmp(line, "RAMDISK: ", 9)) {
			sscanf(line + 9, "[mem 0x%llx-0x%llx]", &f->ramdisk_first, &f->ramdisk_last);
		} else if (!strncmp(line, "Move RAMDISK from ", 18)) {
			/* the initrd's exact end, which "RAMDISK:" rounds to its page */
			sscanf(line + 18, "[mem 0x%llx-0x%llx]", &f->ramdisk_first, &f->ramdisk_last);
		} else if (!strcmp(line, "Zone ranges:")) {
			f->zones_seen = true;
		} else if (!strncmp(line, "e820: update [mem ", 18)) {
			setup_data_or_logo(f, line);
		} else if (!f->memattr && !strncmp(line, "efi: ", 5) && strstr(line, " MEMATTR=0x")) {
			sscanf(strstr(line, " MEMATTR=0x") + 11, "%llx", &f->memattr);
		} else if (!f->sections[0] && !strncmp(line, "Memory: ", 8)) {
			unsigned long long k[5];
			const char *open = strchr(line, '(');

			if (open && sscanf(open, "(%lluK kernel code, %lluK rwdata, %lluK rodata, %lluK init, %lluK bss,",
					   &k[0], &k[1], &k[2], &k[3], &k[4]) == 5)
				snprintf(f->sections, sizeof(f->sections), "%llu,%llu,%llu,%llu,%llu", k[0], k[1], k[2],
					 k[3], k[4]);
		} else if (!strncmp(line, "setup_percpu: ", 14)) {
			f->percpu_seen = true;
		} else if (f->percpu_seen && !strncmp(line, "memblock_alloc_try_nid: ", 24) &&
			   !strcmp(line + strlen(line) - 12, " spp_getpage")) {
			f->cea_pages++;
		} else if (!f->percpu_static && !strncmp(line, "pcpu-alloc: s", 13)) {
			sscanf(line + 13, "%llu", &f->percpu_static);
		}
		kernel_candidates(f, line, &dump);
		p += n + (p[n] == '\n');
	}
	choose_kernel(f);
}

/* Only where the kernel puts the CPU entry areas at random does the log give their count: elsewhere memprobe counts it. */
static bool cea_pages_taken(const struct log_facts *f, const struct linux_profile *profile)
{
	return f->cea_pages && !f->nokaslr && profile && profile->cea_offsets_random;
}

/*
 * The options that give a prediction the boot's facts: the command line's
 * memory words, the kernel's place and the memory attributes table's (when
 * the prediction takes the boot's map), the initrd, the setup_data nodes,
 * the boot logo, the kernel and its build's percpu size.  Return: false
 * when they do not fit in size bytes.
 */
static bool boot_options(const struct log_facts *f, const struct linux_profile *profile, bool boot_map,
			 char *options, size_t size)
{
	int written = snprintf(options, size, "%s", f->words);

	/* In the boot's map the kernel's place is the stub's Loader Data: where it would go is no longer free. */
	if ((!f->nokaslr || boot_map) && f->kernel && (size_t)written < size)
		written += snprintf(options + written, size - written, " kernel_addr=%#llx", f->kernel);
	/* the first dump's region from the image's start: its size is the build's */
	if (f->kernel && f->kernel_end && !f->kernel_from_iomem && (size_t)written < size)
		written += snprintf(options + written, size - written, " kernel_reserve_size=%#llx",
				    f->kernel_end + 1 - f->kernel);
	if (f->ramdisk_last && (size_t)written < size)
		written += snprintf(options + written, size - written, " ramdisk=%#llx-%#llx", f->ramdisk_first,
				    f->ramdisk_last);
	for (unsigned i = 0; i < f->nr_setup_data && (size_t)written < size; i++)
		written += snprintf(options + written, size - written, "%s%#llx", i ? "," : " setup_data=",
				    f->setup_data[i][0]);
	if (f->bgrt_last && (size_t)written < size)
		written += snprintf(options + written, size - written, " bgrt=%#llx", f->bgrt_first);
	/* The table lies in boot-services memory: its place matters with the boot's map. */
	if (boot_map && f->memattr && (size_t)written < size)
		written += snprintf(options + written, size - written, " memattr=%#llx", f->memattr);
	if (profile && (size_t)written < size)
		written += snprintf(options + written, size - written, " kernel=%s", profile->name);
	if (f->efi_memmap && (size_t)written < size)
		written += snprintf(options + written, size - written, " efi_memmap_at=%#llx", f->efi_memmap);
	if (f->cmdline_bytes && (size_t)written < size)
		written += snprintf(options + written, size - written, " cmdline_bytes=%u", f->cmdline_bytes);
	if (f->percpu_static && (size_t)written < size)
		written += snprintf(options + written, size - written, " percpu_static_size=%llu", f->percpu_static);
	if (f->sections[0] && (size_t)written < size)
		written += snprintf(options + written, size - written, " kernel_sections=%s", f->sections);
	if (cea_pages_taken(f, profile) && (size_t)written < size)
		written += snprintf(options + written, size - written, " cea_pages=%u", f->cea_pages);
	/* a space before each word and a NUL */
	if (f->unknown_params[0] && (size_t)written < size)
		written += snprintf(options + written, size - written, " unknown_params_bytes=%zu",
				    strlen(f->unknown_params) + 2);
	return (size_t)written < size;
}

/*
 * nokaslr and no memblock=debug dump: the image is where the EFI stub put
 * it, the lowest 2 MiB-aligned Loader Code from 16 MiB that holds the build's
 * image (efi_low_alloc_above()'s answer).  Return: its address, 0 if none.
 */
static unsigned long long kernel_from_boot_map(const struct log_facts *f, const struct boot_memmap *b)
{
	const struct linux_profile *profile = linux_profile_for_release(f->version);
	uint64_t image = (profile ? profile : linux_profile_default())->kernel_reserve_size;
	unsigned long long best = 0;

	for (uint32_t i = 0; i < b->nr; i++) {
		struct efi_md md;

		efi_memmap_desc(&b->map, i, &md);
		if (md.type == EFI_LOADER_CODE && md.phys_addr >= KERNEL_LOAD_ADDR && !(md.phys_addr & 0x1fffff) &&
		    md.num_pages >= image >> 12 && (!best || md.phys_addr < best))
			best = md.phys_addr;
	}
	return best;
}

/*
 * The boot's EFI memory map, when the log lists it (efi=debug) and the
 * kernel's place is known: that map shows the kernel as the stub's Loader
 * Data, not where the stub would put it.  @said gets what was taken, or why
 * not ("" when the log lists no map).  Return: whether @b holds the map.
 */
static bool take_boot_map(const char *log_text, struct log_facts *f, const struct efi_memmap *run,
			  struct boot_memmap *b, char *said, size_t size)
{
	char why[256];

	said[0] = '\0';
	switch (boot_memmap_from_log(log_text, run, b, why, sizeof(why))) {
	case BOOT_MEMMAP_NONE:
		return false;
	case BOOT_MEMMAP_UNUSABLE:
		snprintf(said, size, "note: the boot's EFI memory map is not taken from the log (%s); the prediction "
				     "keeps the run's", why);
		return false;
	case BOOT_MEMMAP_TAKEN:
		break;
	}
	if (!f->kernel && f->nokaslr && (f->kernel = kernel_from_boot_map(f, b)))
		f->kernel_from_boot_map = true;
	if (!f->kernel) {
		snprintf(said, size, "note: the boot's EFI memory map is not taken from the log: the kernel image's "
				     "place is unknown (no memblock=debug dump); the prediction keeps the run's");
		boot_memmap_free(b);
		return false;
	}
	snprintf(said, size, "taken from the log: the boot's EFI memory map (efi=debug's %u descriptors), with the "
			     "boot-services and loader memory the boot had", b->nr);
	return true;
}

/* With --live and no memblock=debug dump: /proc/iomem's "Kernel code" starts at the image. */
static void kernel_from_iomem(struct log_facts *f, const char *root)
{
	char path[4096], *text;
	size_t len;

	snprintf(path, sizeof(path), "%s/proc/iomem", root);
	if (access(path, F_OK) || !(text = read_file(path, &len, READ_MAX_TEXT_FILE)))
		return;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long a, b;

		/* Without root, /proc/iomem shows every address as 0. */
		if (strstr(line, " : Kernel code") && sscanf(line, " %llx-%llx", &a, &b) == 2 && a) {
			f->kernel = a & ~0x1fffffULL;
			f->kernel_end = b;
			f->kernel_from_iomem = true;
			break;
		}
	}
	free(text);
}

/* The boot logo the log kept, against where the run's firmware put it (the BGRT's image address). */
static void say_boot_logo(const struct machine *m, const struct log_facts *f)
{
	const struct acpi_table *bgrt = acpi_find_table(&m->acpi, "BGRT");
	unsigned long long own = bgrt ? acpi_u64(bgrt, 40) & ~0xfffULL : 0;

	if (own == f->bgrt_first)
		printf("compare: the boot logo kept at [mem %#010llx-%#010llx], where this run's firmware put it too\n",
		       f->bgrt_first, f->bgrt_last);
	else
		printf("compare: taken from the log: the boot logo kept at [mem %#010llx-%#010llx] (for this run the "
		       "firmware put it at %#llx: it places the image anew at each boot; its size is predicted)\n",
		       f->bgrt_first, f->bgrt_last, own);
}

/* How many lines of a and b agree in order (the longest common subsequence). */
static size_t common_lines(char **a, size_t na, char **b, size_t nb)
{
	size_t *row = calloc(nb + 1, sizeof(*row)), best;

	if (!row)
		return 0;
	for (size_t i = 0; i < na; i++) {
		size_t diag = 0;

		for (size_t j = 0; j < nb; j++) {
			size_t up = row[j + 1];

			row[j + 1] = !strcmp(a[i], b[j]) ? diag + 1 : up > row[j] ? up : row[j];
			diag = up;
		}
	}
	best = row[nb];
	free(row);
	return best;
}

/* The lines of a side's stage (STAGES: of every stage) that start with one of the prefixes, left out. */
static size_t drop_stage_lines(struct side *s, int only, const char *const *prefixes, size_t nr_prefixes)
{
	size_t dropped = 0;

	for (int st = 0; st < STAGES; st++) {
		size_t kept = 0;

		if (only != STAGES && st != only)
			continue;

		for (size_t i = 0; i < s->nr[st]; i++) {
			bool drop = false;

			for (size_t k = 0; k < nr_prefixes; k++)
				drop |= !strncmp(s->lines[st][i], prefixes[k], strlen(prefixes[k]));
			if (drop) {
				free(s->lines[st][i]);
				dropped++;
			} else {
				s->lines[st][kept++] = s->lines[st][i];
			}
		}
		s->nr[st] = kept;
	}
	return dropped;
}

/* The lines of a side that start with one of the prefixes, left out.  Return: how many. */
static size_t drop_lines(struct side *s, const char *const *prefixes, size_t nr_prefixes)
{
	return drop_stage_lines(s, STAGES, prefixes, nr_prefixes);
}

/* mp_register_ioapic()'s lines: what Linux numbers and skips depends on every IO APIC's registers. */
static const char *const ioapic_lines[] = { "IOAPIC[", "Bogus (zero) I/O APIC", "I/O APIC 0x", "address 0x",
					    "GSI range [" };
#define NR_IOAPIC_LINES (sizeof(ioapic_lines) / sizeof(ioapic_lines[0]))

/* The memory-type lines: the boot CPU's MTRRs and PAT decide them, the APs' the "mtrr:" ones. */
static const char *const memory_type_lines[] = { "MTRR ", " ", "TOM2: ", "Disabled", "x86/PAT: ", "CPU MTRRs all blank",
						 "WARNING: BIOS bug: CPU MTRRs", "WARNING: BIOS bug: VAR MTRR", "mtrr: ",
						 "smpboot: CPU0: " };
#define NR_MEMORY_TYPE_LINES (sizeof(memory_type_lines) / sizeof(memory_type_lines[0]))
static const char *const ap_mtrr_lines[] = { "mtrr: your CPUs", "mtrr: probably", "mtrr: corrected" };
#define NR_AP_MTRR_LINES (sizeof(ap_mtrr_lines) / sizeof(ap_mtrr_lines[0]))
/* The bring-up's lines: every CPU's topology leaves and node decide them. */
static const char *const bringup_lines[] = { "x86: Booting", "smpboot: x86: Booting", ".... node ", "sched: CPU #",
					     "smp: Brought up", "smpboot: Max logical" };
#define NR_BRINGUP_LINES (sizeof(bringup_lines) / sizeof(bringup_lines[0]))
/* The lines that show where memblock's requests landed and what it kept, around the boot-services memory. */
static const char *const memblock_kept_lines[] = { "software IO TLB: mapped ", "Memory: " };
#define NR_MEMBLOCK_KEPT_LINES (sizeof(memblock_kept_lines) / sizeof(memblock_kept_lines[0]))

static const char *const topology_count_lines[] = { "CPU topo: Max.", "CPU topo: Num." };
#define NR_TOPOLOGY_COUNT_LINES (sizeof(topology_count_lines) / sizeof(topology_count_lines[0]))

/* What each bit of the late stages' unpredicted mask leaves out: the line prefixes. */
static const struct {
	unsigned bit;
	const char *prefixes[3];
} unpredicted_kinds[] = {
	{ UNPREDICTED_PERCPU, { "setup_percpu: ", "percpu: ", "pcpu-alloc: " } },
	{ UNPREDICTED_SWIOTLB, { "software IO TLB: " } },
	{ UNPREDICTED_MEMORY_LINE, { "Memory: " } },
	{ UNPREDICTED_SWIOTLB_MAPPED, { "PCI-DMA: Using software bounce buffering", "software IO TLB: mapped " } },
	{ UNPREDICTED_SLUB, { "SLUB: " } },
	{ UNPREDICTED_HUGETLB, { "HugeTLB: " } },
	{ UNPREDICTED_DMA_POOLS, { "DMA: preallocated " } },
	{ UNPREDICTED_MEMORY_BLOCK, { "x86/mm: Memory block size: " } },
};

/* Leave out of both sides the lines the prediction names as not predicted.  Return: how many of Linux's. */
static size_t drop_unpredicted(struct side *linux_side, struct side *mp, unsigned unpredicted)
{
	size_t dropped = 0;
	char prefix[64];

	for (size_t k = 0; k < sizeof(unpredicted_kinds) / sizeof(unpredicted_kinds[0]); k++) {
		size_t n = 0;

		while (n < 3 && unpredicted_kinds[k].prefixes[n])
			n++;
		if (!(unpredicted & unpredicted_kinds[k].bit))
			continue;
		dropped += drop_lines(linux_side, unpredicted_kinds[k].prefixes, n);
		drop_lines(mp, unpredicted_kinds[k].prefixes, n);
	}
	/* whole stages: their lines have no prefix of their own */
	for (unsigned k = 0; k < 3; k++) {
		static const char *const any[] = { "" };
		static const struct { unsigned bits; enum stage stage; } whole[3] = {
			{ UNPREDICTED_SPARSE, ST_SPARSE },
			{ UNPREDICTED_KERNEL_MEMBLOCK, ST_KERNEL_MEMBLOCK },
			{ UNPREDICTED_MMCONFIG | UNPREDICTED_MMCONFIG_LATE, ST_MMCONFIG },
		};

		if (!(unpredicted & whole[k].bits))
			continue;
		dropped += drop_stage_lines(linux_side, whole[k].stage, any, 1);
		drop_stage_lines(mp, whole[k].stage, any, 1);
	}
	for (unsigned i = 0; i < NR_BOOT_HASHES; i++) {
		const char *const one[] = { prefix };

		if (!(unpredicted & (UNPREDICTED_HASH << i)))
			continue;
		snprintf(prefix, sizeof(prefix), "%s hash table entries: ", mm_init_hash_names[i]);
		dropped += drop_lines(linux_side, one, 1);
		drop_lines(mp, one, 1);
	}
	return dropped;
}

/* The APs Linux brings up whose MTRRs memprobe does not have as the firmware left them (--live: none). */
static unsigned aps_not_read(const struct machine *m)
{
	const struct cpu_records *cpus = &m->fw->cpus;
	unsigned n = 0;

	for (unsigned i = 1; i < m->bringup.nr; i++) {	/* the APs: the boot CPU is 0 */
		bool read = false;

		for (unsigned k = 0; k < cpus->nr && !read && cpus->source != CPUS_LINUX; k++)
			read = cpus->cpu[k].apic_id == m->bringup.apic_id[i] && cpus->cpu[k].state == CPU_READ;
		n += !read;
	}
	return n;
}

/* The IO APICs Linux registers whose registers memprobe did not see. */
static unsigned ioapics_not_read(const struct machine *m)
{
	unsigned n = 0;

	for (unsigned i = 0; i < m->io_apics.nr; i++)
		n += !m->io_apics.a[i].known;
	return n;
}

/* Return: whether both sides have the same lines in a stage. */
static bool same_stage(const struct side *a, const struct side *b, enum stage st)
{
	if (a->nr[st] != b->nr[st])
		return false;
	for (size_t i = 0; i < a->nr[st]; i++)
		if (strcmp(a->lines[st][i], b->lines[st][i]))
			return false;
	return true;
}

/* Stage by stage: identical, or where it first differs; skip: a stage not compared. */
static int report_stages(const struct side *linux_side, const struct side *mp, int skip, size_t *same,
			 size_t *total)
{
	int differ = 0;

	*same = *total = 0;
	for (int st = 0; st < ST_BOOT_MEMORY; st++) {
		size_t nl = linux_side->nr[st], nm = mp->nr[st], i = 0, common;

		if (st == skip) {
			printf("compare: %s: not compared: --live rebuilds the EFI map from /sys/firmware/memmap\n",
			       stage_names[st]);
			continue;
		}
		while (i < nl && i < nm && !strcmp(linux_side->lines[st][i], mp->lines[st][i]))
			i++;
		common = i == nl && i == nm ? nl : common_lines(linux_side->lines[st], nl, mp->lines[st], nm);
		*same += common;
		*total += nl > nm ? nl : nm;
		if (i == nl && i == nm) {
			printf("compare: %s: identical (%zu lines)\n", stage_names[st], nl);
			continue;
		}
		differ = 1;
		printf("compare: %s: differs: %zu of %zu Linux lines identical, memprobe has %zu; from line %zu:\n",
		       stage_names[st], common, nl, nm, i + 1);
		for (size_t k = i; k < i + 4 && (k < nl || k < nm); k++) {
			printf("  Linux:    %s\n", k < nl ? linux_side->lines[st][k] : "(no more lines)");
			printf("  memprobe: %s\n", k < nm ? mp->lines[st][k] : "(no more lines)");
		}
	}
	return differ;
}

/**
 * log_prediction_options() - the options that predict the boot a Linux log shows
 * @log_path: the log (a file, "-" for standard input)
 * @options: where the options go
 * @size: its size
 *
 * The facts memprobe compare takes from a log, for memprobe analyze --log;
 * what was taken is said on standard error.
 *
 * Return: true with the options, false (said why) when the log is unusable.
 */
/**
 * log_prediction() - what a prediction takes from a boot's log, for analyze --log
 * @log_path: the log
 * @run: the run's EFI memory map
 * @options: gets the options (boot_options())
 * @size: @options' size
 * @boot_map: gets the boot's map when the log lists it; free it with boot_memmap_free()
 *
 * Return: false when the log cannot give a prediction (named on stderr).
 */
bool log_prediction(const char *log_path, const struct efi_memmap *run, char *options, size_t size,
		    struct boot_memmap *boot_map)
{
	char said[512];
	struct log_facts facts;
	const struct linux_profile *profile;
	size_t len;
	char *log_text = read_log(log_path, &len);
	bool ok = false;

	if (!log_text)
		return false;
	if (replay_log_format(log_text)) {
		fprintf(stderr, "memprobe analyze: %s is %s, which memprobe does not read: take 'journalctl -k -b', "
				"'dmesg', or a serial console's capture\n", log_path, replay_log_format(log_text));
		goto out;
	}
	read_facts(&facts, log_text);
	if (!facts.version[0]) {
		fprintf(stderr, "memprobe analyze: %s has no 'Linux version' line: not the start of a Linux boot log\n",
			log_path);
		goto out;
	}
	profile = linux_profile_for_release(facts.version);
	if (!profile) {
		fprintf(stderr, "memprobe analyze: %s is a boot of Linux %.*s, which memprobe does not model (it "
				"models", log_path, (int)strcspn(facts.version, " "), facts.version);
		replay_print_kernels(stderr);
		fprintf(stderr, ")\n");
		goto out;
	}
	memset(boot_map, 0, sizeof(*boot_map));
	if (!boot_options(&facts, profile, take_boot_map(log_text, &facts, run, boot_map, said, sizeof(said)),
			  options, size)) {
		boot_memmap_free(boot_map);
		fprintf(stderr, "memprobe analyze: %s: the options taken from the log pass %zu bytes\n", log_path,
			size - 1);
		goto out;
	}
	fprintf(stderr, "analyze: taken from %s: Linux %s (kernel=%s)", log_path, profile->name, profile->name);
	fprintf(stderr, ", the command line's memory words '%s'", facts.words);
	if (facts.nokaslr)
		fprintf(stderr, ", nokaslr");
	else if (facts.kernel)
		fprintf(stderr, ", the kernel image at %#llx", facts.kernel);
	else
		fprintf(stderr, ", the kernel image's place unknown (KASLR, and no memblock=debug dump)");
	if (cea_pages_taken(&facts, profile))
		fprintf(stderr, ", the CPU entry areas' %u page-table pages", facts.cea_pages);
	if (facts.ramdisk_last)
		fprintf(stderr, ", the initrd at [mem %#010llx-%#010llx]", facts.ramdisk_first, facts.ramdisk_last);
	if (facts.nr_setup_data)
		fprintf(stderr, ", %u setup_data node%s", facts.nr_setup_data, facts.nr_setup_data == 1 ? "" : "s");
	if (facts.bgrt_last)
		fprintf(stderr, ", the boot logo at %#llx", facts.bgrt_first);
	if (facts.percpu_static)
		fprintf(stderr, ", the percpu section of %llu bytes", facts.percpu_static);
	fprintf(stderr, "\n");
	if (said[0])
		fprintf(stderr, "analyze: %s\n", said);
	ok = true;
out:
	free(log_text);
	return ok;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: memprobe compare RUN_DIR LINUX_LOG\n"
		   "       memprobe compare --live [--root DIR] LINUX_LOG\n\n"
		   "Compares memprobe's prediction (from a run folder, or from this machine as\n"
		   "'memprobe analyze --live' reads it) with a Linux boot log of the same machine\n"
		   "(dmesg with or without -r or -T, journalctl -k, kern.log, a serial console; timestamps\n"
		   "or not), stage by stage: e820, efi (the\n"
		   "firmware's own descriptors, with efi=debug), memblock (with memblock=debug), ACPI,\n"
		   "SRAT, NUMA, NODE_DATA, zones, CPU, late e820, percpu, zonelists, mm_init and\n"
		   "hash tables.  The prediction takes from the log what only the\n"
		   "boot decides: the command line's memory words, and where the kernel image was\n"
		   "placed (KASLR; memblock=debug's first dump shows it).  Prints each stage as\n"
		   "identical or its first differences, then 'compare: N of M comparable lines\n"
		   "identical'.  Exit status: 0 all identical, 1 some differ, 2 unusable input.\n");
}

int compare_command(int argc, char **argv)
{
	struct run_inputs *run = NULL;
	struct live_inputs *live = NULL;
	const struct fw_inputs *fw = NULL;
	struct fw_inputs linux_fw;
	struct boot_memmap boot_map = { NULL, { NULL, 0, 0, 0 }, 0 };
	struct side linux_side, mp;
	struct log_facts facts;
	struct text prediction = { NULL, 0, 0 };
	struct mp_log out = text_log(&prediction);
	const struct sinks sinks = { &out, NULL };
	struct machine *m;
	char options[4096], *log_text = NULL;
	const struct linux_profile *profile, *built;
	const char *log_path;
	size_t len, same, total;
	int status = 2, used;
	bool dropped_ioapic_lines = false, dropped_memory_types = false, dropped_ap_mtrrs = false;
	bool dropped_bringup = false, dropped_counts = false, took_boot_map;
	char said[512];
	unsigned unpredicted = 0;

	memset(&linux_side, 0, sizeof(linux_side));
	memset(&mp, 0, sizeof(mp));
	argc -= 2;
	argv += 2;
	if (argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		usage(stdout);
		return 0;
	}
	live = calloc(1, sizeof(*live));
	if (!live)
		return 2;
	used = live_args(argc, argv, live, "compare");
	if (used < 0)
		goto out;
	if (used > 0 && argc == used + 1) {
		fw = live_load(live) ? &live->fw : NULL;
	} else if (!used && argc == 2 && argv[0][0] != '-') {
		live_free(live);
		free(live);
		live = NULL;
		fw = run_inputs_load(argv[0], &run);
	} else {
		goto usage;
	}
	log_path = argv[argc - 1];
	if (!fw)
		goto out;
	log_text = read_log(log_path, &len);
	if (!log_text)
		goto out;
	if (replay_log_format(log_text)) {
		fprintf(stderr, "memprobe compare: %s is %s, which memprobe does not read: take 'journalctl -k -b' "
				"(its default output), 'dmesg', or a serial console's capture\n",
			log_path, replay_log_format(log_text));
		goto out;
	}
	read_facts(&facts, log_text);
	if (live && !facts.kernel && !facts.nokaslr)
		kernel_from_iomem(&facts, live->root);
	took_boot_map = take_boot_map(log_text, &facts, &fw->memmap, &boot_map, said, sizeof(said));
	if (!pick_all(&linux_side, log_text))
		goto out;
	if (!linux_side.nr[ST_E820]) {
		fprintf(stderr, "memprobe compare: %s has no BIOS-e820 lines: not the start of a Linux x86 boot log "
				"(the kernel's ring buffer keeps only its newest lines: take the boot from a serial "
				"console or 'journalctl -k -b')\n", log_path);
		goto out;
	}
	/* The prediction with Linux's command line, not the run's own options. */
	profile = linux_profile_for_release(facts.version);
	if (facts.version[0] && !profile) {
		fprintf(stderr, "memprobe compare: %s is a boot of Linux %.*s, which memprobe does not model (it "
				"models", log_path, (int)strcspn(facts.version, " "), facts.version);
		replay_print_kernels(stderr);
		fprintf(stderr, "); not compared\n");
		goto out;
	}
	if (!boot_options(&facts, profile, took_boot_map, options, sizeof(options))) {
		fprintf(stderr, "compare: %s: the options taken from the log pass %zu bytes; not compared\n",
			log_path, sizeof(options) - 1);
		goto out;
	}
	/* The machine's firmware, with the options Linux booted with and no others. */
	linux_fw = *fw;
	linux_fw.nr_option_files = 0;
	linux_fw.cmdline = options;
	if (boot_map.bytes)
		linux_fw.memmap = boot_map.map;
	printf("compare: Linux %s\n", facts.version[0] ? facts.version : "(no 'Linux version' line)");
	if (profile)
		printf("compare: predicting Linux %s (kernel=%s), from the log's 'Linux version' line\n",
		       profile->name, profile->name);
	else
		printf("compare: the log has no 'Linux version' line; predicting Linux %s\n",
		       linux_profile_default()->name);
	printf("compare: taken from the log: the command line's memory words '%s'", facts.words);
	if (facts.kernel_from_boot_map)
		printf("; nokaslr: the kernel image at %#llx, the EFI stub's Loader Code in the boot's EFI map",
		       facts.kernel);
	else if (facts.nokaslr)
		printf("; nokaslr: the kernel image where the EFI stub puts it without KASLR");
	else if (facts.kernel)
		printf("; the kernel image at %#llx (KASLR; %s)", facts.kernel,
		       facts.kernel_from_iomem ? "/proc/iomem's Kernel code" : "memblock=debug's first reserved regions");
	else
		printf("; the kernel image's place is unknown (KASLR, and no memblock=debug dump): lines that "
		       "depend on it may differ");
	if (cea_pages_taken(&facts, profile))
		printf("; the CPU entry areas' %u page-table pages (placed at random under KASLR)", facts.cea_pages);
	printf("\n");
	if (live) {
		/* Linux does not show these facts in /sys. */
		static const char *const unknowable[] = {
			"efi: EFI v", "ACPI: Early table checksum verification disabled", "ACPI: RSDP ", "ACPI: XSDT ",
			"ACPI: RSDT ",
		};

		printf("compare: note: --live: %zu of Linux's lines are not comparable (the EFI revision, the RSDP "
		       "and the root table, which Linux does not show in /sys)\n",
		       drop_lines(&linux_side, unknowable, sizeof(unknowable) / sizeof(unknowable[0])));
	}
	if (!fw->efi.nr_config) {
		static const char *const config[] = { "efi: ACPI", "efi: SMBIOS", "efi: MEMATTR", "efi: ESRT" };

		if (drop_lines(&linux_side, config, sizeof(config) / sizeof(config[0])))
			printf("compare: note: the run does not hold the EFI configuration tables (an older "
			       "memprobe's run folder, or --live), so Linux's 'efi: ACPI=...' line is not comparable\n");
	}
	built = profile ? profile : linux_profile_default();
	if (facts.sections[0]) {
		const struct kernel_sections *k = &built->sections;
		char profile_sections[96];

		snprintf(profile_sections, sizeof(profile_sections), "%llu,%llu,%llu,%llu,%llu",
			 (unsigned long long)k->code_kib, (unsigned long long)k->rwdata_kib,
			 (unsigned long long)k->rodata_kib, (unsigned long long)k->init_kib,
			 (unsigned long long)k->bss_kib);
		if (strcmp(facts.sections, profile_sections))
			printf("compare: taken from the log: the kernel build's sections %s KiB (Memory:; the profile's "
			       "build has %s)\n", facts.sections, profile_sections);
	}
	if (facts.percpu_static && facts.percpu_static != built->percpu_static_size)
		printf("compare: taken from the log: the kernel build's percpu section of %llu bytes (pcpu-alloc: s...; "
		       "the profile's build has %llu)\n",
		       facts.percpu_static, (unsigned long long)built->percpu_static_size);
	if (facts.cmdline_bytes)
		printf("compare: taken from the log: the command line's length, %u bytes with its NUL (start_kernel's "
		       "two copies of it)\n", facts.cmdline_bytes);
	if (facts.efi_memmap)
		printf("compare: taken from the log: the EFI stub's copy of the memory map at %#llx "
		       "(efi_memblock_x86_reserve_range)\n", facts.efi_memmap);
	if (facts.unknown_params[0])
		printf("compare: taken from the log: the parameters Linux passes to init, '%s' (start_kernel copies them "
		       "in %zu bytes)\n", facts.unknown_params, strlen(facts.unknown_params) + 2);
	if (facts.ramdisk_last)
		printf("compare: taken from the log: the initrd at [mem %#010llx-%#010llx] (RAMDISK:)\n",
		       facts.ramdisk_first, facts.ramdisk_last);
	if (said[0])
		printf("compare: %s\n", said);
	if (facts.nr_setup_data)
		printf("compare: taken from the log: where the loader put the %u setup_data node%s (the EFI stub's "
		       "copies of the PCI option ROMs; their sizes are predicted)\n",
		       facts.nr_setup_data, facts.nr_setup_data == 1 ? "" : "s");
	m = predict(&linux_fw, NULL, &sinks, PREDICT_ALL);
	if (m && facts.bgrt_last)
		say_boot_logo(m, &facts);
	if (m && ioapics_not_read(m)) {
		/* Which IO APIC Linux numbers n, and which it skips, depends on the ones not read: none is compared. */
		printf("compare: note: the run does not hold the registers of %u IO APIC%s (an older memprobe's "
		       "run folder, --live, or one memprobe would not touch), so %zu of Linux's IOAPIC lines are not "
		       "comparable\n",
		       ioapics_not_read(m), ioapics_not_read(m) == 1 ? "" : "s",
		       drop_lines(&linux_side, ioapic_lines, NR_IOAPIC_LINES));
		dropped_ioapic_lines = true;
	}
	if (m && (m->fw->cpus.source == CPUS_NOT_READ || (m->mtrr.have_mtrr && !m->mtrr.known) ||
		  (m->mtrr.have_pat && !m->mtrr.pat_known) || m->mtrr.unpredicted)) {
		printf("compare: note: the run does not hold the boot CPU's MTRRs and PAT (an older memprobe's run "
		       "folder, or --live), or memprobe does not model what Linux does with them here "
		       "(enable_mtrr_cleanup), so %zu of Linux's memory-type lines are not comparable\n",
		       drop_stage_lines(&linux_side, ST_CPU, memory_type_lines, NR_MEMORY_TYPE_LINES));
		dropped_memory_types = true;
	} else if (m && m->bringup.known && aps_not_read(m)) {
		printf("compare: note: %u of the APs Linux brings up were not read as the firmware left them (or "
		       "--live: Linux has rewritten their MTRRs), so %zu of Linux's 'mtrr:' lines about the APs are "
		       "not comparable\n",
		       aps_not_read(m), drop_lines(&linux_side, ap_mtrr_lines, NR_AP_MTRR_LINES));
		dropped_ap_mtrrs = true;
	}
	if (m && !m->bringup.lines_printed) {
		printf("compare: note: memprobe did not predict the bring-up (the run does not hold every CPU's "
		       "CPUID, or a CPU it does not model), so %zu of Linux's lines about it are not comparable\n",
		       drop_lines(&linux_side, bringup_lines, NR_BRINGUP_LINES));
		dropped_bringup = true;
	}
	if (m && profile && profile->cpu_topology_612 && !m->cpus.counts_printed) {
		printf("compare: note: memprobe did not predict 6.12's CPU topology counts, so %zu of Linux's "
		       "'CPU topo: Max./Num.' lines are not comparable\n",
		       drop_lines(&linux_side, topology_count_lines, NR_TOPOLOGY_COUNT_LINES));
		dropped_counts = true;
	}
	if (m)
		unpredicted = m->unpredicted;
	predict_free(m);
	if (!m || !prediction.s || !pick_all(&mp, prediction.s))
		goto out;
	if (unpredicted)
		printf("compare: note: memprobe named some of the late stages' lines as not predicted (see the "
		       "report), so %zu of Linux's lines are not comparable\n",
		       drop_unpredicted(&linux_side, &mp, unpredicted));
	if (!same_stage(&linux_side, &mp, ST_BOOT_MEMORY)) {
		static const char *const answers[] = { "answer: " }, *const boot_services[] = { "boot services: " };
		size_t reserves = drop_stage_lines(&linux_side, ST_MEMBLOCK, boot_services, 1);

		size_t sparse = drop_stage_lines(&linux_side, ST_SPARSE, answers, 1);

		size_t late = drop_stage_lines(&linux_side, ST_LATE_MEMBLOCK, answers, 1);
		size_t kernel = drop_stage_lines(&linux_side, ST_KERNEL_MEMBLOCK, answers, 1);

		printf("compare: note: the boot's boot-services memory is not the run's (%s), so its %zu "
		       "efi_reserve_boot_services lines and the %zu addresses Linux gave sparse_init and the %zu it "
		       "gave the later memblock requests, which land around it, are not comparable, nor are the %zu "
		       "lines of what memblock kept (the software IO TLB's place, Memory:)\n",
		       linux_side.nr[ST_BOOT_MEMORY] ? "efi=debug's Boot Code and Boot Data descriptors differ"
						     : "the log has no efi=debug lines to show it",
		       reserves, sparse, late + kernel,
		       drop_lines(&linux_side, memblock_kept_lines, NR_MEMBLOCK_KEPT_LINES));
		drop_lines(&mp, memblock_kept_lines, NR_MEMBLOCK_KEPT_LINES);
		drop_stage_lines(&mp, ST_SPARSE, answers, 1);
		drop_stage_lines(&mp, ST_LATE_MEMBLOCK, answers, 1);
		drop_stage_lines(&mp, ST_KERNEL_MEMBLOCK, answers, 1);
		drop_stage_lines(&mp, ST_MEMBLOCK, boot_services, 1);
	}
	mask_available_memory(&linux_side, &mp);
	if (take_memory_or(&linux_side, &mp))
		printf("compare: note: Linux printed the \"Memory:\" line memprobe gives as the other one (memory "
		       "KASLR started vmalloc space on a top-level boundary: a page-table page less)\n");
	if (dropped_bringup)
		drop_lines(&mp, bringup_lines, NR_BRINGUP_LINES);
	if (dropped_counts)
		drop_lines(&mp, topology_count_lines, NR_TOPOLOGY_COUNT_LINES);
	if (dropped_ioapic_lines)
		drop_lines(&mp, ioapic_lines, NR_IOAPIC_LINES);
	if (dropped_memory_types)
		drop_stage_lines(&mp, ST_CPU, memory_type_lines, NR_MEMORY_TYPE_LINES);
	if (dropped_ap_mtrrs)
		drop_lines(&mp, ap_mtrr_lines, NR_AP_MTRR_LINES);
	status = report_stages(&linux_side, &mp, live ? ST_EFI : STAGES, &same, &total);
	printf("compare: %zu of %zu comparable lines identical\n", same, total);
	goto out;
usage:
	fprintf(stderr, "memprobe compare: a run folder (or --live [--root DIR]) and a Linux log are needed\n");
	usage(stderr);
out:
	free_side(&linux_side);
	free_side(&mp);
	text_free(&prediction);
	free(log_text);
	boot_memmap_free(&boot_map);
	run_inputs_free(run);
	if (live) {
		live_free(live);
		free(live);
	}
	return status;
}
