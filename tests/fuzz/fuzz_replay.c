// SPDX-License-Identifier: MIT
/*
 * The host tool's boot-log readers on a fuzzed boot log: memprobe replay's
 * reader and driver, and compare's rebuilding of the boot's EFI memory map
 * from efi=debug's listing (then walked as the pipeline walks a map).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_memmap.h"
#include "fuzz.h"
#include "replay.h"

static void rebuild_boot_map(const uint8_t *data, size_t size)
{
	static const uint8_t stride48[48];
	const struct efi_memmap run = { stride48, sizeof(stride48), sizeof(stride48), 1 };
	struct mp_log log = { .write = fuzz_discard, .ctx = NULL };
	char *text = malloc(size + 1), why[256];
	struct boot_memmap b;

	if (!text)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	if (boot_memmap_from_log(text, &run, &b, why, sizeof(why)) == BOOT_MEMMAP_TAKEN) {
		if (efi_memmap_nr_desc(&b.map) != b.nr)
			abort();
		efi_print_memmap(&log, &b.map);
	}
	boot_memmap_free(&b);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in = fmemopen((void *)data, size, "r"), *out = fopen("/dev/null", "w");

	if (in && out && size)
		replay_log(in, out, "fuzz");
	if (in)
		fclose(in);
	if (out)
		fclose(out);
	rebuild_boot_map(data, size);
	return 0;
}
