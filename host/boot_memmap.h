/* SPDX-License-Identifier: MIT */
/* The EFI memory map a boot's log shows (efi=debug), as the firmware's bytes. */
#ifndef MEMPROBE_HOST_BOOT_MEMMAP_H
#define MEMPROBE_HOST_BOOT_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

#include "memprobe/x86/efimap.h"

struct boot_memmap {
	uint8_t *bytes;			/* NULL: none taken */
	struct efi_memmap map;		/* over bytes */
	uint32_t nr;
};

enum boot_memmap_result {
	BOOT_MEMMAP_NONE,		/* the log has no efi=debug listing */
	BOOT_MEMMAP_TAKEN,
	BOOT_MEMMAP_UNUSABLE,		/* a listing, but not one to rebuild the map from: why says */
};

enum boot_memmap_result boot_memmap_from_log(const char *text, const struct efi_memmap *run,
					     struct boot_memmap *out, char *why, size_t why_size);
void boot_memmap_free(struct boot_memmap *b);

#endif
