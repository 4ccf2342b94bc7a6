/* SPDX-License-Identifier: MIT */
/*
 * The pieces of the exit_boot_services option, one file each: COM1
 * (serial.c), the GOP screen and the firmware's font (gop.c), the paging
 * switch (paging_switch.c), the hashed regions (integrity.c) and the lines
 * kept for the next run (kept_lines.c).  exit_boot.c runs them in order.
 */
#ifndef MEMPROBE_EFI_AFTER_EXIT_H
#define MEMPROBE_EFI_AFTER_EXIT_H

#include "efi-frontend.h"

#include "memprobe/lib/fbcon.h"

/* serial.c: a 16550 at COM1, written by polling (no firmware after ExitBootServices). */
bool com1_present(void);
void com1_write(const char *text, size_t len);

/* gop.c: the GOP framebuffer and the firmware's font, read before ExitBootServices. */
struct gop_screen {
	uint64_t fb_base, fb_size;	/* the GOP framebuffer, if any */
	unsigned width, height, stride;	/* pixels; width 0: no 32-bit linear framebuffer */
	struct mp_font font;
};

void gop_prepare(struct gop_screen *g, bool fail, struct mp_log *log);

/* paging_switch.c: CR3, and the switch between 4- and 5-level paging. */
#define MAX_GDT_ENTRIES 64

struct paging_switch {
	uint64_t gdt[MAX_GDT_ENTRIES];	/* the firmware's, plus a 32-bit code and a data segment */
};

unsigned paging_levels_now(void);
unsigned paging_levels_to_load(const struct machine *m, struct mp_log *log);
bool paging_load(struct paging_switch *ps, uint64_t root, unsigned levels, struct mp_log *log);

/* integrity.c: what must not change, hashed before and after. */
#define MAX_HASHED 512

struct hashed_region {
	uint64_t base, size;
	uint64_t before_exit, after_exit, after_build;
};

enum hash_moment { HASH_BEFORE_EXIT, HASH_AFTER_EXIT, HASH_AFTER_BUILD };

struct hashed_regions {
	unsigned nr;
	struct hashed_region r[MAX_HASHED];
};

void hashed_choose(struct hashed_regions *h, const uint8_t *map, UINTN map_size, UINTN desc_size);
void hashed_measure(struct hashed_regions *h, enum hash_moment when);
unsigned hashed_changed(const struct hashed_regions *h, enum hash_moment from, enum hash_moment to);

/* kept_lines.c: the lines after ExitBootServices, kept in a variable for the next run. */
bool kept_lines_save(const char *text, size_t len, EFI_STATUS *status);

#endif
