// SPDX-License-Identifier: MIT
/* Options and the whole pipeline on OVMF-like memory maps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "memprobe/lib/cmdline.h"
#include "memprobe/report/json.h"
#include "memprobe/report/views.h"
#include "heap.h"

#define WB_ALL (EFI_ATTR_UC | EFI_ATTR_WC | EFI_ATTR_WT | EFI_ATTR_WB)

/* A small map shaped like OVMF's on QEMU pc with 4 GiB. */
static void ovmf_like_map(struct rawmap *r)
{
	rawmap_init(r, 48);
	rawmap_add(r, EFI_BOOT_SERVICES_CODE, 0x0, 1, WB_ALL);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, 0x1000, 0x9f, WB_ALL);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, 0x100000, 0x700, WB_ALL);
	rawmap_add(r, EFI_ACPI_MEMORY_NVS, 0x800000, 0x8, WB_ALL);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, 0x808000, 0xbf737, WB_ALL);
	rawmap_add(r, EFI_RUNTIME_SERVICES_DATA, 0xbff3f000, 0x21, WB_ALL | EFI_ATTR_RUNTIME);
	rawmap_add(r, EFI_ACPI_MEMORY_NVS, 0xbff60000, 0xa0, WB_ALL);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, 0x100000000ULL, 0x40000, WB_ALL);
	rawmap_add(r, EFI_MEMORY_MAPPED_IO, 0xffe00000, 0x200, EFI_ATTR_UC | EFI_ATTR_RUNTIME);
}

/* Compare a whole report; on a mismatch show it all (cmocka cuts long strings). */
static void assert_report(const char *got, const char *want)
{
	if (strcmp(got, want)) {
		fprintf(stderr, "--- report:\n%s--- expected:\n%s", got, want);
		fail_msg("the report differs from the expected one");
	}
}

static void full_report(void **state)
{
	struct capture c;
	struct rawmap r;
	struct machine *m;
	char *lines;

	(void)state;
	capture_init(&c);
	ovmf_like_map(&r);
	m = run_pipeline(&r.map, "efi=debug", &c);
	lines = capture_lines_with_prefix(&c, "");
	assert_report(
		lines,
		"memprobe: memprobe " MEMPROBE_VERSION " (host test) for Linux 6.1\n"
		"memprobe: firmware: EDK II revision 0x00010000, UEFI 2.70\n"
		"memprobe: Secure Boot: unknown\n"
		"memprobe: options: efi=debug\n"
		"memprobe: cpu: unknown (CPUID not read: assumed), physical address bits not reported; "
		"pse yes, pge yes, nx yes, pdpe1gb no, la57 no\n"
		"memprobe: paging: 4 levels, MAX_PHYSMEM_BITS 46, max_arch_pfn 0x400000000, PAGE_OFFSET "
		"0xffff888000000000 before memory KASLR moves it, direct map pages 4k/2M\n"
		"memprobe: note: the EFI memory map is not sorted by address (1 descriptors start "
		"below their predecessor); Linux sorts it out in e820\n"
		"BIOS-provided physical RAM map:\n"
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"BIOS-e820: [mem 0x0000000000100000-0x00000000007fffff] usable\n"
		"BIOS-e820: [mem 0x0000000000800000-0x0000000000807fff] ACPI NVS\n"
		"BIOS-e820: [mem 0x0000000000808000-0x00000000bff3efff] usable\n"
		"BIOS-e820: [mem 0x00000000bff3f000-0x00000000bff5ffff] reserved\n"
		"BIOS-e820: [mem 0x00000000bff60000-0x00000000bfffffff] ACPI NVS\n"
		"BIOS-e820: [mem 0x00000000ffe00000-0x00000000ffffffff] reserved\n"
		"BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable\n"
		"memprobe: early parameters, in the order parse_early_param applies them: efi=debug\n"
		"efi: EFI v2.70 by EDK II\n"
		"efi: mem00: [Boot Code   |   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x0000000000000000-0x0000000000000fff] (0MB)\n"
		"efi: mem01: [Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x0000000000001000-0x000000000009ffff] (0MB)\n"
		"efi: mem02: [Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x0000000000100000-0x00000000007fffff] (7MB)\n"
		"efi: mem03: [ACPI Mem NVS|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x0000000000800000-0x0000000000807fff] (0MB)\n"
		"efi: mem04: [Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x0000000000808000-0x00000000bff3efff] (3063MB)\n"
		"efi: mem05: [Runtime Data|RUN|  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x00000000bff3f000-0x00000000bff5ffff] (0MB)\n"
		"efi: mem06: [ACPI Mem NVS|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x00000000bff60000-0x00000000bfffffff] (0MB)\n"
		"efi: mem07: [Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x0000000100000000-0x000000013fffffff] (1024MB)\n"
		"efi: mem08: [MMIO        |RUN|  |  |  |  |  |  |  |  |  |   |  |  |  |UC] "
		"range=[0x00000000ffe00000-0x00000000ffffffff] (2MB)\n"
		"e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n"
		"e820: remove [mem 0x000a0000-0x000fffff] usable\n"
		"last_pfn = 0x140000 max_arch_pfn = 0x400000000\n"
		"memprobe: the boot CPU's MTRRs and PAT were not read (an older run folder, or --live): the MTRR "
		"and x86/PAT lines are not predicted\n"
		"last_pfn = 0xbff3f max_arch_pfn = 0x400000000\n"
		"memprobe: note: not placed before NUMA setup (where the loader puts them): the initrd (ramdisk=) "
		"and the EFI memory map copy (efi_memmap_at=)\n"
		/* brk: PUD, PMD and PTE tables for [0,1M), the trampoline page, the PMD table of
		 * 4G-5G; memblock, while mapping the region holding brk (kernel at 16M): PMD tables
		 * for 1G-2G and 2G-3G, PTE tables for the unaligned ends 0x808000 and 0xbff3f000 */
		"memprobe: direct map: 5 page-table pages from brk, 4 from memblock (kernel image "
		"assumed at 0x1000000, memory KASLR on)\n"
		"memprobe: DirectMap after init_mem_mapping, as /proc/meminfo counts it (later Linux "
		"splits the big pages around its own image when it protects text and rodata, and "
		"others whose attributes change; the total stays):\n"
		/* 4k: [0,1M), [1M,2M), [0x808000,0xa00000), [0xbfe00000,0xbff3f000); the rest 2M */
		"DirectMap4k:        5340 kB\n"
		"DirectMap2M:     4188160 kB\n"
		"memprobe: ACPI: the EFI configuration table lists no ACPI RSDP; no ACPI tables\n"
		"memprobe: NUMA: the SRAT is not used: the firmware has no SRAT\n"
		"No NUMA configuration found\n"
		"Faking a node at [mem 0x0000000000000000-0x000000013fffffff]\n"
		"NODE_DATA(0) allocated [mem 0x13ffd1000-0x13fffbfff]\n"
		"Zone ranges:\n"
		"  DMA      [mem 0x0000000000001000-0x0000000000ffffff]\n"
		"  DMA32    [mem 0x0000000001000000-0x00000000ffffffff]\n"
		"  Normal   [mem 0x0000000100000000-0x000000013fffffff]\n"
		"  Device   empty\n"
		"Movable zone start for each node\n"
		"Early memory node ranges\n"
		"  node   0: [mem 0x0000000000001000-0x000000000009ffff]\n"
		"  node   0: [mem 0x0000000000100000-0x00000000007fffff]\n"
		"  node   0: [mem 0x0000000000808000-0x00000000bff3efff]\n"
		"  node   0: [mem 0x0000000100000000-0x000000013fffffff]\n"
		"Initmem setup node 0 [mem 0x0000000000001000-0x000000013fffffff]\n"
		"On node 0, zone DMA: 1 pages in unavailable ranges\n"
		"On node 0, zone DMA: 96 pages in unavailable ranges\n"
		"On node 0, zone DMA: 8 pages in unavailable ranges\n"
		"On node 0, zone Normal: 193 pages in unavailable ranges\n"
		"memprobe: the MADT lists no enabled CPU and the boot CPU's APIC ID was not read, so Linux's "
		"\"Boot CPU (id N) not listed by BIOS\" and the possible CPUs are not predicted\n"
		"PM: hibernation: Registered nosave memory: [mem 0x00000000-0x00000fff]\n"
		"PM: hibernation: Registered nosave memory: [mem 0x000a0000-0x000fffff]\n"
		"PM: hibernation: Registered nosave memory: [mem 0x00800000-0x00807fff]\n"
		"PM: hibernation: Registered nosave memory: [mem 0xbff3f000-0xffffffff]\n"
		"[mem 0xc0000000-0xffdfffff] available for PCI devices\n"
		"memprobe: the possible CPUs are not known: setup_per_cpu_areas' lines are not predicted\n"
		"Fallback order for Node 0: 0 \n"
		"Built 1 zonelists, mobility grouping on.  Total pages: 1031738\n"
		"Policy zone: Normal\n"
		"Dentry cache hash table entries: 524288 (order: 10, 4194304 bytes, linear)\n"
		"Inode-cache hash table entries: 262144 (order: 9, 2097152 bytes, linear)\n"
		"memprobe: the possible CPUs are not known: the software IO TLB's area count is not predicted\n"
		"memprobe: the \"Memory:\" line is not predicted: the percpu areas are not predicted\n"
		"memprobe: the boot CPU's CPUID leaf 1 or the possible CPUs are not known: the SLUB line is not predicted\n"
		"Mount-cache hash table entries: 8192 (order: 4, 65536 bytes, linear)\n"
		"Mountpoint-cache hash table entries: 8192 (order: 4, 65536 bytes, linear)\n"
		"x86/mm: Memory block size: 128MB\n"
		"DMA: preallocated 512 KiB GFP_KERNEL pool for atomic allocations\n"
		"DMA: preallocated 512 KiB GFP_KERNEL|GFP_DMA pool for atomic allocations\n"
		"DMA: preallocated 512 KiB GFP_KERNEL|GFP_DMA32 pool for atomic allocations\n"
		"memprobe: the boot CPU's features are not known: the HugeTLB lines are not predicted\n"
		"e820: reserve RAM buffer [mem 0xbff3f000-0xbfffffff]\n"
		/* the buffer below 4 GiB, top-down: nothing else is placed there */
		"PCI-DMA: Using software bounce buffering for IO (SWIOTLB)\n"
		"software IO TLB: mapped [mem 0x00000000bbf3f000-0x00000000bff3f000] (64MB)\n"
		"memprobe: /sys/firmware/memmap:\n"
		"0x0-0x9ffff System RAM\n"
		"0x100000-0x7fffff System RAM\n"
		"0x800000-0x807fff ACPI Non-volatile Storage\n"
		"0x808000-0xbff3efff System RAM\n"
		"0xbff3f000-0xbff5ffff Reserved\n"
		"0xbff60000-0xbfffffff ACPI Non-volatile Storage\n"
		"0xffe00000-0xffffffff Reserved\n"
		"0x100000000-0x13fffffff System RAM\n"
		"memprobe: /proc/iomem (e820 entries):\n"
		"00000000-00000fff : Reserved\n"
		"00001000-0009ffff : System RAM\n"
		"00100000-007fffff : System RAM\n"
		"00800000-00807fff : ACPI Non-volatile Storage\n"
		"00808000-bff3efff : System RAM\n"
		"bff3f000-bff5ffff : Reserved\n"
		"bff60000-bfffffff : ACPI Non-volatile Storage\n"
		"ffe00000-ffffffff : Reserved\n"
		"100000000-13fffffff : System RAM\n"
		"memprobe: nodes (as /sys/devices/system/node and /proc/zoneinfo show them):\n"
		"node0/cpulist: \n"
		"node0/distance: 10\n"
		"memprobe: node 0 memory: [mem 0x0000000000001000-0x000000000009ffff]\n"
		"memprobe: node 0 memory: [mem 0x0000000000100000-0x00000000007fffff]\n"
		"memprobe: node 0 memory: [mem 0x0000000000808000-0x00000000bff3efff]\n"
		"memprobe: node 0 memory: [mem 0x0000000100000000-0x000000013fffffff]\n"
		"Node 0, zone      DMA: spanned 4095, present 3991, start_pfn 0x1\n"
		"Node 0, zone    DMA32: spanned 1044480, present 782143, start_pfn 0x1000\n"
		"Node 0, zone   Normal: spanned 262144, present 262144, start_pfn 0x100000\n"
		"memprobe: lscpu:\n"
		"NUMA node(s):           1\n"
		"NUMA node0 CPU(s):      \n"
		"memprobe: report complete\n");
	assert_int_equal(m->max_pfn, 0x140000);
	/* e820 said 0xbff3f (the second last_pfn line); init_mem_mapping raises it to max_pfn. */
	assert_int_equal(m->max_low_pfn, 0x140000);
	free(lines);
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

/* mem= as Linux's parse_memopt: remove, then "user-defined" after sanitizing. */
static void mem_option(void **state)
{
	struct capture c;
	struct rawmap r;
	struct machine *m;
	char *user, *lines;

	(void)state;
	capture_init(&c);
	ovmf_like_map(&r);
	m = run_pipeline(&r.map, "mem=3G", &c);
	assert_true(capture_has_line(&c, "e820: remove [mem 0xc0000000-0xfffffffffffffffe] usable"));
	assert_true(capture_has_line(&c, "user-defined physical RAM map:"));
	user = capture_lines_with_prefix(&c, "user: ");
	assert_string_equal(user, "user: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
				  "user: [mem 0x0000000000100000-0x00000000007fffff] usable\n"
				  "user: [mem 0x0000000000800000-0x0000000000807fff] ACPI NVS\n"
				  "user: [mem 0x0000000000808000-0x00000000bff3efff] usable\n"
				  "user: [mem 0x00000000bff3f000-0x00000000bff5ffff] reserved\n"
				  "user: [mem 0x00000000bff60000-0x00000000bfffffff] ACPI NVS\n"
				  "user: [mem 0x00000000ffe00000-0x00000000ffffffff] reserved\n");
	assert_int_equal(m->max_pfn, 0xbff3f);
	/* No second last_pfn line when RAM ends below 4 GiB. */
	assert_int_equal(capture_count_prefix(&c, "last_pfn = "), 1);
	/* /sys/firmware/memmap keeps the firmware's table. */
	assert_true(capture_has_line(&c, "0x100000000-0x13fffffff System RAM"));
	free(user);
	free_pipeline(m);

	/* mem=0 and mem=nopentium: rejected as Linux rejects them; mem=0 still marks userdef. */
	capture_reset(&c);
	m = run_pipeline(&r.map, "mem=nopentium", &c);
	assert_true(capture_has_line(&c, "mem=nopentium ignored! (only supported on x86_32)"));
	assert_true(capture_has_line(&c, "Malformed early option 'mem'"));
	assert_false(capture_has_line(&c, "user-defined physical RAM map:"));
	free_pipeline(m);
	capture_reset(&c);
	m = run_pipeline(&r.map, "mem=0", &c);
	assert_true(capture_has_line(&c, "Malformed early option 'mem'"));
	assert_true(capture_has_line(&c, "user-defined physical RAM map:"));
	assert_int_equal(capture_count_prefix(&c, "e820: remove [mem 0x000a0000"), 1);
	free_pipeline(m);

	/* acpi_apic_instance= is an early parameter too, with Linux's notice or refusal. */
	capture_reset(&c);
	m = run_pipeline(&r.map, "acpi_apic_instance=0x2", &c);
	assert_true(capture_has_line(&c, "ACPI: Shall use APIC/MADT table 2"));
	free_pipeline(m);
	capture_reset(&c);
	m = run_pipeline(&r.map, "acpi_apic_instance=2x", &c);
	assert_true(capture_has_line(&c, "Malformed early option 'acpi_apic_instance'"));
	assert_int_equal(capture_count_prefix(&c, "ACPI: Shall use"), 0);
	free_pipeline(m);

	/* In command-line order, whatever the option: each handler's lines where its word stands. */
	capture_reset(&c);
	m = run_pipeline(&r.map, "acpi_apic_instance=1 mem=nopentium acpi_apic_instance=-2147483648 mem=0 "
			 "acpi_apic_instance=2147483648", &c);
	lines = capture_lines_with_prefix(&c, "");
	assert_non_null(strstr(lines,
			       "memprobe: early parameters, in the order parse_early_param applies them: "
			       "acpi_apic_instance=1 mem=nopentium acpi_apic_instance=-2147483648 mem=0 "
			       "acpi_apic_instance=2147483648\n"
			       "ACPI: Shall use APIC/MADT table 1\n"
			       "mem=nopentium ignored! (only supported on x86_32)\n"
			       "Malformed early option 'mem'\n"
			       "ACPI: Shall use APIC/MADT table -2147483648\n"
			       "Malformed early option 'mem'\n"
			       "Malformed early option 'acpi_apic_instance'\n"));
	free(lines);
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

static void soft_reserved(void **state)
{
	struct capture c;
	struct rawmap r;
	struct machine *m;

	(void)state;
	capture_init(&c);
	rawmap_init(&r, 48);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x0, 0xa0, WB_ALL);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x100000, 0xff00, WB_ALL);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x10000000, 0x10000, WB_ALL | EFI_ATTR_SP);
	rawmap_add(&r, EFI_PERSISTENT_MEMORY, 0x20000000, 0x10000, WB_ALL | EFI_ATTR_NV);
	m = run_pipeline(&r.map, "", &c);
	assert_true(capture_has_line(&c, "BIOS-e820: [mem 0x0000000010000000-0x000000001fffffff] soft reserved"));
	assert_true(capture_has_line(&c, "BIOS-e820: [mem 0x0000000020000000-0x000000002fffffff] persistent (type 7)"));
	assert_true(capture_has_line(&c, "0x10000000-0x1fffffff Soft Reserved"));
	assert_true(capture_has_line(&c, "0x20000000-0x2fffffff Persistent Memory"));
	free_pipeline(m);
	capture_reset(&c);
	m = run_pipeline(&r.map, "efi=nosoftreserve", &c);
	assert_true(capture_has_line(&c, "BIOS-e820: [mem 0x0000000000100000-0x000000001fffffff] usable"));
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

static void option_words(void **state)
{
	struct capture c;
	struct options o;
	const char *end;
	char words[64];

	(void)state;
	capture_init(&c);
	assert_int_equal(memparse("3G", &end), 3ULL << 30);
	assert_int_equal(memparse("0x1000", &end), 0x1000);
	assert_int_equal(memparse("010", &end), 8);
	assert_int_equal(memparse("512k", &end), 512 << 10);
	assert_int_equal(memparse("1T", &end), 1ULL << 40);
	assert_int_equal(memparse("2E", &end), 2ULL << 60);
	assert_int_equal(memparse("12x", &end), 12);
	assert_string_equal(end, "x");
	assert_int_equal(memparse("G", &end), 0);

	options_init(&o);
	options_parse(&o, "# config\n efi=debug,nosoftreserve\tpoweroff # trailing\n"
			  "mem=2G bogus numa=fake=x memblock=foo,debug efi=noruntime\n");
	assert_int_equal(c.len, 0);	/* messages wait for the report */
	options_print_messages(&o, &c.log);
	assert_true(o.efi_debug);
	assert_false(o.soft_reserve);
	assert_true(o.poweroff);
	assert_false(o.help);
	/* Linux's early parameters, in order: mem= waits for its handler, the others are parsed. */
	assert_int_equal(o.nr_early, 4);
	assert_string_equal(o.early[0].word, "efi=debug,nosoftreserve");
	assert_string_equal(o.early[1].word, "mem=2G");
	assert_int_equal(o.early[1].name_len, 3);
	assert_string_equal(o.early[2].word, "memblock=foo,debug");
	assert_string_equal(o.early[3].word, "efi=noruntime");
	assert_int_equal(o.nr_errors, 2);
	assert_true(capture_has_line(&c, "memprobe: error: unknown option 'bogus' ignored (see --help)"));
	assert_true(capture_has_line(&c, "memprobe: error: numa=fake= takes N, <size>M/G or NU, not 'x'; ignored"));
	assert_true(o.memblock_debug);
	assert_true(capture_has_line(&c, "memprobe: warning: efi=noruntime is not modelled by memprobe; ignored"));
	assert_int_equal(options_words(words, sizeof(words), &(struct option_source){ NULL, "# x\n a  b\n#c\nd" }, 1), 3);
	assert_string_equal(words, "a b d");
	assert_int_equal(options_words(words, sizeof(words), &(struct option_source){ NULL, NULL }, 1), 0);
	assert_string_equal(words, "");

	capture_reset(&c);
	options_init(&o);
	options_parse(&o, "--help");
	assert_true(o.help);
	options_print_help(&c.log);
	assert_true(capture_has_line(&c, "usage: memprobe.efi [OPTION]..."));
	capture_free(&c);
}

/* Config files below the command line: same-key words overridden, messages with file and line. */
static void option_sources(void **state)
{
	struct capture c;
	struct options o;
	char words[256];
	const struct option_source src[] = {
		{ "\\memprobe.cfg", "mem=1G efi=debug\n" },
		{ "\\memprobe\\memprobe.conf", "# all defaults\n"
						   "numa=off   # later: numa=fake= on the command line\n"
						   "bogus\n"
						   "mem=3G gbpages\n"
						   "\x01binary\xff\n"
						   "kernel_addr=17M\r\n" },
		{ NULL, "numa=fake=2 nogbpages mem=2G" },
	};

	(void)state;
	capture_init(&c);
	options_init(&o);
	options_parse_sources(&o, src, 3);
	options_print_messages(&o, &c.log);
	/* mem= and numa= of the files give way; the command line's apply. */
	assert_int_equal(o.nr_early, 4);
	assert_string_equal(o.early[0].word, "efi=debug");
	assert_string_equal(o.early[1].word, "numa=fake=2");
	assert_string_equal(o.early[2].word, "nogbpages");
	assert_string_equal(o.early[3].word, "mem=2G");
	assert_false(o.numa_off);
	assert_int_equal(o.numa_fake.form, NUMA_FAKE_NODES);
	assert_int_equal(o.numa_fake.n, 2);
	assert_true(o.nogbpages);		/* gbpages and nogbpages share a key */
	assert_true(o.efi_debug);		/* the old file still counts where nothing overrides it */
	assert_true(capture_has_line(&c, "memprobe: \\memprobe\\memprobe.conf:3: error: unknown option 'bogus' "
					 "ignored (see --help)"));
	assert_true(capture_has_line(&c, "memprobe: \\memprobe\\memprobe.conf:5: error: the line is not text "
					 "(a byte below 0x20 or above 0x7e); ignored"));
	assert_true(capture_has_line(&c, "memprobe: \\memprobe\\memprobe.conf:6: error: kernel_addr= needs a "
					 "2 MiB-aligned address from 16 MiB (where the EFI stub puts the kernel at the "
					 "lowest) below 4 PiB, not '17M'; ignored"));
	assert_int_equal(o.nr_errors, 3);
	assert_int_equal(options_words(words, sizeof(words), src, 3), 6);
	assert_string_equal(words, "efi=debug bogus kernel_addr=17M numa=fake=2 nogbpages mem=2G");
	capture_free(&c);
}

/*
 * Layering by key, in one pass: the table's options give way to a stronger
 * source's word of their key, wherever it stands; a word the table does not
 * know has no key and is reported in each place it stands.
 */
static void option_layering(void **state)
{
	struct capture c;
	struct options o;
	char words[256];
	const struct option_source src[] = {
		{ "a.conf", "frob=1 mem=1G\nnuma=fake=2 gbpages\n" },
		{ "b.conf", "frob=1\nnuma=off\n" },
		{ NULL, "nogbpages frob=2" },
	};

	(void)state;
	capture_init(&c);
	options_init(&o);
	options_parse_sources(&o, src, 3);
	options_print_messages(&o, &c.log);
	assert_true(capture_has_line(&c, "memprobe: a.conf:1: error: unknown option 'frob=1' ignored (see --help)"));
	assert_true(capture_has_line(&c, "memprobe: b.conf:1: error: unknown option 'frob=1' ignored (see --help)"));
	assert_true(capture_has_line(&c, "memprobe: error: unknown option 'frob=2' ignored (see --help)"));
	assert_int_equal(o.nr_errors, 3);
	assert_true(o.numa_off);		/* b.conf's numa= over a.conf's */
	assert_int_equal(o.numa_fake.form, NUMA_FAKE_NONE);
	assert_true(o.nogbpages);
	assert_int_equal(options_words(words, sizeof(words), src, 3), 6);
	assert_string_equal(words, "frob=1 mem=1G frob=1 numa=off nogbpages frob=2");
	capture_free(&c);
}

/* memprobe's own numbers never wrap: a value that does not fit, or that Linux would not have, is an error. */
static void options_do_not_wrap(void **state)
{
	static const char *const bad[] = { "ramdisk=0-0xffffffffffffffff", "ramdisk=-5", "ramdisk=0-0",
					   "ramdisk=0x1000-0x10000000000000000", "kernel_addr=0", "kernel_addr=16E",
					   "kernel_addr=0x10000000000000000", "node_data_size=0x10000000000000001",
					   "node_data_size=hello" };
	struct capture c;
	struct options o;

	(void)state;
	capture_init(&c);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		capture_reset(&c);
		options_init(&o);
		options_parse(&o, bad[i]);
		options_print_messages(&o, &c.log);
		assert_int_equal(o.nr_errors, 1);
		assert_non_null(strstr(c.text, strchr(bad[i], '=') + 1));	/* the value named */
		assert_int_equal(o.ramdisk_last, 0);
		assert_int_equal(o.kernel_addr, 0);
	}
	options_init(&o);
	options_parse(&o, "ramdisk=0x1000-0x1fff kernel_addr=16M node_data_size=0x5000");
	assert_int_equal(o.nr_errors, 0);
	assert_int_equal(o.ramdisk_last, 0x1fff);
	assert_int_equal(o.kernel_addr, 16 << 20);
	assert_int_equal(o.pgdat_size, 0x5000);
	capture_free(&c);
}

/*
 * ramdisk=: the initrd reserved as early_reserve_initrd does, to the end of its
 * last page, and moved by reserve_initrd when the direct map does not cover it.
 */
static void ramdisk_option(void **state)
{
	struct capture c;
	struct rawmap r;
	struct machine *m;

	(void)state;
	capture_init(&c);
	ovmf_like_map(&r);
	m = run_pipeline(&r.map, "ramdisk=0x100000000-0x100123456 memblock=debug ramdisk=5-4", &c);
	assert_true(capture_has_line(&c, "memprobe: error: ramdisk= takes FIRST-LAST, the initrd's bytes as Linux's "
					 "'RAMDISK: [mem FIRST-LAST]' line shows them (not at address 0, which is no "
					 "initrd to Linux, and below 4 PiB), not '5-4'; ignored"));
	/* reserved before memblock=debug is parsed: Linux prints no memblock line for it */
	assert_int_equal(capture_count_prefix(&c, "memblock_reserve: [0x0000000100000000"), 0);
	assert_true(memblock_is_region_reserved(&m->memblock, 0x100000000ULL, 0x124000));
	assert_true(capture_has_line(&c, "memprobe: initrd at [mem 0x100000000-0x100123fff] reserved (ramdisk=)"));
	/* reserve_initrd(): mapped by init_mem_mapping, so it stays */
	assert_true(capture_has_line(&c, "RAMDISK: [mem 0x100000000-0x100123fff]"));
	assert_int_equal(capture_count_prefix(&c, "Allocated new RAMDISK: "), 0);
	free_pipeline(m);

	/* above mem=: not in the direct map, so Linux copies it below max_pfn_mapped and frees the old place */
	capture_reset(&c);
	m = run_pipeline(&r.map, "mem=2G ramdisk=0x100000000-0x100123456 memblock=debug", &c);
	{
		char *line = capture_lines_with_prefix(&c, "Move RAMDISK from ");
		unsigned long long to = 0, to_end = 0;

		assert_non_null(line);
		assert_int_equal(sscanf(line, "Move RAMDISK from [mem 0x100000000-0x100123456] to [mem %llx-%llx]", &to,
					&to_end), 2);
		assert_true(to % 4096 == 0 && to_end == to + 0x123456 && to_end < 2ULL << 30);
		assert_true(memblock_is_region_reserved(&m->memblock, to, 0x123457));
		free(line);
	}
	assert_int_equal(capture_count_prefix(&c, "Allocated new RAMDISK: [mem 0x"), 1);
	assert_int_equal(capture_count_prefix(&c, "memblock_phys_alloc_range: 1196032 bytes align=0x1000 "
						  "from=0x0000000000000000 max_addr=0x0000000080000000 setup_arch"), 1);
	assert_true(capture_has_line(&c, "memblock_phys_free: [0x0000000100000000-0x0000000100123fff] setup_arch"));
	assert_false(memblock_is_region_reserved(&m->memblock, 0x100000000ULL, 0x124000));
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

/* start_kernel's two copies of the command line: cmdline_bytes=, else memprobe's own command line. */
static void cmdline_bytes_option(void **state)
{
	static const char *const request = "memblock_alloc_try_nid: %u bytes align=0x40 nid=-1 from=0x0000000000000000 "
					   "max_addr=0x0000000000000000 start_kernel";
	const char *own = "memblock=debug cmdline_bytes=0 cmdline_bytes=2049 cmdline_bytes=9x";
	char line[200];
	struct capture c;
	struct rawmap r;
	struct machine *m;

	(void)state;
	capture_init(&c);
	ovmf_like_map(&r);
	m = run_pipeline(&r.map, "memblock=debug cmdline_bytes=107", &c);
	snprintf(line, sizeof(line), request, 107);
	assert_int_equal(capture_count_prefix(&c, line), 2);
	assert_int_equal(capture_count_prefix(&c, "memprobe: the Linux command line is taken"), 0);
	free_pipeline(m);

	capture_reset(&c);
	m = run_pipeline(&r.map, own, &c);
	assert_true(capture_has_line(&c, "memprobe: error: cmdline_bytes= takes a length from 1 to 2048, not '0'; ignored"));
	assert_true(capture_has_line(&c, "memprobe: error: cmdline_bytes= takes a length from 1 to 2048, not '2049'; "
					 "ignored"));
	assert_true(capture_has_line(&c, "memprobe: error: cmdline_bytes= takes a length from 1 to 2048, not '9x'; ignored"));
	snprintf(line, sizeof(line), request, (unsigned)strlen(own) + 1);
	assert_int_equal(capture_count_prefix(&c, line), 2);
	snprintf(line, sizeof(line), "memprobe: the Linux command line is taken as memprobe's own (%u bytes with its NUL); "
				     "cmdline_bytes= gives Linux's", (unsigned)strlen(own) + 1);
	assert_true(capture_has_line(&c, line));
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

/* A defect is recorded where it is found: the printed line, with its table, kind and offset. */
static void defect_lines(void **state)
{
	struct defects d = { .nr = 0 };
	struct capture c;
	struct mp_log log;
	struct mp_findings f = { 0 };

	(void)state;
	capture_init(&c);
	log = c.log;
	fw_bug(&log, "SLIT", "locality-count", 36,
	       "memprobe: [Firmware Bug]: SLIT at offset 36: locality count %u needs %u bytes\n", 2, 40);
	assert_true(capture_has_line(&c, "memprobe: [Firmware Bug]: SLIT at offset 36: locality count 2 needs 40 bytes"));
	assert_int_equal(d.nr, 0);	/* a log without a list only prints */
	log.defects = &d;
	fw_bug(&log, "SLIT", "locality-count", 36,
	       "memprobe: [Firmware Bug]: SLIT at offset 36: locality count %u needs %u bytes\n", 2, 40);
	fw_bug(&log, "EFI", "overlap", FW_BUG_NO_OFFSET,
	       "memprobe: [Firmware Bug]: EFI descriptors 1 and 2 overlap at 0x1000\n");
	assert_int_equal(d.nr, 2);
	assert_string_equal(d.d[0].table, "SLIT");
	assert_string_equal(d.d[0].kind, "locality-count");
	assert_true(d.d[0].has_offset);
	assert_int_equal(d.d[0].offset, 36);
	assert_string_equal(d.d[0].text, "memprobe: [Firmware Bug]: SLIT at offset 36: locality count 2 needs 40 bytes");
	assert_string_equal(d.d[1].table, "EFI");
	assert_false(d.d[1].has_offset);
	assert_int_equal(capture_count_prefix(&c, "memprobe: [Firmware Bug]: "), 3);
	/* the closing line of a kind shown by examples is a defect too; none when all were shown */
	for (int i = 0; i < MP_EXAMPLES; i++)
		mp_finding(&f);
	fw_bug_more(&log, "SRAT", "overlap", &f, "SRAT: ranges that overlap");
	assert_int_equal(d.nr, 2);
	mp_finding(&f);
	fw_bug_more(&log, "SRAT", "overlap", &f, "SRAT: ranges that overlap");
	assert_int_equal(d.nr, 3);
	assert_string_equal(d.d[2].text, "memprobe: [Firmware Bug]: SRAT: ranges that overlap: 1 more not listed (4 in all)");
	for (int i = 0; i < DEFECTS_MAX; i++)
		fw_bug(&log, "EFI", "overlap", FW_BUG_NO_OFFSET, "memprobe: [Firmware Bug]: EFI %d\n", i);
	assert_int_equal(d.nr, DEFECTS_MAX);
	assert_int_equal(d.dropped, 3);
	capture_free(&c);
}

/* report.json of the OVMF-shaped machine: the facts the text shows, in their JSON places. */
static void json_report(void **state)
{
	struct capture c, j;
	struct rawmap r;
	struct machine *m;

	(void)state;
	capture_init(&c);
	capture_init(&j);
	ovmf_like_map(&r);
	m = run_pipeline(&r.map, "efi=debug mem=3G", &c);
	report_json(m, &j.log);
	assert_true(capture_has_line(&j, "{"));
	assert_true(capture_has_line(&j, "}"));
	assert_true(capture_has_line(&j, "    \"words\": \"efi=debug mem=3G\","));
	assert_true(capture_has_line(&j, "    \"secure_boot\": \"unknown\""));
	assert_true(capture_has_line(&j, "  \"max_pfn\": \"0xbff3f\","));
	assert_true(capture_has_line(&j, "    \"levels\": 4,"));
	assert_true(capture_has_line(&j, "  \"timing_us\": null"));
	/* Usable ranges: 4 in the firmware's table (BIOS-e820), 3 left in the final one by mem=3G. */
	assert_int_equal(capture_count_prefix(&j, "        \"type\": \"usable\""), 4 + 3);
	assert_true(capture_has_line(&c, "BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable"));
	assert_true(capture_has_line(&j, "        \"start\": \"0x100000000\","));
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
	capture_free(&j);
}

/* The shell's first word is the program; an option in its place is kept. */
static void shell_program_name(void **state)
{
	(void)state;
	assert_string_equal(options_skip_program_name("fs0:\\EFI\\BOOT\\BOOTX64.EFI efi=debug"),
			    " efi=debug");
	assert_string_equal(options_skip_program_name("  memprobe poweroff"), " poweroff");
	assert_string_equal(options_skip_program_name("MEMPROBE.EFI"), "");
	assert_string_equal(options_skip_program_name("efi=debug poweroff"), "efi=debug poweroff");
	assert_string_equal(options_skip_program_name("poweroff efi=debug"), "poweroff efi=debug");
	assert_string_equal(options_skip_program_name("mem=1.5G"), "mem=1.5G");
	assert_string_equal(options_skip_program_name(""), "");
}

/* A clock only the report's sink moves, by 1 us a write: the stages take no time, output all of it. */
struct sink_clock {
	struct capture c;
	struct mp_log log;
	uint64_t ns;
	unsigned writes, writes_before_timing;
};

static void clocked_write(void *ctx, const char *text, size_t len)
{
	struct sink_clock *s = ctx;

	if (!strncmp(text, "memprobe: analysis took", 23))
		s->writes_before_timing = s->writes;
	s->c.log.write(s->c.log.ctx, text, len);
	s->writes++;
	s->ns += 1000;
}

static uint64_t sink_clock_now(void *ctx)
{
	return ((struct sink_clock *)ctx)->ns;
}

static void timing_line(void **state)
{
	struct sink_clock s = { .writes = 0 };
	struct fw_inputs fw = { .frontend = "host test" };
	struct machine *m = malloc(sizeof(*m));
	struct rawmap r;
	char want[160];

	(void)state;
	capture_init(&s.c);
	s.log = (struct mp_log){ .write = clocked_write, .ctx = &s };
	ovmf_like_map(&r);
	fw.memmap = r.map;
	fw.clock = (struct mp_clock){ sink_clock_now, &s };
	machine_init(m, &fw, NULL, &(const struct sinks){ &s.log, NULL }, &host_heap);
	memprobe_run(m);
	assert_true(s.writes_before_timing > 50);
	snprintf(want, sizeof(want), "memprobe: analysis took %u us (e820 0, memblock 0, acpi 0, numa 0, "
		 "zones 0, late 0, output %u)", s.writes_before_timing, s.writes_before_timing);
	assert_true(capture_has_line(&s.c, want));

	/* Without a clock there is no timing line (the other tests' reports). */
	capture_reset(&s.c);
	machine_release(m);
	fw.clock.now_ns = NULL;
	machine_init(m, &fw, NULL, &(const struct sinks){ &s.c.log, NULL }, &host_heap);
	memprobe_run(m);
	assert_int_equal(capture_count_prefix(&s.c, "memprobe: analysis took"), 0);
	machine_release(m);
	free(m);
	rawmap_free(&r);
	capture_free(&s.c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_report),
		cmocka_unit_test(timing_line),
		cmocka_unit_test(mem_option),
		cmocka_unit_test(soft_reserved),
		cmocka_unit_test(option_words),
		cmocka_unit_test(option_sources),
		cmocka_unit_test(option_layering),
		cmocka_unit_test(options_do_not_wrap),
		cmocka_unit_test(ramdisk_option),
		cmocka_unit_test(cmdline_bytes_option),
		cmocka_unit_test(defect_lines),
		cmocka_unit_test(json_report),
		cmocka_unit_test(shell_program_name),
	};

	return cmocka_run_group_tests_name("pipeline", tests, NULL, NULL);
}
