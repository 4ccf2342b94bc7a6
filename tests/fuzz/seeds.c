// SPDX-License-Identifier: MIT
/*
 * Writes the fuzz targets' built seeds into tests/fuzz/corpus/ (run by
 * `make fuzz-seeds`; the files are kept in the repository): ACPI tables
 * made with the unit tests' builder, an OVMF-shaped memory map, memblock
 * operation bytes.  Seeds from real data (QEMU's saved tables, a Linux
 * boot log) are copied by the Makefile rule itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpibuild.h"

#define BASE 0xe0000ULL
#define GB (1ULL << 30)
#define WB (EFI_ATTR_UC | EFI_ATTR_WC | EFI_ATTR_WT | EFI_ATTR_WB)

static void write_file(const char *dir, const char *name, const void *a, size_t na,
		       const void *b, size_t nb)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(a, 1, na, f) != na || (nb && fwrite(b, 1, nb, f) != nb) || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* Two nodes, four CPUs, a SLIT and a MADT with NMIs, at 0xe0000 upwards. */
static void numa_tables(struct world *w)
{
	static const uint8_t slit[8 + 4] = { 2, 0, 0, 0, 0, 0, 0, 0, 10, 21, 21, 10 };
	uint8_t madt[8 + 4 * 8 + 6 + 12] = { 0 }, *p;
	uint64_t tables[3] = { 0xe1000, 0xe2000, 0xe3000 };
	struct sbuf s;

	srat_header(&s, 1);
	for (uint32_t cpu = 0; cpu < 4; cpu++)
		srat_cpu(&s, cpu / 2, (uint8_t)cpu, 1);
	srat_mem(&s, 0, 0, 0xa0000, 1);
	srat_mem(&s, 0, 0x100000, 2 * GB - 0x100000, 1);
	srat_mem(&s, 1, 2 * GB, GB, 1);
	srat_mem(&s, 1, 4 * GB, GB, 1 | 2);
	srat_x2apic(&s, 1, 0x100, 1);
	add_table(w, tables[0], "SRAT", 3, s.b, s.n);
	add_table(w, tables[1], "SLIT", 1, slit, sizeof(slit));
	put32(madt, 0xfee00000);
	put32(madt + 4, 1);
	p = madt + 8;
	for (int i = 0; i < 4; i++, p += 8)
		p[0] = 0, p[1] = 8, p[2] = (uint8_t)i, p[3] = (uint8_t)i, put32(p + 4, 1);
	p[0] = 4, p[1] = 6, p[2] = 0xff, p[5] = 1, p += 6;
	p[0] = 10, p[1] = 12, put32(p + 4, 0xffffffff), p[8] = 1;
	add_table(w, tables[2], "APIC", 5, madt, sizeof(madt));
	add_root(w, 0xe0100, true, tables, 3);
	add_rsdp(w, 0xe0000, 2, 0, 0xe0100);
}

/* The world's tables as one physical image at BASE, RSDP offset first. */
static void memory_image(const char *dir, struct world *w)
{
	static uint8_t image[0x4000];
	uint8_t rsdp_at[2] = { 0, 0 };
	size_t end = 0;

	for (unsigned i = 0; i < w->nr; i++) {
		memcpy(image + (w->b[i].phys - BASE), w->b[i].bytes, w->b[i].len);
		if (w->b[i].phys - BASE + w->b[i].len > end)
			end = w->b[i].phys - BASE + w->b[i].len;
	}
	write_file(dir, "acpi_memory/numa-tables", rsdp_at, 2, image, end);
}

/* The same tables back to back, as the listed-table target cuts them. */
static void listed(const char *dir, struct world *w)
{
	static uint8_t all[0x4000];
	size_t n = 0;

	for (unsigned i = 0; i < w->nr; i++)
		if (memcmp(w->b[i].bytes, "RSD PTR ", 8)) {
			memcpy(all + n, w->b[i].bytes, w->b[i].len);
			n += w->b[i].len;
		}
	write_file(dir, "acpi_listed/numa-tables", all, n, NULL, 0);
}

/*
 * q35's MCFG and an SMBIOS 2.8 entry point with a type-0 structure dated
 * 02/06/2015, as one image at 0x7f000000: RSDP offset, SMBIOS offset, flags.
 */
static void firmware_tables(const char *dir)
{
	static struct world w;
	static uint8_t image[0x3000];
	static const uint64_t tables[1] = { 0x7f001000 };
	uint8_t mcfg[8 + 16] = { 0 }, head[5] = { 0, 0, 0x00, 0x20, 0 }, *e = image + 0x2000, *t = image + 0x2100;
	size_t end = 0;
	uint32_t n = 0x18;

	mcfg[8 + 3] = 0xb0;	/* base 0xb0000000 */
	mcfg[8 + 11] = 0xff;	/* buses 00-ff */
	add_table(&w, tables[0], "MCFG", 1, mcfg, sizeof(mcfg));
	add_root(&w, 0x7f000100, true, tables, 1);
	add_rsdp(&w, 0x7f000000, 2, 0, 0x7f000100);
	for (unsigned i = 0; i < w.nr; i++) {
		memcpy(image + (w.b[i].phys - 0x7f000000), w.b[i].bytes, w.b[i].len);
		if (w.b[i].phys - 0x7f000000 + w.b[i].len > end)
			end = w.b[i].phys - 0x7f000000 + w.b[i].len;
	}
	t[1] = 0x18, t[4] = 1, t[5] = 2, t[8] = 3;
	n += (uint32_t)sprintf((char *)t + n, "EFI Development Kit II") + 1;
	n += (uint32_t)sprintf((char *)t + n, "0.0.0") + 1;
	n += (uint32_t)sprintf((char *)t + n, "02/06/2015") + 2;
	t[n] = 127, t[n + 1] = 4, n += 6;
	memcpy(e, "_SM_", 4);
	e[5] = 0x1f, e[6] = 2, e[7] = 8;
	memcpy(e + 16, "_DMI_", 5);
	e[0x16] = (uint8_t)n;
	put32(e + 0x18, 0x7f002100);
	e[0x1c] = 2;
	fix_checksum(e + 16, 15, 5);
	fix_checksum(e, 0x1f, 4);
	end = 0x2100 + n;
	write_file(dir, "firmware_tables/q35-mcfg-smbios", head, sizeof(head), image, end);
}

/* An OVMF-shaped map on a pc with 4 GiB, with 48-byte descriptors and each option set. */
static void efimap(const char *dir)
{
	struct rawmap r;

	rawmap_init(&r, 48);
	rawmap_add(&r, EFI_BOOT_SERVICES_CODE, 0x0, 1, WB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x1000, 0x9f, WB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x100000, 0x700, WB);
	rawmap_add(&r, EFI_ACPI_MEMORY_NVS, 0x800000, 0x8, WB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x808000, 0xbf737, WB);
	rawmap_add(&r, EFI_BOOT_SERVICES_DATA, 0xbff3f000, 0x21, WB);
	rawmap_add(&r, EFI_RUNTIME_SERVICES_DATA, 0xbff60000, 0x20, WB | EFI_ATTR_RUNTIME);
	rawmap_add(&r, EFI_ACPI_MEMORY_NVS, 0xbff80000, 0x80, WB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x100000000ULL, 0x40000, WB);
	rawmap_add(&r, EFI_MEMORY_MAPPED_IO, 0xffe00000, 0x200, EFI_ATTR_UC | EFI_ATTR_RUNTIME);
	for (uint8_t set = 0; set < 8; set++) {
		uint8_t first = (uint8_t)(0x80 | set << 3);
		char name[32];

		snprintf(name, sizeof(name), "efimap/ovmf-pc-4G-%u", set);
		write_file(dir, name, &first, 1, r.map.map, r.map.map_size);
	}
	rawmap_free(&r);
}

/* Operation bytes for the memblock model, from a fixed generator. */
static void memblock_ops(const char *dir)
{
	uint8_t bytes[1200];
	uint32_t x = 12345;

	for (int f = 0; f < 4; f++) {
		char name[32];

		for (size_t i = 0; i < sizeof(bytes); i++) {
			x = x * 1103515245u + 12345u;
			bytes[i] = (uint8_t)(x >> 16);
		}
		snprintf(name, sizeof(name), "memblock/ops-%d", f);
		write_file(dir, name, bytes, sizeof(bytes) / (size_t)(f + 1), NULL, 0);
	}
}

int main(int argc, char **argv)
{
	static struct world w;

	if (argc != 2) {
		fprintf(stderr, "usage: seeds CORPUS-DIR\n");
		return 2;
	}
	numa_tables(&w);
	memory_image(argv[1], &w);
	listed(argv[1], &w);
	efimap(argv[1]);
	memblock_ops(argv[1]);
	firmware_tables(argv[1]);
	return 0;
}
