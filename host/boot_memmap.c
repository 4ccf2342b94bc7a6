// SPDX-License-Identifier: MIT
/*
 * The boot's own EFI memory map, rebuilt from efi=debug's first listing
 * (efi_init's efi_print_memmap).  It differs from the run's map where the
 * firmware's boot services and the loaders allocated differently (the EFI
 * stub's kernel, initrd and setup_data, memprobe's own image); a
 * prediction from it places what lands around boot-services memory as the
 * boot did.  Each line is taken only if formatting it again gives the line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_memmap.h"
#include "replay_lex.h"

/* A log's listing has one line per descriptor; a map of more is not a firmware's. */
#define BOOT_MEMMAP_MAX_DESC 65536

/* One "efi: memNN: [...] range=[0x...-0x...] (NMB)" line, or false when it is not one of index @index. */
static bool parse_listing_line(const char *line, uint32_t index, struct efi_md *md)
{
	char typeattr[EFI_MD_TYPEATTR_BUF], again[160];
	unsigned long long first, last, mb;
	unsigned idx;
	int at = 0;
	const char *range;
	size_t n;

	if (sscanf(line, "efi: mem%u: %n", &idx, &at) != 1 || !at || idx != index)
		return false;
	range = strstr(line + at, " range=[");
	if (!range)
		return false;
	n = (size_t)(range - (line + at));
	if (n >= sizeof(typeattr))
		return false;
	memcpy(typeattr, line + at, n);
	typeattr[n] = '\0';
	memset(md, 0, sizeof(*md));
	if (!efi_md_typeattr_parse(typeattr, md))
		return false;
	if (sscanf(range + 1, "range=[0x%llx-0x%llx] (%lluMB)", &first, &last, &mb) != 3 || first > last ||
	    (first & 0xfff) || (last & 0xfff) != 0xfff)
		return false;
	md->phys_addr = first;
	md->num_pages = ((last - first) >> 12) + 1;
	snprintf(again, sizeof(again), "efi: mem%02u: %s range=[0x%016llx-0x%016llx] (%lluMB)", index, typeattr,
		 first, last, (unsigned long long)(md->num_pages >> 8));
	return !strcmp(again, line);
}

static void say(char *why, size_t size, const char *what)
{
	snprintf(why, size, "%s", what);
}

/**
 * boot_memmap_from_log() - the map efi=debug lists at the start of a boot's log
 * @text: the log
 * @run: the run's map, for the stride and version the firmware uses
 * @out: the rebuilt map, to free with boot_memmap_free()
 * @why: for BOOT_MEMMAP_UNUSABLE, what is wrong with the listing
 *
 * The listing is the lines "efi: mem00:" to the first line that does not
 * continue it; every line must be exactly what Linux prints for one
 * descriptor.  A boot whose map had invalid descriptors lists only the
 * others, so the map cannot be rebuilt from it.
 *
 * Return: whether a map was taken, and if not, whether there was a listing.
 */
enum boot_memmap_result boot_memmap_from_log(const char *text, const struct efi_memmap *run,
					     struct boot_memmap *out, char *why, size_t why_size)
{
	uint64_t stride = run->map && run->desc_size >= EFI_MEMORY_DESC_MIN_SIZE ? run->desc_size : 48;
	size_t cap = 0;
	bool in_listing = false;
	char line[1024];

	memset(out, 0, sizeof(*out));
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		struct efi_md md;

		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), p);
		p += n + (p[n] == '\n');
		replay_normalize(line);
		if (!strcmp(line, "efi: [Firmware Bug]: Invalid EFI memory map entries:")) {
			say(why, why_size, "the boot's map had invalid descriptors, which efi=debug does not list");
			goto unusable;
		}
		if (!in_listing && !out->nr && strncmp(line, "efi: mem00: ", 12))
			continue;
		if (in_listing && strncmp(line, "efi: mem", 8))
			break;
		in_listing = true;
		if (!parse_listing_line(line, out->nr, &md)) {
			snprintf(why, why_size, "its line for mem%02u is not one Linux prints: '%.80s'", out->nr, line);
			goto unusable;
		}
		if (out->nr == BOOT_MEMMAP_MAX_DESC) {
			say(why, why_size, "its listing has more than 65536 descriptors");
			goto unusable;
		}
		if (out->nr == cap) {
			uint8_t *bigger;

			cap = cap ? 2 * cap : 64;
			bigger = realloc(out->bytes, cap * stride);
			if (!bigger) {
				say(why, why_size, "no memory for its map");
				goto unusable;
			}
			out->bytes = bigger;
		}
		memset(out->bytes + out->nr * stride, 0, stride);
		efi_memmap_desc_store(out->bytes + out->nr * stride, &md);
		out->nr++;
	}
	if (!out->nr)
		return BOOT_MEMMAP_NONE;
	out->map.map = out->bytes;
	out->map.map_size = out->nr * stride;
	out->map.desc_size = stride;
	out->map.desc_version = run->map ? run->desc_version : 1;
	return BOOT_MEMMAP_TAKEN;
unusable:
	boot_memmap_free(out);
	return BOOT_MEMMAP_UNUSABLE;
}

void boot_memmap_free(struct boot_memmap *b)
{
	free(b->bytes);
	memset(b, 0, sizeof(*b));
}
