// SPDX-License-Identifier: MIT
/*
 * What must not change while memprobe leaves boot services and builds its
 * tables: ACPI tables and NVS, runtime code and data, and memprobe's own
 * code, hashed before ExitBootServices, after it, and after the build.
 */
#include "after_exit.h"

#include "memprobe/lib/util.h"

/* The start and end of memprobe's code, from the gnu-efi linker script. */
extern char _text[], _etext[];

/**
 * hashed_choose() - the regions to hash, from the memory map about to be final
 * @h: set
 * @map: the descriptors
 * @map_size: their bytes
 * @desc_size: one descriptor's size
 *
 * Never memory-mapped I/O, and never reserved ranges: on real boards
 * reading some of them hangs the machine.
 */
void hashed_choose(struct hashed_regions *h, const uint8_t *map, UINTN map_size, UINTN desc_size)
{
	h->nr = 0;
	for (UINTN off = 0; desc_size && off + desc_size <= map_size && h->nr < MAX_HASHED - 1; off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const EFI_MEMORY_DESCRIPTOR *)(map + off);

		if (d->Type == EfiACPIReclaimMemory || d->Type == EfiACPIMemoryNVS ||
		    d->Type == EfiRuntimeServicesCode || d->Type == EfiRuntimeServicesData)
			h->r[h->nr++] = (struct hashed_region){ .base = d->PhysicalStart,
								.size = d->NumberOfPages << PAGE_SHIFT };
	}
	h->r[h->nr++] = (struct hashed_region){ .base = (uintptr_t)_text, .size = (uint64_t)(_etext - _text) };
}

static uint64_t *moment(struct hashed_region *r, enum hash_moment when)
{
	return when == HASH_BEFORE_EXIT ? &r->before_exit : when == HASH_AFTER_EXIT ? &r->after_exit
										    : &r->after_build;
}

/* Every region's hash, kept as the hash at that moment. */
void hashed_measure(struct hashed_regions *h, enum hash_moment when)
{
	for (unsigned i = 0; i < h->nr; i++)
		*moment(&h->r[i], when) = mp_fnv1a64(MP_FNV1A64_INIT, (const void *)(uintptr_t)h->r[i].base,
						      h->r[i].size);
}

/* Return: how many regions changed between two moments. */
unsigned hashed_changed(const struct hashed_regions *h, enum hash_moment from, enum hash_moment to)
{
	unsigned n = 0;

	for (unsigned i = 0; i < h->nr; i++) {
		struct hashed_region r = h->r[i];

		n += *moment(&r, from) != *moment(&r, to);
	}
	return n;
}
