/* SPDX-License-Identifier: MIT */
/*
 * memprobe's own FWTS-style checks of the NUMA tables: reserved fields,
 * lengths, flag bits, duplicate and overlapping ranges, SLIT entries.
 * Each kind of defect is reported with a count and a few examples.
 */
#ifndef MEMPROBE_ACPI_CHECKS_H
#define MEMPROBE_ACPI_CHECKS_H

#include "memprobe/acpi/slit.h"
#include "memprobe/acpi/srat.h"
#include "memprobe/acpi/tables.h"

unsigned srat_validate(const struct acpi_table *srat, const struct srat_info *s, struct mp_log *log);
void slit_validate(const struct slit_info *slit, struct mp_log *log);

#endif
