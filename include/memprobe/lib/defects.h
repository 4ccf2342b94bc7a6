/* SPDX-License-Identifier: MIT */
/*
 * The firmware defects a run found, for programs (report.json): every
 * "[Firmware Bug]" line of the report, with the table it names and the
 * offset in it when the line gives one.
 */
#ifndef MEMPROBE_LIB_DEFECTS_H
#define MEMPROBE_LIB_DEFECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEFECTS_MAX 64

struct defect {
	char table[8];		/* "SRAT", "SLIT", "MADT", "ACPI", "EFI", ... */
	bool has_offset;
	uint32_t offset;	/* byte offset in the table */
	char text[256];		/* the report's line, without its newline */
};

struct defects {
	unsigned nr;
	unsigned dropped;	/* lines past DEFECTS_MAX, counted only */
	struct defect d[DEFECTS_MAX];
};

void defects_note_line(struct defects *d, const char *line, size_t len);

#endif
