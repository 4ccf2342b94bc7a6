// SPDX-License-Identifier: MIT
/*
 * The RSDP -> XSDT/RSDT walk and every table parser over a fuzzed physical
 * memory image: the first 2 bytes place the RSDP in the image, the rest is
 * memory at 0xe0000.
 */
#include "fuzz.h"

#define BASE 0xe0000ULL

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image im;
	struct fw_inputs fw = { .frontend = "fuzz" };

	if (size < 2)
		return 0;
	im.bytes = data + 2;
	im.size = size - 2;
	fw.acpi.map = image_map;
	fw.acpi.ctx = &im;
	fw.acpi.rsdp20 = BASE + (uint64_t)(data[0] | data[1] << 8);
	fuzz_run(&fw, 0);
	return 0;
}
