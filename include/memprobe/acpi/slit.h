/* SPDX-License-Identifier: MIT */
/* The SLIT: its locality matrix, Linux's validity check (acpi_parse_slit), the node view. */
#ifndef MEMPROBE_ACPI_SLIT_H
#define MEMPROBE_ACPI_SLIT_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/acpi/tables.h"

#define SLIT_MAX_LOCALITIES 1024
#define SLIT_MATRIX_OFFSET (ACPI_HEADER_SIZE + 8)
#define LOCAL_DISTANCE 10
#define REMOTE_DISTANCE 20

struct slit_info {
	bool present, valid;
	uint32_t localities;		/* capped at SLIT_MAX_LOCALITIES */
	const uint8_t *matrix;		/* localities x localities, row-major by PXM */
};

void acpi_parse_slit(struct slit_info *slit, const struct acpi_tables *at, const struct acpi_table *t,
		     struct mp_log *log);
bool slit_entry_valid(const struct slit_info *slit, uint32_t from, uint32_t to);
struct srat_info;
void slit_print_node_distances(const struct slit_info *slit, const struct srat_info *s,
			       struct mp_log *log);

#endif
