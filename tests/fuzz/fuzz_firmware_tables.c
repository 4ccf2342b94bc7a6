// SPDX-License-Identifier: MIT
/*
 * The tables the late stages read through the whole pipeline: the MCFG
 * (pci_mmcfg_early_init) and the SMBIOS entry point and structure table
 * (dmi_scan_machine), in a fuzzed physical image at 0x7f000000 on a fixed
 * q35-shaped memory map.  Bytes 0-1 place the RSDP in the image, 2-3 the
 * SMBIOS entry point; byte 4 bit 0 makes it the 3.0 one, bit 1 predicts
 * 6.12; the rest is the image.
 */
#include "fuzz.h"

#define BASE 0x7f000000ULL
#define IMAGE_PAGES 0x100ULL

struct image {
	const uint8_t *bytes;
	uint64_t size;
};

static const uint8_t *image_map(void *ctx, uint64_t phys, uint64_t len)
{
	const struct image *im = ctx;

	if (phys < BASE || phys - BASE > im->size || len > im->size - (phys - BASE))
		return NULL;
	return im->bytes + (phys - BASE);
}

/* A 40-byte descriptor: type, physical start, pages, attributes. */
static void desc(uint8_t *d, uint32_t type, uint64_t phys, uint64_t pages, uint64_t attr)
{
	for (int i = 0; i < 4; i++)
		d[i] = (uint8_t)(type >> (8 * i));
	for (int i = 0; i < 8; i++) {
		d[8 + i] = (uint8_t)(phys >> (8 * i));
		d[16 + i] = 0;
		d[24 + i] = (uint8_t)(pages >> (8 * i));
		d[32 + i] = (uint8_t)(attr >> (8 * i));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t smbios[16] = { 0x31, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
					    0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d };
	static const uint8_t smbios3[16] = { 0x44, 0x15, 0xfd, 0xf2, 0x94, 0x97, 0x2c, 0x4a,
					     0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94 };
	static uint8_t map[5 * 40];
	struct fw_inputs fw = { .frontend = "fuzz" };
	struct image im;

	if (size < 5)
		return 0;
	desc(map, 7, 0, 0xa0, 0xf);				/* conventional */
	desc(map + 40, 7, 0x100000, (BASE - 0x100000) >> 12, 0xf);
	desc(map + 80, 9, BASE, IMAGE_PAGES, 0xf);		/* ACPI reclaim: the image */
	desc(map + 120, 0, 0xb0000000, 0x10000, 0);		/* reserved: the ECAM */
	desc(map + 160, 7, 0x100000000ULL, 0x40000, 0xf);
	fw.memmap = (struct efi_memmap){ map, sizeof(map), 40, 1 };
	im.bytes = data + 5;
	im.size = size - 5;
	fw.acpi.map = image_map;
	fw.acpi.ctx = &im;
	fw.acpi.rsdp20 = BASE + (uint64_t)(data[0] | data[1] << 8);
	fw.efi.nr_config = 1;
	fw.efi.config[0].table = BASE + (uint64_t)(data[2] | data[3] << 8);
	for (int i = 0; i < 16; i++)
		fw.efi.config[0].guid[i] = data[4] & 1 ? smbios3[i] : smbios[i];
	fw.cmdline = data[4] & 2 ? "kernel=6.12" : "";
	fw.uefi_revision = 2 << 16 | 70;
	fuzz_run(&fw, 1);
	return 0;
}
