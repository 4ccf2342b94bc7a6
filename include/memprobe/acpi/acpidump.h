/* SPDX-License-Identifier: MIT */
/* ACPICA's acpidump text format: writing the tables memprobe found, and reading dumps back. */
#ifndef MEMPROBE_ACPI_ACPIDUMP_H
#define MEMPROBE_ACPI_ACPIDUMP_H

#include <stddef.h>
#include <stdint.h>

#include "memprobe/acpi/tables.h"

#define ACPIDUMP_MAX_TABLES 256

struct acpidump {
	unsigned nr;
	struct acpi_table t[ACPIDUMP_MAX_TABLES];
	uint8_t *buf;		/* the caller's storage for the table bytes */
	size_t buf_size, used;
};

int acpidump_parse(struct acpidump *d, const char *text, size_t len, struct mp_log *log);
void acpidump_write(const struct acpi_tables *at, struct mp_log *dump);
const uint8_t *acpidump_find(const struct acpidump *d, uint64_t phys, uint64_t len);
void acpidump_write_one(struct mp_log *dump, const char *sig, uint64_t phys, const uint8_t *p, uint32_t length);
void acpidump_write_overreads(const struct acpi_tables *at, struct mp_log *dump);
void acpidump_access(const struct acpidump *d, struct acpi_access *access);

#endif
