/* SPDX-License-Identifier: MIT */
/*
 * Firmware defects, recorded where they are found: fw_bug() prints the
 * report's "[Firmware Bug]" line and, when the log keeps defects, records
 * the table, the kind, the offset and that line for programs (report.json).
 */
#ifndef MEMPROBE_LIB_DEFECTS_H
#define MEMPROBE_LIB_DEFECTS_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/lib/printk.h"

#define DEFECTS_MAX 64
#define FW_BUG_NO_OFFSET (-1)

struct defect {
	char table[8];		/* "SRAT", "SLIT", "MADT", "ACPI" (the RSDP and root tables), "EFI" */
	char kind[24];		/* what is wrong: "checksum", "length", "overlap", ... */
	bool has_offset;
	uint32_t offset;	/* byte offset in the table */
	char text[MP_LINE_MAX];	/* the report's line, without its newline */
};

struct defects {
	unsigned nr;
	unsigned dropped;	/* lines past DEFECTS_MAX, counted only */
	struct defect d[DEFECTS_MAX];
};

void fw_bug(struct mp_log *log, const char *table, const char *kind, int64_t offset, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void fw_bug_more(struct mp_log *log, const char *table, const char *kind, const struct mp_findings *f,
		 const char *what);

#endif
