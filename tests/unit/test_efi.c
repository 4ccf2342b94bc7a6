// SPDX-License-Identifier: MIT
/*
 * What Linux takes from the EFI configuration tables and the PCI option
 * ROMs (core/x86/efi.c), on a built machine: the "efi:" line, the memory
 * attributes table, the setup_data nodes of the option ROMs, the ESRT,
 * the MOKvar table and the boot logo, each with Linux's lines and
 * reservations, under 6.1 and 6.12.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "acpibuild.h"
#include "memprobe/report/json.h"

#define MB (1ULL << 20)
#define GB (1ULL << 30)
#define WB EFI_ATTR_WB

#define BS_DATA 0x7e000000ULL		/* a 1 MiB boot-services data region the tables sit in */
#define RT_DATA 0x7f000000ULL		/* a 64 KiB runtime data region */
#define LOGO (BS_DATA + 0x18)		/* where a pool allocation starts: page + 0x18 */
#define LOGO_SIZE 0x8fe6		/* a BMP's file size: its pages are 0x7e000000-0x7e008fff */

static const uint8_t guid_acpi20[16] = { 0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
					  0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 };
static const uint8_t guid_smbios[16] = { 0x31, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
					  0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d };
static const uint8_t guid_memattr[16] = { 0x1d, 0x91, 0xfa, 0xdc, 0xeb, 0x26, 0x9f, 0x46,
					   0xa2, 0x20, 0x38, 0xb7, 0xdc, 0x46, 0x12, 0x20 };
static const uint8_t guid_esrt[16] = { 0x63, 0xa2, 0x22, 0xb1, 0x61, 0x36, 0x68, 0x4f,
					0x99, 0x29, 0x78, 0xf8, 0xb0, 0xd6, 0x21, 0x80 };
static const uint8_t guid_mokvar[16] = { 0x2b, 0xed, 0x51, 0xc4, 0x94, 0x96, 0xd3, 0x45,
					  0xba, 0xba, 0xed, 0x9f, 0x89, 0x88, 0xa3, 0x89 };
static const uint8_t guid_rci2[16] = { 0xa2, 0x28, 0x9f, 0x2d, 0x86, 0xa8, 0x6a, 0x45,
					0x97, 0xa8, 0xf1, 0x1e, 0xf2, 0x4f, 0xf4, 0x55 };
static const uint8_t guid_memreserve[16] = { 0xc6, 0xb0, 0x8e, 0x88, 0xde, 0x8e, 0xf5, 0x4f,
					      0xa8, 0xf0, 0x9a, 0xee, 0x5c, 0xb9, 0x77, 0xc2 };
static const uint8_t guid_tpm_final[16] = { 0x96, 0xd0, 0x2e, 0x1e, 0xe2, 0x30, 0x54, 0x42,
					     0xbd, 0x89, 0x86, 0x3b, 0xbe, 0xf8, 0x23, 0x25 };
static const uint8_t guid_unaccepted[16] = { 0x3c, 0xde, 0xd1, 0xd5, 0x5c, 0x10, 0xf9, 0x44,
					      0x9e, 0xa9, 0xbc, 0xef, 0x98, 0x12, 0x00, 0x31 };

/* RAM with a boot-services data and a runtime data region, the ACPI tables at 0xfff00000. */
static void efi_map(struct rawmap *r)
{
	rawmap_init(r, 48);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, 0, 0xa0, WB);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, MB, (BS_DATA - MB) >> 12, WB);
	rawmap_add(r, EFI_BOOT_SERVICES_DATA, BS_DATA, MB >> 12, WB);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, BS_DATA + MB, (RT_DATA - BS_DATA - MB) >> 12, WB);
	rawmap_add(r, EFI_RUNTIME_SERVICES_DATA, RT_DATA, 0x10, WB | EFI_ATTR_RUNTIME);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, RT_DATA + 0x10000, (2 * GB - RT_DATA - 0x10000) >> 12, WB);
	rawmap_add(r, EFI_ACPI_RECLAIM_MEMORY, 0xfff00000, 0x10, WB);
}

static void config(struct world *w, const uint8_t *guid, uint64_t table)
{
	struct efi_config_table *t = &w->fw.efi.config[w->fw.efi.nr_config++];

	memcpy(t->guid, guid, 16);
	t->table = table;
}

/* The boot logo's BGRT (version, image type, address) in the ACPI tables, and its BMP header. */
static void bgrt(struct world *w, uint16_t version, uint8_t type, uint64_t image, const char *magic)
{
	static const uint64_t tables[1] = { 0xfff01000 };
	uint8_t body[20] = { 0 }, bmp[6];

	body[0] = (uint8_t)version;
	body[2] = 1;	/* status: displayed */
	body[3] = type;
	put64(body + 4, image);
	add_table(w, tables[0], "BGRT", 1, body, sizeof(body));
	add_root(w, 0xfff00100, true, tables, 1);
	add_rsdp(w, 0xfff00000, 2, 0, 0xfff00100);
	memcpy(bmp, magic, 2);
	put32(bmp + 2, LOGO_SIZE);
	add_raw(w, image, bmp, sizeof(bmp));
}

static struct machine *run(struct world *w, const struct rawmap *r, const char *options)
{
	struct machine *m = malloc(sizeof(*m));

	w->fw.uefi_revision = 2 << 16 | 70;
	strcpy(w->fw.fw_vendor, "EDK II");
	w->fw.memmap = r->map;
	w->fw.cmdline = options;
	capture_reset(&w->c);
	machine_init(m, &w->fw, NULL, &(const struct sinks){ &w->c.log, NULL }, &host_heap);
	memprobe_run(m);
	return m;
}

static void done(struct machine *m)
{
	machine_release(m);
	free(m);
}

/* Return: whether report.json of the machine holds the line (leading spaces included). */
static bool json_has(const struct machine *m, const char *line)
{
	struct capture j;
	bool found;

	capture_init(&j);
	report_json(m, &j.log);
	found = capture_has_line(&j, line);
	if (!found)
		fprintf(stderr, "missing JSON line: %s\n--- report.json:\n%s", line, j.text);
	capture_free(&j);
	return found;
}

static bool has(struct world *w, const char *line)
{
	if (capture_has_line(&w->c, line))
		return true;
	fprintf(stderr, "missing line: %s\n--- output:\n%s", line, w->c.text);
	return false;
}

/* The "efi:" line: the known tables in the firmware's order, each followed by a space. */
static void config_line(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;
	uint8_t memattr[16] = { 0 };

	efi_map(&r);
	put32(memattr, 1);	/* version */
	put32(memattr + 4, 3);	/* entries */
	put32(memattr + 8, 48);	/* descriptor size */
	add_raw(w, RT_DATA, memattr, sizeof(memattr));
	config(w, guid_smbios, 0x7f518000);
	config(w, guid_rci2, 0x7f519000);		/* known, but without a name: not printed */
	config(w, guid_acpi20, 0xfff00000);
	config(w, guid_memattr, RT_DATA);
	config(w, guid_unaccepted, 0x7f51a000);	/* a name only 6.12 knows */
	m = run(w, &r, "memblock=debug");
	assert_true(has(w, "efi: SMBIOS=0x7f518000 ACPI 2.0=0xfff00000 MEMATTR=0x7f000000 "));
	/* the memory attributes table is kept: 16 bytes and 3 descriptors of 48 */
	assert_true(has(w, "memblock_reserve: [0x000000007f000000-0x000000007f00009f] efi_memattr_init"));
	assert_int_equal(m->efi_reads.nr, 1);
	assert_string_equal(m->efi_reads.r[0].name, "matt");
	/* report.json: every table with its GUID, Linux's name only where Linux knows it */
	assert_true(json_has(m, "        \"guid\": \"eb9d2d31-2d88-11d3-9a16-0090273fc14d\","));
	assert_true(json_has(m, "        \"linux_name\": \"SMBIOS\""));
	assert_true(json_has(m, "        \"linux_name\": \"\""));	/* the unnamed one */
	assert_true(json_has(m, "        \"address\": \"0x7f51a000\""));	/* 6.1 does not know it: no name */
	done(m);
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: note: the firmware keeps a measured-boot"), 0);
	m = run(w, &r, "kernel=6.12");
	assert_true(has(w, "efi: SMBIOS=0x7f518000 ACPI 2.0=0xfff00000 MEMATTR=0x7f000000 Unaccepted=0x7f51a000 "));
	done(m);
	/* a TPM: Linux's reservations of its logs are named, not predicted */
	config(w, guid_tpm_final, 0x7f51b000);
	m = run(w, &r, "");
	assert_true(has(w, "efi: SMBIOS=0x7f518000 ACPI 2.0=0xfff00000 MEMATTR=0x7f000000 TPMFinalLog=0x7f51b000 "));
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: note: the firmware keeps a measured-boot event "
						     "log"), 1);
	done(m);
	w->fw.efi.nr_config--;

	/* a version Linux does not know: named, not kept */
	put32(w->b[0].bytes, 3);
	m = run(w, &r, "memblock=debug");
	assert_true(has(w, "efi: memattr: Unexpected EFI Memory Attributes table version 3"));
	assert_int_equal(capture_count_prefix(&w->c, "memblock_reserve: [0x000000007f000000"), 0);
	done(m);
	rawmap_free(&r);
}

/* One LINUX_EFI_MEMRESERVE link: size, count, next, then nr ranges (4 at most). */
static void memreserve_link(struct world *w, uint64_t at, int32_t size, int32_t count, uint64_t next,
			    const uint64_t *ranges, int nr)
{
	uint8_t link[16 + 4 * 16] = { 0 };

	put32(link, (uint32_t)size);
	put32(link + 4, (uint32_t)count);
	put64(link + 8, next);
	for (int i = 0; i < nr && i < 4; i++) {
		put64(link + 16 + 16 * i, ranges[2 * i]);
		put64(link + 24 + 16 * i, ranges[2 * i + 1]);
	}
	add_raw(w, at, link, sizeof(link));
}

/*
 * LINUX_EFI_MEMRESERVE, as a kexec'd kernel finds it: each link and each
 * range reserved in memblock; a list that loops (Linux hangs) and a count
 * past the page Linux maps are named, and the walk ends.
 */
static void memreserve(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;
	const uint64_t first[] = { 0x10000000, 0x2000, 0x20000000, 0x1000 }, second[] = { 0x30000000, 0x3000 };

	efi_map(&r);
	config(w, guid_memreserve, RT_DATA + 0x100);
	memreserve_link(w, RT_DATA + 0x100, 2, 2, RT_DATA + 0x200, first, 2);
	memreserve_link(w, RT_DATA + 0x200, 4, 1, 0, second, 1);
	m = run(w, &r, "memblock=debug");
	assert_true(has(w, "efi: MEMRESERVE=0x7f000100 "));
	assert_true(has(w, "memblock_reserve: [0x000000007f000100-0x000000007f00012f] efi_config_parse_tables"));
	assert_true(has(w, "memblock_reserve: [0x0000000010000000-0x0000000010001fff] efi_config_parse_tables"));
	assert_true(has(w, "memblock_reserve: [0x0000000020000000-0x0000000020000fff] efi_config_parse_tables"));
	assert_true(has(w, "memblock_reserve: [0x000000007f000200-0x000000007f00024f] efi_config_parse_tables"));
	assert_true(has(w, "memblock_reserve: [0x0000000030000000-0x0000000030002fff] efi_config_parse_tables"));
	assert_true(memblock_is_region_reserved(&m->memblock, 0x30001000, 1));
	done(m);

	/* the second link points back at the first: Linux walks it for ever */
	put64(w->b[1].bytes + 8, RT_DATA + 0x100);
	m = run(w, &r, "memblock=debug");
	assert_true(has(w, "memprobe: the LINUX_EFI_MEMRESERVE list comes back to 0x7f000100: Linux walks it for "
			   "ever and hangs in efi_config_parse_tables"));
	assert_int_equal(capture_count_prefix(&w->c, "memblock_reserve: [0x0000000010000000"), 1);
	done(m);

	/* a count that runs past the page Linux maps */
	memreserve_link(w, RT_DATA + 0xfd0, 1, 100, 0, second, 1);
	w->fw.efi.config[0].table = RT_DATA + 0xfd0;
	m = run(w, &r, "memblock=debug");
	assert_true(has(w, "memprobe: the LINUX_EFI_MEMRESERVE link at 0x7f000fd0 counts 100 entries, more than the "
			   "page Linux maps holds: Linux reads the rest from whatever lies beyond it, memprobe stops "
			   "at the page's end"));
	assert_true(has(w, "memblock_reserve: [0x0000000030000000-0x0000000030002fff] efi_config_parse_tables"));
	done(m);
	rawmap_free(&r);
}

/*
 * The PCI option ROMs: without the loader's addresses memprobe says what it
 * cannot place; with setup_data= each node becomes an e820 entry of its own
 * (6.1 prints each update twice), memblock gets one add line per piece, and
 * the nodes are reserved without a memblock=debug line (it is not parsed yet).
 */
static void option_roms(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;
	unsigned long regions;

	efi_map(&r);
	m = run(w, &r, "");
	regions = m->memblock.memory.cnt;
	done(m);
	w->fw.efi.roms_known = true;
	w->fw.efi.roms[w->fw.efi.nr_roms++] = (struct efi_pci_rom){ 0, 0, 2, 0, 0x1234, 0x1111, 0x9c00 };
	w->fw.efi.roms[w->fw.efi.nr_roms++] = (struct efi_pci_rom){ 0, 0, 3, 0, 0x8086, 0x100e, 0x3d000 };
	w->fw.efi.roms[w->fw.efi.nr_roms++] = (struct efi_pci_rom){ 0, 0, 4, 0, 0x1af4, 0x1000, 32u << 20 };
	m = run(w, &r, "memblock=debug");
	assert_true(has(w, "memprobe: note: Linux's EFI stub copies 2 PCI option ROMs into setup_data (40000 "
			   "bytes first); where is its loader's choice, so their e820 and memblock lines are not "
			   "predicted (setup_data= gives the addresses; memprobe compare takes them from the log)"));
	assert_int_equal(capture_count_prefix(&w->c, "reserve setup_data: "), 0);
	done(m);

	m = run(w, &r, "memblock=debug setup_data=0x7d000018,0x7d100018");
	assert_int_equal(capture_count_prefix(&w->c, "e820: update [mem 0x7d000018-0x7d009c57] usable ==> usable"), 2);
	assert_int_equal(capture_count_prefix(&w->c, "e820: update [mem 0x7d100018-0x7d13d057] usable ==> usable"), 2);
	assert_true(has(w, "reserve setup_data: [mem 0x000000007d000018-0x000000007d009c57] usable"));
	assert_true(has(w, "reserve setup_data: [mem 0x000000007d009c58-0x000000007d100017] usable"));
	assert_true(has(w, "memblock_add: [0x000000007d000018-0x000000007d009c57] e820__memblock_setup"));
	assert_int_equal(capture_count_prefix(&w->c, "memblock_reserve: [0x000000007d000018"), 0);
	assert_true(memblock_is_region_reserved(&m->memblock, 0x7d000018, 0x9c40));
	assert_int_equal(m->memblock.memory.cnt, regions);	/* memblock merges the pieces again */
	assert_true(json_has(m, "        \"location\": \"0000:00:03.0\","));
	assert_true(json_has(m, "        \"address\": \"0x7d100018\","));
	assert_true(json_has(m, "        \"size\": \"0x3d040\""));
	done(m);
	m = run(w, &r, "kernel=6.12 setup_data=0x7d000018,0x7d100018");
	assert_int_equal(capture_count_prefix(&w->c, "e820: update [mem 0x7d000018-0x7d009c57] usable ==> usable"), 1);
	done(m);
	m = run(w, &r, "setup_data=0x7d000018");
	assert_true(has(w, "memprobe: setup_data= gives 1 addresses for the 2 setup_data nodes memprobe predicts; "
			   "the addresses are used in order"));
	done(m);
	m = run(w, &r, "setup_data=0x7d000018,junk");
	assert_true(capture_count_prefix(&w->c, "memprobe: error: setup_data= takes up to 33 addresses") == 1);
	done(m);
	w->fw.efi.roms_known = false;
	m = run(w, &r, "");
	assert_true(has(w, "memprobe: note: the PCI option ROMs are not known here, so the setup_data nodes "
			   "Linux's EFI stub copies them into are not predicted"));
	done(m);
	rawmap_free(&r);
}

/* An ESRT in boot-services data: reserved, split off as runtime, e820 reserved; the rest still reserved. */
static void esrt(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;
	uint8_t table[16 + 2 * 40] = { 0 };

	efi_map(&r);
	put32(table, 2);		/* two entries */
	put32(table + 4, 2);
	put64(table + 8, 1);		/* version 1 */
	add_raw(w, BS_DATA + 0x40000, table, sizeof(table));
	config(w, guid_esrt, BS_DATA + 0x40000);
	m = run(w, &r, "memblock=debug");
	assert_true(has(w, "esrt: Reserving ESRT space from 0x000000007e040000 to 0x000000007e040060."));
	assert_true(has(w, "memblock_reserve: [0x000000007e040000-0x000000007e04005f] efi_mem_reserve"));
	/* a map of 7 + 2 descriptors of 48 bytes, below 1 MiB (the limit before init_mem_mapping) */
	assert_true(has(w, "memblock_phys_alloc_range: 432 bytes align=0x40 from=0x0000000000000000 "
			   "max_addr=0x0000000000000000 efi_memmap_alloc"));
	assert_true(has(w, "e820: update [mem 0x7e040000-0x7e040fff] usable ==> reserved"));
	/* efi_reserve_boot_services() reserves the pieces around it, not the whole region */
	assert_true(has(w, "memblock_reserve: [0x000000007e000000-0x000000007e03ffff] efi_reserve_boot_services"));
	assert_true(has(w, "memblock_reserve: [0x000000007e041000-0x000000007e0fffff] efi_reserve_boot_services"));
	done(m);

	/* in runtime data it is only named; a wrong version and too many entries are refused */
	w->fw.efi.config[0].table = RT_DATA;
	add_raw(w, RT_DATA, table, sizeof(table));
	m = run(w, &r, "memblock=debug");
	assert_true(has(w, "esrt: Reserving ESRT space from 0x000000007f000000 to 0x000000007f000060."));
	assert_int_equal(capture_count_prefix(&w->c, "memblock_reserve: [0x000000007f000000-"), 0);
	done(m);
	put64(w->b[1].bytes + 8, 2);
	m = run(w, &r, "");
	assert_true(has(w, "esrt: Unsupported ESRT version 2."));
	done(m);
	put64(w->b[1].bytes + 8, 1);
	put32(w->b[1].bytes, 129);
	m = run(w, &r, "");
	assert_true(has(w, "esrt: ESRT says fw_resource_count has very large value 129."));
	done(m);
	w->fw.efi.config[0].table = 0x7a000000;	/* conventional memory */
	m = run(w, &r, "");
	assert_true(has(w, "esrt: ESRT header is not in the memory map."));
	done(m);
	rawmap_free(&r);
}

/* The MOKvar table: entries up to a sentinel; kept in boot-services data; an odd sentinel refused. */
static void mokvar(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;
	uint8_t table[264 + 100 + 264] = { 0 };

	efi_map(&r);
	strcpy((char *)table, "MokListRT");
	put64(table + 256, 100);
	add_raw(w, BS_DATA + 0x80000, table, sizeof(table));
	config(w, guid_mokvar, BS_DATA + 0x80000);
	m = run(w, &r, "memblock=debug");
	assert_int_equal(capture_count_prefix(&w->c, "mokvar: "), 0);	/* silent when valid */
	assert_true(has(w, "memblock_reserve: [0x000000007e080000-0x000000007e080273] efi_mem_reserve"));
	assert_true(has(w, "e820: update [mem 0x7e080000-0x7e080fff] usable ==> reserved"));
	done(m);
	put64(w->b[0].bytes + 264 + 100 + 256, 1);	/* the sentinel with data */
	m = run(w, &r, "");
	assert_true(has(w, "mokvar: EFI MOKvar config table is not valid"));
	done(m);
	/* a data size that brings the walk back where it was: Linux loops for ever, memprobe says so */
	put64(w->b[0].bytes + 256, (uint64_t)-264);
	m = run(w, &r, "");
	assert_true(has(w, "memprobe: the MOKvar entry at 0x7e080000 says its data is 0xfffffffffffffef8 bytes: "
			   "Linux's walk comes back to where it was and never ends"));
	done(m);
	/* one that steps back to a sentinel before the table: a 0-byte reservation, kept finite */
	put64(w->b[0].bytes + 256, (uint64_t)-528);
	add_raw(w, BS_DATA + 0x80000 - 264, (uint8_t[264]){ 0 }, 264);
	m = run(w, &r, "memblock=debug");
	assert_int_equal(capture_count_prefix(&w->c, "mokvar: "), 0);
	assert_int_equal(m->nr_efi_kept, 0);
	done(m);
	rawmap_free(&r);
}

/*
 * The boot logo: kept in whole pages with its file size; each way Linux
 * refuses a BGRT named; bgrt= moves it to the page Linux's boot found it at.
 */
static void boot_logo(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;

	efi_map(&r);
	bgrt(w, 1, 0, LOGO, "BM");
	m = run(w, &r, "memblock=debug");
	assert_true(has(w, "e820: update [mem 0x7e000000-0x7e008fff] usable ==> reserved"));
	/* after init_mem_mapping the new map comes from the top of RAM */
	assert_true(has(w, "memblock_phys_alloc_range: 384 bytes align=0x40 from=0x0000000000000000 "
			   "max_addr=0x0000000000000000 efi_memmap_alloc"));
	assert_int_equal(capture_count_prefix(&w->c, "memblock_reserve: [0x000000007e000018"), 0);	/* already */
	assert_int_equal(m->efi_reads.nr, 1);
	assert_string_equal(m->efi_reads.r[0].name, "bgrt");
	done(m);
	/* moved by the firmware for Linux's boot: the same size at the same offset in the page */
	m = run(w, &r, "memblock=debug bgrt=0x7e300000");
	assert_true(has(w, "e820: update [mem 0x7e300000-0x7e308fff] usable ==> reserved"));
	assert_int_equal(capture_count_prefix(&w->c, "e820: update [mem 0x7e000000"), 0);
	assert_int_equal(capture_count_prefix(&w->c, "memblock_reserve: [0x000000007e300018-"), 1);
	done(m);
	m = run(w, &r, "bgrt=0x7e300018");
	assert_true(capture_count_prefix(&w->c, "memprobe: error: bgrt= takes the page where Linux kept") == 1);
	assert_true(has(w, "e820: update [mem 0x7e000000-0x7e008fff] usable ==> reserved"));
	done(m);

	w->b[0].bytes[36] = 2;	/* version 2 */
	fix_checksum(w->b[0].bytes, w->b[0].len, 9);
	m = run(w, &r, "");
	assert_true(has(w, "efi_bgrt: Ignoring BGRT: invalid version 2 (expected 1)"));
	done(m);
	w->b[0].bytes[36] = 0;	/* version 0 is taken as 1 */
	w->b[0].bytes[39] = 1;	/* not a BMP */
	fix_checksum(w->b[0].bytes, w->b[0].len, 9);
	m = run(w, &r, "");
	assert_true(has(w, "efi_bgrt: Ignoring BGRT: invalid image type 1 (expected 0)"));
	done(m);
	w->b[0].bytes[39] = 0;
	put64(w->b[0].bytes + 40, 0);
	fix_checksum(w->b[0].bytes, w->b[0].len, 9);
	m = run(w, &r, "");
	assert_true(has(w, "efi_bgrt: Ignoring BGRT: null image address"));
	done(m);
	put64(w->b[0].bytes + 40, RT_DATA);
	fix_checksum(w->b[0].bytes, w->b[0].len, 9);
	m = run(w, &r, "");
	assert_true(has(w, "efi_bgrt: Ignoring BGRT: invalid image address"));
	done(m);
	put64(w->b[0].bytes + 40, LOGO);
	fix_checksum(w->b[0].bytes, w->b[0].len, 9);
	w->b[w->nr - 1].bytes[0] = 'P';
	m = run(w, &r, "");
	assert_true(has(w, "efi_bgrt: Ignoring BGRT: Incorrect BMP magic number 0x4d50 (expected 0x4d42)"));
	done(m);
	rawmap_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(config_line, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(option_roms, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(memreserve, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(esrt, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(mokvar, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(boot_logo, world_setup, world_teardown),
	};

	return cmocka_run_group_tests_name("efi", tests, NULL, NULL);
}
