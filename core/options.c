// SPDX-License-Identifier: MIT
/*
 * Option parsing shared by every front end, from one table.  Options
 * arrive as text from several sources (config files, the UEFI shell's
 * arguments, the host tool's arguments); words are separated by white
 * space and '#' starts a comment that runs to the end of the line.
 */
#include "memprobe/options.h"

#include "memprobe/lib/cmdline.h"
#include "memprobe/lib/util.h"
#include "memprobe/version.h"

/* No kernel memprobe models has a pg_data_t near this; larger is a typo. */
#define MAX_PGDAT_SIZE (16u << 20)

/* Whose an option is, and when Linux reads it. */
enum option_origin {
	OPTION_MEMPROBE,	/* memprobe's own */
	OPTION_EARLY,		/* Linux's early_param(): parse_early_param(), in command-line order */
	OPTION_SETUP,		/* Linux's __setup(): parse_args(), after the early parameters */
	OPTION_STUB,		/* read by Linux's EFI stub and decompressor, before the kernel runs */
};

enum option_kind { OPTION_FLAG, OPTION_SIZE, OPTION_NUMBER, OPTION_LIST, OPTION_ENUM, OPTION_RANGE };

/* One way to write an option, for --help, memprobe config and docs/OPTIONS.md. */
struct option_doc {
	const char *usage;	/* "mem=SIZE" */
	const char *text;	/* what it does; '\n' continues the text */
	const char *dflt;	/* NULL: an action, not a setting (not in memprobe config) */
};

/*
 * One option.  A word ending in '=' takes a value (the longest such word
 * that starts an option matches it); any other word matches itself.
 */
struct option_row {
	const char *word;
	const char *key;	/* what a stronger source overrides it by; NULL: the word up to '=' */
	enum option_origin origin;
	enum option_kind kind;
	bool planned;		/* Linux's, not modelled yet: a warning, and ignored */
	/* The value after the word into o; false after saying why it is refused. NULL: the stage parses it. */
	bool (*parse)(struct options *o, const struct option_row *row, const char *value, struct mp_log *log);
	size_t field;		/* the bool a flag sets or clears (offsetof struct options) */
	struct option_doc doc[2];
};

static bool set_flag(struct options *o, const struct option_row *row, const char *value, struct mp_log *log)
{
	(void)value;
	(void)log;
	*(bool *)((char *)o + row->field) = true;
	return true;
}

static bool clear_flag(struct options *o, const struct option_row *row, const char *value, struct mp_log *log)
{
	(void)value;
	(void)log;
	*(bool *)((char *)o + row->field) = false;
	return true;
}

/* efi=: Linux's parse_option_str() items; those memprobe does not model are named. */
static bool parse_efi(struct options *o, const struct option_row *row, const char *value, struct mp_log *log)
{
	char item[OPTION_WORD_MAX];

	(void)row;
	while (*value) {
		unsigned n = 0;

		while (*value && *value != ',') {
			if (n + 1 < sizeof(item))
				item[n++] = *value;
			value++;
		}
		item[n] = '\0';
		if (*value == ',')
			value++;
		if (!mp_strcmp(item, "debug"))
			o->efi_debug = true;
		else if (!mp_strcmp(item, "nosoftreserve"))
			o->soft_reserve = false;
		else if (n)
			mp_printk(log, "memprobe: warning: efi=%s is not modelled by memprobe; ignored\n",
				  item);
	}
	return true;
}

/* fail=ITEM[,ITEM...]: fs, variables, gop. */
static bool parse_fail(struct options *o, const struct option_row *row, const char *value, struct mp_log *log)
{
	static const struct {
		const char *name;
		unsigned bit;
	} items[] = { { "fs", FAIL_FS }, { "variables", FAIL_VARIABLES }, { "gop", FAIL_GOP } };
	char item[OPTION_WORD_MAX];

	(void)row;
	while (*value) {
		unsigned n = 0, i = 0;

		while (*value && *value != ',') {
			if (n + 1 < sizeof(item))
				item[n++] = *value;
			value++;
		}
		item[n] = '\0';
		value += *value == ',';
		while (i < ARRAY_SIZE(items) && mp_strcmp(item, items[i].name))
			i++;
		if (i == ARRAY_SIZE(items)) {
			mp_printk(log, "memprobe: error: fail= takes fs, variables and gop, not '%s'; ignored\n", item);
			return false;
		}
		o->fail |= items[i].bit;
	}
	return true;
}

/* memblock=: Linux's early_memblock(): any value containing "debug" turns it on. */
static bool parse_memblock(struct options *o, const struct option_row *row, const char *value,
			   struct mp_log *log)
{
	(void)row;
	(void)log;
	for (const char *p = value; *p; p++)
		if (mp_starts_with(p, "debug"))
			o->memblock_debug = true;
	return true;
}

/* Whether c occurs in s. */
static bool has_char(const char *s, char c)
{
	for (; *s; s++)
		if (*s == c)
			return true;
	return false;
}

/*
 * numa=fake=: N, <size>M/G or NU (a ":distances" list is not modelled).
 * The form is numa_emulation()'s: a 'U' anywhere, else an 'M' or 'G'
 * anywhere, else a count of nodes.
 */
static bool parse_numa_fake(struct options *o, const struct option_row *row, const char *value,
			    struct mp_log *log)
{
	const char *end;

	(void)row;
	memparse(value, &end);
	if (end == value || (*end && *end != 'U' && *end != 'u') || mp_strlen(value) >= 32) {
		mp_printk(log, "memprobe: error: numa=fake= takes N, <size>M/G or NU, not '%s'; ignored\n",
			  value);
		return false;
	}
	if (has_char(value, 'U'))
		o->numa_fake = (struct numa_fake){ NUMA_FAKE_UNIFORM, simple_strtoull(value, NULL) };
	else if (has_char(value, 'M') || has_char(value, 'G'))
		o->numa_fake = (struct numa_fake){ NUMA_FAKE_SIZE, memparse(value, NULL) };
	else
		o->numa_fake = (struct numa_fake){ NUMA_FAKE_NODES, simple_strtoull(value, NULL) };
	return true;
}

static bool parse_kernel(struct options *o, const struct option_row *row, const char *value,
			 struct mp_log *log)
{
	const struct linux_profile *p = linux_profile_named(value, mp_strlen(value));

	(void)row;
	if (p) {
		o->kernel = p;
		return true;
	}
	mp_printk(log, "memprobe: error: kernel= takes");
	for (unsigned i = 0; (p = linux_profile_at(i)); i++)
		mp_printk(log, "%s %s", i ? "," : "", p->name);
	mp_printk(log, ", not '%s'; ignored\n", value);
	return false;
}

/* x86-64's widest physical address: 52 bits. */
#define PHYS_ADDR_LIMIT (1ULL << 52)

static bool parse_node_data_size(struct options *o, const struct option_row *row, const char *value,
				 struct mp_log *log)
{
	uint64_t size;

	(void)row;
	if (!memparse_whole(value, &size) || !size || size > MAX_PGDAT_SIZE) {
		mp_printk(log, "memprobe: error: node_data_size= needs a size from 1 to %u bytes, not '%s'; "
			       "ignored\n",
			  MAX_PGDAT_SIZE, value);
		return false;
	}
	o->pgdat_size = size;
	return true;
}

/* A percpu section larger than this leaves no kernel build plausible. */
#define MAX_PERCPU_STATIC_SIZE (64ULL << 20)

static bool parse_percpu_static_size(struct options *o, const struct option_row *row, const char *value,
				     struct mp_log *log)
{
	uint64_t size;

	(void)row;
	if (!memparse_whole(value, &size) || !size || size > MAX_PERCPU_STATIC_SIZE) {
		mp_printk(log, "memprobe: error: percpu_static_size= needs a size from 1 byte to 64 MiB, not '%s'; "
			       "ignored\n",
			  value);
		return false;
	}
	o->percpu_static_size = size;
	return true;
}

static bool parse_kernel_reserve_size(struct options *o, const struct option_row *row, const char *value,
				      struct mp_log *log)
{
	uint64_t size;

	(void)row;
	if (!memparse_whole(value, &size) || size < PAGE_SIZE || size > (1ULL << 30)) {
		mp_printk(log, "memprobe: error: kernel_reserve_size= needs a size from 4 KiB to 1 GiB, not '%s'; "
			       "ignored\n",
			  value);
		return false;
	}
	o->kernel_reserve_size = size;
	return true;
}

/* "Memory:"'s five section sizes of another build, in KiB: CODE,RWDATA,RODATA,INIT,BSS */
static bool parse_kernel_sections(struct options *o, const struct option_row *row, const char *value,
				  struct mp_log *log)
{
	uint64_t kib[5];
	const char *p = value, *end;

	(void)row;
	for (unsigned i = 0; i < 5; i++) {
		kib[i] = simple_strtoull(p, &end);
		if (end == p || kib[i] > (1ULL << 30) || *end != (i < 4 ? ',' : '\0')) {
			mp_printk(log, "memprobe: error: kernel_sections= takes five sizes in KiB, CODE,RWDATA,RODATA,"
				       "INIT,BSS (as \"Memory:\" gives them), not '%s'; ignored\n",
				  value);
			return false;
		}
		p = end + 1;
	}
	o->kernel_sections.code_kib = kib[0];
	o->kernel_sections.rwdata_kib = kib[1];
	o->kernel_sections.rodata_kib = kib[2];
	o->kernel_sections.init_kib = kib[3];
	o->kernel_sections.bss_kib = kib[4];
	return true;
}

/* x86's COMMAND_LINE_SIZE: the longest command line and its NUL */
#define COMMAND_LINE_SIZE 2048

static bool parse_cmdline_bytes(struct options *o, const struct option_row *row, const char *value,
				struct mp_log *log)
{
	const char *end;
	uint64_t n = simple_strtoull(value, &end);

	(void)row;
	if (end == value || *end || !n || n > COMMAND_LINE_SIZE) {
		mp_printk(log, "memprobe: error: cmdline_bytes= takes a length from 1 to %u, not '%s'; ignored\n",
			  COMMAND_LINE_SIZE, value);
		return false;
	}
	o->cmdline_bytes = n;
	return true;
}

/* print_unknown_bootoptions()'s copy: a space before each parameter and a NUL, so none or at least 3 bytes */
static bool parse_unknown_params_bytes(struct options *o, const struct option_row *row, const char *value,
				       struct mp_log *log)
{
	const char *end;
	uint64_t n = simple_strtoull(value, &end);

	(void)row;
	if (end == value || *end || (n && n < 3) || n > COMMAND_LINE_SIZE) {
		mp_printk(log, "memprobe: error: unknown_params_bytes= takes 0 (none) or a length from 3 to %u, not "
			       "'%s'; ignored\n",
			  COMMAND_LINE_SIZE, value);
		return false;
	}
	o->unknown_params_bytes = n;
	return true;
}

/* The page tables of the CPU entry areas: a PUD page at least; 65536 is beyond any NR_CPUS's count. */
static bool parse_cea_pages(struct options *o, const struct option_row *row, const char *value, struct mp_log *log)
{
	const char *end;
	uint64_t n = simple_strtoull(value, &end);

	(void)row;
	if (end == value || *end || !n || n > 65536) {
		mp_printk(log, "memprobe: error: cea_pages= takes a count of pages from 1 to 65536, not '%s'; "
			       "ignored\n",
			  value);
		return false;
	}
	o->cea_pages = (unsigned)n;
	return true;
}

static bool parse_kernel_addr(struct options *o, const struct option_row *row, const char *value,
			      struct mp_log *log)
{
	uint64_t addr;

	(void)row;
	if (!memparse_whole(value, &addr) || addr % (2ULL << 20) || addr < KERNEL_LOAD_ADDR ||
	    addr >= PHYS_ADDR_LIMIT) {
		mp_printk(log, "memprobe: error: kernel_addr= needs a 2 MiB-aligned address from 16 MiB (where the "
			       "EFI stub puts the kernel at the lowest) below 4 PiB, not '%s'; ignored\n",
			  value);
		return false;
	}
	o->kernel_addr = addr;
	return true;
}

static bool parse_ramdisk(struct options *o, const struct option_row *row, const char *value,
			  struct mp_log *log)
{
	char first_text[32];
	const char *dash = value;
	uint64_t first, last;

	(void)row;
	while (*dash && *dash != '-')
		dash++;
	if ((size_t)(dash - value) < sizeof(first_text)) {
		mp_memcpy(first_text, value, (size_t)(dash - value));
		first_text[dash - value] = '\0';
	}
	if (!*dash || (size_t)(dash - value) >= sizeof(first_text) || !memparse_whole(first_text, &first) ||
	    !memparse_whole(dash + 1, &last) || last < first || !first || last >= PHYS_ADDR_LIMIT) {
		mp_printk(log, "memprobe: error: ramdisk= takes FIRST-LAST, the initrd's bytes as Linux's "
			       "'RAMDISK: [mem FIRST-LAST]' line shows them (not at address 0, which is no "
			       "initrd to Linux, and below 4 PiB), not '%s'; ignored\n",
			  value);
		return false;
	}
	o->ramdisk_first = first;
	o->ramdisk_last = last;
	return true;
}

/* setup_data=ADDR[,ADDR...]: where the loader put the EFI stub's setup_data nodes, in their order. */
static bool parse_setup_data(struct options *o, const struct option_row *row, const char *value,
			     struct mp_log *log)
{
	unsigned n = 0;
	uint64_t addr[OPTIONS_MAX_SETUP_DATA];
	const char *p = value, *end;

	(void)row;
	for (;;) {
		if (n == OPTIONS_MAX_SETUP_DATA || !(addr[n] = memparse(p, &end)) || end == p ||
		    (*end && *end != ',')) {
			mp_printk(log, "memprobe: error: setup_data= takes up to %d addresses, apart by commas "
				       "(the nodes of Linux's 'e820: update ... usable ==> usable' lines), not '%s'; "
				       "ignored\n",
				  OPTIONS_MAX_SETUP_DATA, value);
			return false;
		}
		n++;
		if (!*end)
			break;
		p = end + 1;
	}
	mp_memcpy(o->setup_data_addr, addr, n * sizeof(addr[0]));
	o->nr_setup_data_addr = n;
	return true;
}

/* bgrt=ADDR: the page where Linux's boot found the boot logo. */
static bool parse_bgrt(struct options *o, const struct option_row *row, const char *value, struct mp_log *log)
{
	const char *end;
	uint64_t page = memparse(value, &end);

	(void)row;
	if (*end || !page || page % PAGE_SIZE) {
		mp_printk(log, "memprobe: error: bgrt= takes the page where Linux kept the boot logo (the FIRST of "
			       "its 'e820: update [mem FIRST-LAST] usable ==> reserved' line), not '%s'; ignored\n",
			  value);
		return false;
	}
	o->bgrt_page = page;
	return true;
}

/* memattr=ADDR: where Linux's boot found the memory attributes table. */
static bool parse_memattr(struct options *o, const struct option_row *row, const char *value, struct mp_log *log)
{
	const char *end;
	uint64_t addr = memparse(value, &end);

	(void)row;
	if (*end || !addr) {
		mp_printk(log, "memprobe: error: memattr= takes the address where Linux found the EFI memory "
			       "attributes table (its 'efi: ... MEMATTR=ADDR' line), not '%s'; ignored\n", value);
		return false;
	}
	o->memattr_addr = addr;
	return true;
}

static bool parse_efi_memmap_at(struct options *o, const struct option_row *row, const char *value,
				struct mp_log *log)
{
	const char *end;
	uint64_t addr = memparse(value, &end);

	(void)row;
	if (*end || !addr || addr >= PHYS_ADDR_LIMIT) {
		mp_printk(log, "memprobe: error: efi_memmap_at= takes the address of the EFI stub's copy of the "
			       "memory map (efi_memblock_x86_reserve_range's memblock_reserve), not '%s'; ignored\n",
			  value);
		return false;
	}
	o->efi_memmap_at = addr;
	return true;
}

static bool parse_ebs_stale_keys(struct options *o, const struct option_row *row, const char *value,
				 struct mp_log *log)
{
	const char *end;
	uint64_t n = simple_strtoull(value, &end);

	(void)row;
	if (end == value || *end || n > 2) {
		mp_printk(log, "memprobe: error: ebs_stale_keys= takes 0, 1 or 2, not '%s'; ignored\n", value);
		return false;
	}
	o->ebs_stale_keys = (unsigned)n;
	return true;
}

/* mtrr=: 6.12 takes "debug" alone; Linux refuses any other value as it parses it (parse_early_param). */
static bool parse_mtrr(struct options *o, const struct option_row *row, const char *value, struct mp_log *log)
{
	(void)row;
	(void)log;
	o->mtrr_debug = !mp_strcmp(value, "debug");
	return true;
}

static bool parse_ap_hold(struct options *o, const struct option_row *row, const char *value,
			  struct mp_log *log)
{
	const char *end;
	uint64_t n = simple_strtoull(value, &end);

	(void)row;
	if (end == value || *end || n == 0 || n > UINT32_MAX) {
		mp_printk(log, "memprobe: error: ap_hold= takes an AP's processor number (1 or more), not '%s'; "
			       "ignored\n",
			  value);
		return false;
	}
	o->ap_hold = (unsigned)n;
	return true;
}

#define FLAG(name) set_flag, __builtin_offsetof(struct options, name)

/* Every option, in the order --help and memprobe config show them. */
static const struct option_row option_table[] = {
	{ "efi=", NULL, OPTION_EARLY, OPTION_LIST, false, parse_efi, 0,
	  { { "efi=debug", "print the EFI memory map as Linux's efi=debug does", "off" },
	    { "efi=nosoftreserve", "treat EFI_MEMORY_SP memory as ordinary RAM, as Linux does", "off" } } },
	{ "mem=", NULL, OPTION_EARLY, OPTION_SIZE, false, NULL, 0,
	  { { "mem=SIZE", "limit usable RAM to SIZE (K, M, G, T suffixes), as Linux does", "all RAM" } } },
	{ "memblock=", NULL, OPTION_EARLY, OPTION_LIST, false, parse_memblock, 0,
	  { { "memblock=debug", "print every memblock operation and the MEMBLOCK configuration", "off" } } },
	{ "numa=off", NULL, OPTION_EARLY, OPTION_FLAG, false, FLAG(numa_off),
	  { { "numa=off", "no NUMA: one faked node, as Linux does", "NUMA on" } } },
	{ "numa=noacpi", NULL, OPTION_EARLY, OPTION_FLAG, false, FLAG(numa_noacpi),
	  { { "numa=noacpi", "ignore the SRAT for NUMA, as Linux does", "the SRAT is used" } } },
	{ "numa=fake=", NULL, OPTION_EARLY, OPTION_ENUM, false, parse_numa_fake, 0,
	  { { "numa=fake=N", "split memory into N emulated nodes (also <size>M/G, NU), as Linux", "none" } } },
	{ "swiotlb=", NULL, OPTION_EARLY, OPTION_LIST, false, NULL, 0,
	  { { "swiotlb=[SLABS][,AREAS][,force|noforce]", "the software IO TLB: its 2 KiB slabs, its areas, bounce\n"
							  "always (force) or never (noforce), as Linux",
	      "64 MiB, an area per possible CPU, only with memory above 4 GiB" } } },
	{ "coherent_pool=", NULL, OPTION_EARLY, OPTION_SIZE, false, NULL, 0,
	  { { "coherent_pool=SIZE", "each atomic DMA pool's size, as Linux (a power-of-two block\n"
				    "of at most 4 MiB)", "128 KiB per GiB of memory" } } },
	{ "kernel_addr=", NULL, OPTION_MEMPROBE, OPTION_SIZE, false, parse_kernel_addr, 0,
	  { { "kernel_addr=ADDR", "where Linux's kernel image is assumed; it decides where Linux\n"
				  "takes its first page-table pages",
	      "where the EFI stub puts it without KASLR (16M or the next free 2M)" } } },
	{ "ramdisk=", NULL, OPTION_MEMPROBE, OPTION_RANGE, false, parse_ramdisk, 0,
	  { { "ramdisk=FIRST-LAST", "an initrd at these bytes (Linux's 'RAMDISK: [mem FIRST-LAST]',\n"
				    "or exactly its 'Move RAMDISK from' line), reserved as\n"
				    "early_reserve_initrd does and moved as reserve_initrd moves\n"
				    "one the direct map does not cover", "none" } } },
	{ "setup_data=", NULL, OPTION_MEMPROBE, OPTION_LIST, false, parse_setup_data, 0,
	  { { "setup_data=ADDR,...", "where the loader put the setup_data nodes Linux's EFI stub\n"
				     "makes (the PCI option ROMs' copies), in their order", "unknown" } } },
	{ "bgrt=", NULL, OPTION_MEMPROBE, OPTION_SIZE, false, parse_bgrt, 0,
	  { { "bgrt=ADDR", "the page where Linux's boot found the boot logo (the\n"
			   "firmware may place the image elsewhere on each boot)",
	      "where this boot's firmware put it" } } },
	{ "efi_memmap_at=", NULL, OPTION_MEMPROBE, OPTION_SIZE, false, parse_efi_memmap_at, 0,
	  { { "efi_memmap_at=ADDR", "where Linux's EFI stub put its copy of the memory map,\n"
				    "which memblock reserves (memblock=debug shows it)",
	      "not known: not reserved" } } },
	{ "memattr=", NULL, OPTION_MEMPROBE, OPTION_SIZE, false, parse_memattr, 0,
	  { { "memattr=ADDR", "where Linux's boot found the EFI memory attributes table\n"
			      "('efi: ... MEMATTR=ADDR'; the firmware installs it anew\n"
			      "at each boot, the same size)",
	      "where this boot's firmware put it" } } },
	{ "nokaslr", NULL, OPTION_STUB, OPTION_FLAG, false, FLAG(nokaslr),
	  { { "nokaslr", "Linux booted with nokaslr: no memory KASLR page-table page", "KASLR on" } } },
	{ "no5lvl", NULL, OPTION_STUB, OPTION_FLAG, false, FLAG(no5lvl),
	  { { "no5lvl", "4-level paging on a CPU with LA57, as Linux does", "5 levels when the CPU has LA57" } } },
	{ "nogbpages", "gbpages", OPTION_EARLY, OPTION_FLAG, false, FLAG(nogbpages),
	  { { "nogbpages", "no 1 GiB pages in the direct map, as Linux (gbpages undoes it)",
	      "1 GiB pages when the CPU has them" } } },
	/* early_param_on_off(): the last of the two counts */
	{ "gbpages", "gbpages", OPTION_EARLY, OPTION_FLAG, false, clear_flag, __builtin_offsetof(struct options, nogbpages),
	  { { NULL, NULL, NULL } } },
	{ "pgtable_debug", NULL, OPTION_MEMPROBE, OPTION_FLAG, false, FLAG(pgtable_debug),
	  { { "pgtable_debug", "print init_memory_mapping's ranges and page sizes (pr_debug\n"
			       "lines in Linux, which a stock kernel does not print)", "off" } } },
	{ "acpi_apic_instance=", NULL, OPTION_EARLY, OPTION_NUMBER, false, NULL, 0,
	  { { "acpi_apic_instance=N", "the MADT Linux uses when there are several (0: the first)", "0" } } },
	{ "nr_cpus=", NULL, OPTION_EARLY, OPTION_NUMBER, false, NULL, 0,
	  { { "nr_cpus=N", "at most N CPU numbers (nr_cpu_ids): CPUs past them are ignored", "8192 (NR_CPUS)" } } },
	{ "maxcpus=", NULL, OPTION_EARLY, OPTION_NUMBER, false, NULL, 0,
	  { { "maxcpus=N", "CPUs brought up at boot; 0 also turns the IO APICs off, as\n"
			   "noapic does", "8192 (NR_CPUS)" } } },
	{ "possible_cpus=", NULL, OPTION_EARLY, OPTION_NUMBER, false, NULL, 0,
	  { { "possible_cpus=N", "the possible CPUs, hot-pluggable ones included", "the MADT's" } } },
	{ "noapic", NULL, OPTION_EARLY, OPTION_FLAG, false, FLAG(noapic),
	  { { "noapic", "no IO APIC: Linux skips the MADT's IO APIC entries", "off" } } },
	{ "nopat", NULL, OPTION_EARLY, OPTION_FLAG, false, FLAG(nopat),
	  { { "nopat", "Linux keeps the firmware's PAT (x86/PAT: Configuration shows it)", "off" } } },
	{ "mtrr=", NULL, OPTION_EARLY, OPTION_LIST, false, parse_mtrr, 0,
	  { { "mtrr=debug", "6.12: the MTRRs' state and the cache map, line by line, around\n"
			    "the MTRR map line (6.1 has no such parameter)", "off" } } },
	{ "enable_mtrr_cleanup", NULL, OPTION_EARLY, OPTION_FLAG, false, FLAG(mtrr_cleanup),
	  { { "enable_mtrr_cleanup", "Linux's MTRR sanitizer (Debian builds it, off): it runs only with\n"
				     "an uncached default type, which memprobe names but does not\n"
				     "model", "off" } } },
	{ "disable_mtrr_cleanup", NULL, OPTION_EARLY, OPTION_FLAG, false, clear_flag,
	  __builtin_offsetof(struct options, mtrr_cleanup),
	  { { "disable_mtrr_cleanup", "the sanitizer off again, as Debian builds it", "off" } } },
	{ "disable_mtrr_trim", NULL, OPTION_EARLY, OPTION_FLAG, false, FLAG(disable_mtrr_trim),
	  { { "disable_mtrr_trim", "Linux does not take RAM the MTRRs leave uncached out of e820", "off" } } },
	{ "kernel=", NULL, OPTION_MEMPROBE, OPTION_ENUM, false, parse_kernel, 0,
	  { { "kernel=VERSION", "the Linux to predict: 6.1 (Debian 12's linux-image-amd64) or\n"
				"6.12 (Debian 12's linux-image-6.12.*+deb12-amd64)", "6.1" } } },
	{ "node_data_size=", NULL, OPTION_MEMPROBE, OPTION_SIZE, false, parse_node_data_size, 0,
	  { { "node_data_size=N", "sizeof(pg_data_t) of another build of that kernel",
	      "Debian's (174208 for 6.1, 174464 for 6.12)" } } },
	{ "kernel_reserve_size=", NULL, OPTION_MEMPROBE, OPTION_SIZE, false, parse_kernel_reserve_size, 0,
	  { { "kernel_reserve_size=N", "what memblock reserves for the kernel image (from _text to\n"
				       "the end of its early brk) in another build of that kernel",
	      "Debian's (0x3411000 for 6.1, 0x2c11000 for 6.12)" } } },
	{ "kernel_sections=", NULL, OPTION_MEMPROBE, OPTION_LIST, false, parse_kernel_sections, 0,
	  { { "kernel_sections=CODE,RWDATA,RODATA,INIT,BSS", "the kernel image's section sizes in KiB (as \"Memory:\"\n"
							     "gives them) of another build of that kernel",
	      "Debian's (6.1: 14343,2338,9132,2824,17344; 6.12: 16384,2499,11720,4260,4904)" } } },
	{ "percpu_static_size=", NULL, OPTION_MEMPROBE, OPTION_SIZE, false, parse_percpu_static_size, 0,
	  { { "percpu_static_size=N", "the percpu section's size (\"s\" of \"percpu: Embedded\") of\n"
				      "another build of that kernel",
	      "Debian's (217088 for 6.1, 233472 for 6.12)" } } },
	{ "cmdline_bytes=", NULL, OPTION_MEMPROBE, OPTION_NUMBER, false, parse_cmdline_bytes, 0,
	  { { "cmdline_bytes=N", "the Linux command line's length with its NUL (strlen of\n"
				 "\"Command line:\" plus 1): start_kernel keeps two copies",
	      "memprobe's own command line, taken as Linux's" } } },
	{ "unknown_params_bytes=", NULL, OPTION_MEMPROBE, OPTION_NUMBER, false, parse_unknown_params_bytes, 0,
	  { { "unknown_params_bytes=N", "the parameters Linux does not know and passes to init, as\n"
					"start_kernel copies them (\"Unknown kernel command line\n"
					"parameters\": its length plus 2); 0: none",
	      "none" } } },
	{ "cea_pages=", NULL, OPTION_MEMPROBE, OPTION_NUMBER, false, parse_cea_pages, 0,
	  { { "cea_pages=N", "the page tables trap_init() takes for the CPU entry areas\n"
			     "(spp_getpage()'s requests): 6.12 places the areas at random\n"
			     "under KASLR, so only the boot's log knows their count",
	      "counted from the CPUs, or unknown (6.12 with KASLR)" } } },
	{ "exit_boot_services", NULL, OPTION_MEMPROBE, OPTION_FLAG, false, FLAG(exit_boot_services),
	  { { "exit_boot_services", "after the report, leave boot services, build the direct map\n"
				    "and identity map as real page tables, load them (CR3),\n"
				    "verify them, check nothing was overwritten, report on COM1\n"
				    "and keep the lines for the next run; then reset the machine", "off" } } },
	{ "ebs_stale_keys=", NULL, OPTION_MEMPROBE, OPTION_NUMBER, false, parse_ebs_stale_keys, 0,
	  { { "ebs_stale_keys=N", "(tests) make the map key stale on the first N of the two\n"
				  "ExitBootServices attempts, to exercise the retry", "0" } } },
	{ "ap_hold=", NULL, OPTION_MEMPROBE, OPTION_NUMBER, false, parse_ap_hold, 0,
	  { { "ap_hold=N", "(tests) processor N reads nothing until the collection has\n"
			   "given up on it, to exercise the timeout of an AP that does\n"
			   "not answer", "none" } } },
	{ "fail=", NULL, OPTION_MEMPROBE, OPTION_LIST, false, parse_fail, 0,
	  { { "fail=ITEM[,ITEM]", "(tests) make these firmware calls fail, to show the run goes\n"
				  "on and says what was lost: fs (the run folder's files),\n"
				  "variables (GetVariable: Secure Boot), gop (the screen after\n"
				  "ExitBootServices)", "none" } } },
	{ "no_mp_services", NULL, OPTION_MEMPROBE, OPTION_FLAG, false, FLAG(no_mp_services),
	  { { "no_mp_services", "(tests) read only the boot CPU, as on firmware without\n"
				"EFI_MP_SERVICES_PROTOCOL", "off" } } },
	{ "no_pause", NULL, OPTION_MEMPROBE, OPTION_FLAG, false, FLAG(no_pause),
	  { { "no_pause", "on a screen, do not stop after each page, nor at the end to\n"
			  "ask whether to power off, reboot or return", "pause when a keyboard is there" } } },
	{ "poweroff", NULL, OPTION_MEMPROBE, OPTION_FLAG, false, FLAG(poweroff),
	  { { "poweroff", "power the machine off when the report is complete (no pauses)",
	      "off: ask at the end" } } },
	{ "--help", NULL, OPTION_MEMPROBE, OPTION_FLAG, false, FLAG(help),
	  { { "--help, -h", "show this help and exit", NULL } } },
	{ "-h", NULL, OPTION_MEMPROBE, OPTION_FLAG, false, FLAG(help), { { NULL, NULL, NULL } } },
	{ "help", NULL, OPTION_MEMPROBE, OPTION_FLAG, false, FLAG(help), { { NULL, NULL, NULL } } },
	/* Linux's, known to memprobe, not modelled yet. */
	{ "memmap=", NULL, OPTION_EARLY, OPTION_LIST, true, NULL, 0,
	  { { "memmap=MAP", "Linux's user-defined physical RAM map", "none" } } },
	{ "add_efi_memmap", NULL, OPTION_EARLY, OPTION_FLAG, true, NULL, 0,
	  { { "add_efi_memmap", "Linux's EFI memory map added to e820", "off" } } },
	{ "movable_node", NULL, OPTION_EARLY, OPTION_FLAG, true, NULL, 0,
	  { { "movable_node", "hot-pluggable nodes' memory kept movable", "off" } } },
	{ "kernelcore=", NULL, OPTION_EARLY, OPTION_SIZE, true, NULL, 0,
	  { { "kernelcore=SIZE", "memory kept for the kernel; the rest in ZONE_MOVABLE", "none" } } },
};

#undef FLAG

/* The row a word is written in, or NULL: the longest valued word starting it, or the word itself. */
static const struct option_row *option_row_of(const char *w, unsigned n)
{
	const struct option_row *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; i < ARRAY_SIZE(option_table); i++) {
		const struct option_row *r = &option_table[i];
		size_t len = mp_strlen(r->word);
		bool match = r->word[len - 1] == '=' ? n >= len && !mp_memcmp(w, r->word, len)
						     : n == len && !mp_memcmp(w, r->word, len);

		if (match && len > best_len) {
			best = r;
			best_len = len;
		}
	}
	return best;
}

/**
 * options_init() - every option at its default
 *
 * Not all zero: soft_reserve is on (Debian's CONFIG_EFI_SOFT_RESERVE=y) and
 * the kernel profile is linux_profile_default()'s.
 */
void options_init(struct options *o)
{
	mp_memset(o, 0, sizeof(*o));
	o->soft_reserve = true;	/* Debian's kernel: CONFIG_EFI_SOFT_RESERVE=y */
	o->kernel = linux_profile_default();
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* An early parameter in effect, kept in order for parse_early_param. */
static void keep_early(struct options *o, const char *w, struct mp_log *log)
{
	struct early_param *e;
	unsigned n = 0;

	if (o->nr_early == OPTIONS_MAX_EARLY) {
		mp_printk(log, "memprobe: error: more than %d of Linux's early parameters; '%s' ignored\n",
			  OPTIONS_MAX_EARLY, w);
		o->nr_errors++;
		return;
	}
	e = &o->early[o->nr_early++];
	while (w[n] && w[n] != '=')
		n++;
	e->name_len = n;
	mp_memcpy(e->word, w, mp_strlen(w) + 1);
}

static void parse_word(struct options *o, const char *w, struct mp_log *log)
{
	const struct option_row *r = option_row_of(w, (unsigned)mp_strlen(w));

	if (!r) {
		mp_printk(log, "memprobe: error: unknown option '%s' ignored (see --help)\n", w);
		o->nr_errors++;
		return;
	}
	if (r->planned) {
		mp_printk(log, "memprobe: warning: '%s' is not implemented yet; ignored\n", w);
		return;
	}
	if (r->parse && !r->parse(o, r, w + mp_strlen(r->word), log)) {
		o->nr_errors++;
		return;
	}
	if (r->origin == OPTION_EARLY)
		keep_early(o, w, log);
}

/*
 * Find the next word of a command line, skipping white space and '#'
 * comments.  Returns its length (0 at the end) and sets *word to its start.
 */
static unsigned next_word(const char **p, const char **word)
{
	unsigned n = 0;

	for (;;) {
		while (is_space(**p))
			(*p)++;
		if (**p != '#')
			break;
		while (**p && **p != '\n')
			(*p)++;
	}
	*word = *p;
	while ((*p)[n] && !is_space((*p)[n]))
		n++;
	*p += n;
	return n;
}

/* Parsing's messages are kept, bounded, until the report prints them. */
static void keep_message(void *ctx, const char *text, size_t len)
{
	struct options *o = ctx;
	unsigned room = sizeof(o->messages) - 1 - o->messages_len;

	if (len > room) {
		o->messages_dropped++;
		return;
	}
	mp_memcpy(o->messages + o->messages_len, text, len);
	o->messages_len += (unsigned)len;
	o->messages[o->messages_len] = '\0';
}

/* Whether a line is text: printable ASCII and tabs (a CR before its newline is fine). */
static bool is_text_line(const char *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && !(p[i] == '\r' && i + 1 == n)) || (unsigned char)p[i] >= 0x7f)
			return false;
	return true;
}

/* A row's key, which a stronger source's word of the same key overrides: its own, or its word up to '='. */
static unsigned row_key(const struct option_row *r, const char **key)
{
	unsigned k = 0, n = (unsigned)mp_strlen(r->word);

	if (r->key) {
		*key = r->key;
		return (unsigned)mp_strlen(r->key);
	}
	*key = r->word;
	while (k < n && r->word[k] != '=')
		k++;
	return k < n ? k + 1 : n;
}

/* The first row with a row's key: rows that share a key ("gbpages", "nogbpages") share it. */
static unsigned key_row(const struct option_row *r)
{
	const char *key, *other;
	unsigned len = row_key(r, &key);

	for (unsigned i = 0;; i++)
		if (row_key(&option_table[i], &other) == len && !mp_memcmp(key, other, len))
			return i;
}

/*
 * Which source is the strongest to hold each key: strongest[key_row] is that
 * source's index + 1, 0 for none.  A word the table does not know has no key:
 * it is reported where it stands, never overridden.
 */
struct key_sources {
	unsigned char strongest[ARRAY_SIZE(option_table)];
};

/* Call fn on each word that counts in each source: files line by line, lines that are not text left out. */
static void each_word(const struct option_source *src, unsigned nr,
		      void (*fn)(void *ctx, unsigned source, const char *w, unsigned n), void *ctx)
{
	const char *w;
	unsigned n;

	for (unsigned s = 0; s < nr; s++) {
		const char *p = src[s].text ? src[s].text : "";

		while (*p) {
			const char *end = p;

			if (!src[s].name) {
				end += mp_strlen(p);
			} else {
				while (*end && *end != '\n')
					end++;
				if (!is_text_line(p, (unsigned)(end - p))) {
					p = end + (*end == '\n');
					continue;
				}
			}
			while (p < end && (n = next_word(&p, &w)) && w < end)
				fn(ctx, s, w, w + n > end ? (unsigned)(end - w) : n);
			p = end + (*end == '\n');
		}
	}
}

static void note_key(void *ctx, unsigned source, const char *w, unsigned n)
{
	struct key_sources *k = ctx;
	const struct option_row *r = option_row_of(w, n);

	if (r)
		k->strongest[key_row(r)] = (unsigned char)(source + 1);
}

/* One pass over every source: linear in their words. */
static void key_sources_init(struct key_sources *k, const struct option_source *src, unsigned nr)
{
	mp_memset(k, 0, sizeof(*k));
	each_word(src, nr, note_key, k);
}

/* Whether a stronger source than @source has a word of w's key. */
static bool overridden(const struct key_sources *k, unsigned source, const char *w, unsigned n)
{
	const struct option_row *r = option_row_of(w, n);

	return r && k->strongest[key_row(r)] > source + 1;
}

/* A file's messages carry its name and the line: "memprobe: FILE:LINE: error: ...". */
struct located_log {
	struct mp_log *log;
	const char *file;
	unsigned line;
};

static void located_write(void *ctx, const char *text, size_t len)
{
	struct located_log *l = ctx;
	const size_t skip = mp_starts_with(text, "memprobe: ") ? 10 : 0;

	mp_printk(l->log, "memprobe: %s:%u: %.*s", l->file, l->line, (int)(len - skip), text + skip);
}

static void parse_words(struct options *o, const char *p, const char *end, const struct key_sources *keys,
			unsigned source, struct mp_log *log)
{
	char line[OPTION_WORD_MAX];
	const char *w;
	unsigned n;

	/* next_word stops at the NUL after a line's copy, so copy words out bounded by end. */
	while (p < end && (n = next_word(&p, &w))) {
		char word[OPTION_WORD_MAX];

		if (w >= end)
			break;
		if (w + n > end)
			n = (unsigned)(end - w);
		if (overridden(keys, source, w, n))
			continue;
		if (n >= sizeof(word)) {
			mp_memcpy(line, w, sizeof(line) - 1);
			line[sizeof(line) - 1] = '\0';
			mp_printk(log, "memprobe: error: option '%.20s...' is longer than %u characters; "
				       "ignored\n",
				  line, OPTION_WORD_MAX - 1);
			o->nr_errors++;
			continue;
		}
		mp_memcpy(word, w, n);
		word[n] = '\0';
		parse_word(o, word, log);
	}
}

/* One source: a command line at once, a file line by line so messages name the line. */
static void parse_source(struct options *o, const struct option_source *src, const struct key_sources *keys,
			 unsigned source, struct mp_log *log)
{
	const char *p = src->text ? src->text : "";
	struct located_log where = { log, src->name, 0 };
	struct mp_log located = { .write = located_write, .ctx = &where };

	if (!src->name) {
		parse_words(o, p, p + mp_strlen(p), keys, source, log);
		return;
	}
	while (*p) {
		unsigned n = 0;

		while (p[n] && p[n] != '\n')
			n++;
		where.line++;
		if (!is_text_line(p, n)) {
			mp_printk(&located, "memprobe: error: the line is not text (a byte below 0x20 "
					    "or above 0x7e); ignored\n");
			o->nr_errors++;
		} else {
			parse_words(o, p, p + n, keys, source, &located);
		}
		p += n + (p[n] == '\n');
	}
}

/**
 * options_parse_sources() - parse options from several places
 * @o: the options, from options_init()
 * @src: the sources, weakest first (defaults < config files < command line)
 * @nr: how many
 *
 * A word in a later source overrides every word of an earlier source with
 * the same key (the text up to '=': "mem=2G" on the command line drops the
 * config file's "mem=" words); a word the table does not know is reported
 * where it stands.  The cost is linear in the words.  Linux's early parameters are kept in the
 * order of the words that count, as parse_early_param() would see them on
 * one command line.  Messages are kept for options_print_messages(); those
 * about a file name the file and its line.
 */
void options_parse_sources(struct options *o, const struct option_source *src, unsigned nr)
{
	struct mp_log kept = { .write = keep_message, .ctx = o };
	struct key_sources keys;

	key_sources_init(&keys, src, nr);
	for (unsigned i = 0; i < nr; i++)
		parse_source(o, &src[i], &keys, i, &kept);
}

/* Parse one command line into o. */
void options_parse(struct options *o, const char *cmdline)
{
	const struct option_source src = { NULL, cmdline };

	options_parse_sources(o, &src, 1);
}

/**
 * options_print_messages() - the messages parsing kept, then a count of those dropped
 * @log: where they go; unlike mp_printk(), it must have a sink
 */
void options_print_messages(const struct options *o, struct mp_log *log)
{
	if (o->messages_len)
		log->write(log->ctx, o->messages, o->messages_len);
	if (o->messages_dropped)
		mp_printk(log, "memprobe: error: %u more messages about options not shown\n",
			  o->messages_dropped);
}

/**
 * options_from_linux_cmdline() - the words of a Linux command line memprobe models
 * @buf: where they go, joined by spaces
 * @size: its size
 * @cmdline: a kernel command line (/proc/cmdline, a boot log's "Command line:")
 *
 * Linux's options in the table that memprobe models; everything else
 * (root=, console=, quiet, ...) is no business of memprobe.
 *
 * Return: the number of words kept.
 */
unsigned options_from_linux_cmdline(char *buf, unsigned size, const char *cmdline)
{
	const char *p = cmdline ? cmdline : "", *w;
	unsigned len = 0, kept = 0, n;

	if (size)
		buf[0] = '\0';
	while ((n = next_word(&p, &w))) {
		const struct option_row *r = option_row_of(w, n);

		if (!r || r->origin == OPTION_MEMPROBE || r->planned || len + n + 2 > size)
			continue;
		if (len)
			buf[len++] = ' ';
		mp_memcpy(buf + len, w, n);
		len += n;
		buf[len] = '\0';
		kept++;
	}
	return kept;
}

/* One documented way to write an option, its text indented under a prefix. */
static void print_doc(struct mp_log *log, const char *prefix, const struct option_doc *d, bool with_default)
{
	const char *t = d->text;
	bool first = true;

	while (*t) {
		int n = 0;

		while (t[n] && t[n] != '\n')
			n++;
		mp_printk(log, "%s  %-18s %.*s\n", prefix, first ? d->usage : "", n, t);
		first = false;
		t += n + (t[n] == '\n');
	}
	if (with_default)
		mp_printk(log, "%s  %-18s default: %s\n", prefix, "", d->dflt);
}

/* The documented ways to write the options memprobe models, in the table's order. */
static const struct option_doc *next_doc(size_t *row, size_t *doc)
{
	for (; *row < ARRAY_SIZE(option_table); (*row)++, *doc = 0) {
		const struct option_row *r = &option_table[*row];

		while (!r->planned && *doc < ARRAY_SIZE(r->doc) && r->doc[*doc].usage)
			return &r->doc[(*doc)++];
	}
	return NULL;
}

void options_print_help(struct mp_log *log)
{
	const struct option_doc *d;
	size_t row = 0, doc = 0;

	mp_printk(log, "usage: memprobe.efi [OPTION]...\n"
		       "Shows how Linux 6.1 (or 6.12: kernel=6.12) would set up this machine's physical memory.\n"
		       "Options are also read from \\memprobe\\memprobe.conf (and the older \\memprobe.cfg)\n"
		       "on the boot volume; the command line's override theirs.\n\n");
	while ((d = next_doc(&row, &doc)))
		print_doc(log, "", d, false);
	mp_printk(log, "\n"
		       "Each run saves its report, the raw memory map, the ACPI tables and the CPU\n"
		       "facts in \\memprobe\\runs\\NNNN on the boot volume; earlier runs are never\n"
		       "overwritten.\n");
}

/**
 * options_print_config() - a config file that lists every option, commented
 * @log: where the text goes
 *
 * This is \memprobe\memprobe.conf on the USB stick image: every option
 * with its default, none set.
 */
void options_print_config(struct mp_log *log)
{
	const struct option_doc *d;
	size_t row = 0, doc = 0;

	mp_printk(log, "# memprobe.conf: options of memprobe.efi %s, read at every start.\n"
		       "# Write options on any line, several to a line if you like; '#' starts a comment.\n"
		       "# Options given on a UEFI shell's command line override the same ones here.\n"
		       "# An unknown or malformed option is named in the report with this file's line.\n"
		       "#\n"
		       "# Every option, with its default (none is set below):\n"
		       "#\n",
		  MEMPROBE_VERSION);
	while ((d = next_doc(&row, &doc))) {
		if (!d->dflt)
			continue;
		print_doc(log, "#", d, true);
		mp_printk(log, "#\n");
	}
}

/* A cell of the options document's tables: the text on one line, '<' and '|' escaped for Markdown. */
static void print_cell(struct mp_log *log, const char *text)
{
	char cell[MP_LINE_MAX - 64];
	unsigned n = 0;

	for (const char *t = text; *t && n + 8 < sizeof(cell); t++) {
		const char *put = *t == '\n' ? " " : *t == '<' ? "&lt;" : *t == '|' ? "\\|" : NULL;

		if (!put)
			cell[n++] = *t;
		for (; put && *put; put++)
			cell[n++] = *put;
	}
	cell[n] = '\0';
	mp_printk(log, "%s", cell);
}

/**
 * options_print_document() - docs/OPTIONS.md, from the table
 * @log: where the Markdown goes
 *
 * The test suite compares docs/OPTIONS.md with this text, so the document
 * cannot drift from the options memprobe parses.
 */
void options_print_document(struct mp_log *log)
{
	static const char *const origins[] = {
		[OPTION_MEMPROBE] = "memprobe's",
		[OPTION_EARLY] = "Linux's early_param",
		[OPTION_SETUP] = "Linux's __setup",
		[OPTION_STUB] = "Linux's EFI stub",
	};
	static const char *const kinds[] = {
		[OPTION_FLAG] = "flag", [OPTION_SIZE] = "size", [OPTION_NUMBER] = "number",
		[OPTION_LIST] = "list", [OPTION_ENUM] = "enum", [OPTION_RANGE] = "range",
	};

	mp_printk(log, "# memprobe's options\n\n"
		       "<!-- Generated by `build/memprobe options` from the option table in core/options.c;\n"
		       "     `make docs` writes it again, and the tests fail when it is stale. -->\n\n");
	mp_printk(log, "Options are words on the UEFI shell's command line, in `\\memprobe\\memprobe.conf`\n"
		       "(and the older `\\memprobe.cfg`) on the boot volume, or after the run folder of\n"
		       "`memprobe analyze`.  A word of a stronger source (the command line over the config\n"
		       "files) overrides the weaker source's words of the same key (the text up to `=`);\n"
		       "a word memprobe does not know is reported in each place it stands.\n\n");
	mp_printk(log, "Where Linux has a kernel parameter for the same thing, the option is that parameter,\n"
		       "parsed as Linux parses it.  *whose* says who reads it: Linux's `early_param`s take\n"
		       "effect in command-line order, as `parse_early_param` applies them (the report's\n"
		       "`memprobe: early parameters` line shows that order), `__setup` ones later from\n"
		       "`parse_args`; Linux's EFI stub reads its own before the kernel runs.\n\n");
	mp_printk(log, "| option | whose | kind | default | what it does |\n"
		       "|---|---|---|---|---|\n");
	for (size_t i = 0; i < ARRAY_SIZE(option_table); i++) {
		const struct option_row *r = &option_table[i];

		for (size_t d = 0; !r->planned && d < ARRAY_SIZE(r->doc) && r->doc[d].usage; d++) {
			mp_printk(log, "| `%s` | %s | %s | ", r->doc[d].usage, origins[r->origin], kinds[r->kind]);
			print_cell(log, r->doc[d].dflt ? r->doc[d].dflt : "");
			mp_printk(log, " | ");
			print_cell(log, r->doc[d].text);
			mp_printk(log, " |\n");
		}
	}
	mp_printk(log, "\nLinux's options that memprobe knows but does not model yet (a warning names them,\n"
		       "and the run goes on without them):\n\n"
		       "| option | whose | what it is in Linux |\n"
		       "|---|---|---|\n");
	for (size_t i = 0; i < ARRAY_SIZE(option_table); i++)
		if (option_table[i].planned) {
			mp_printk(log, "| `%s` | %s | ", option_table[i].doc[0].usage, origins[option_table[i].origin]);
			print_cell(log, option_table[i].doc[0].text);
			mp_printk(log, " |\n");
		}
}

/**
 * options_skip_program_name() - the options of a UEFI shell's arguments
 * @args: the arguments, NUL-terminated
 *
 * A UEFI shell passes the program's own name as the first word
 * ("fs0:\\EFI\\BOOT\\BOOTX64.EFI", "memprobe.efi").
 *
 * Return: where the options start: after that word when it looks like a
 * program's name or path, and args itself when the first word is an option
 * ("efi=debug", "poweroff").
 */
const char *options_skip_program_name(const char *args)
{
	const char *p = args, *word;
	bool looks_like_path = false, has_value = false;

	while (is_space(*p))
		p++;
	word = p;
	while (*p && !is_space(*p)) {
		if (*p == '\\' || *p == ':' || *p == '.')
			looks_like_path = true;
		has_value |= *p == '=';
		p++;
	}
	if (has_value)
		return args;
	if (looks_like_path || mp_starts_with(word, "memprobe") || mp_starts_with(word, "MEMPROBE"))
		return p;
	return args;
}

/* options_words()'s gathering: the words that count, joined by spaces, bounded by size. */
struct words_out {
	const struct key_sources *keys;
	char *buf;
	unsigned size, len, words;
};

static void add_word(void *ctx, unsigned source, const char *w, unsigned n)
{
	struct words_out *out = ctx;

	if (n >= OPTION_WORD_MAX || overridden(out->keys, source, w, n))
		return;
	if (out->words++ && out->len + 1 < out->size)
		out->buf[out->len++] = ' ';
	for (unsigned i = 0; i < n && out->len + 1 < out->size; i++)
		out->buf[out->len++] = w[i];
}

/**
 * options_words() - the words that count, joined by single spaces
 * @buf: where to put them
 * @size: its size
 * @src: the sources, weakest first, as options_parse_sources() takes them
 * @nr: how many
 *
 * Comments, unreadable lines and overridden words are left out: this is
 * the report's "options:" line.
 *
 * Return: the number of words.
 */
unsigned options_words(char *buf, unsigned size, const struct option_source *src, unsigned nr)
{
	struct key_sources keys;
	struct words_out out = { &keys, buf, size, 0, 0 };

	key_sources_init(&keys, src, nr);
	each_word(src, nr, add_word, &out);
	if (size)
		buf[out.len] = '\0';
	return out.words;
}
