/* SPDX-License-Identifier: MIT */
/*
 * ACPI tables: finding them (RSDP, XSDT/RSDT, FADT's DSDT and FACS),
 * printing them as Linux does, and the bounds-checked access every parser
 * goes through.
 */
#ifndef MEMPROBE_ACPI_TABLES_H
#define MEMPROBE_ACPI_TABLES_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/lib/printk.h"

#define ACPI_MAX_TABLES 128
#define ACPI_TABLE_MAX_LENGTH (16u << 20)	/* anything longer is taken as corrupt */
#define ACPI_HEADER_SIZE 36

/* One table as found: bytes are valid for length bytes. */
struct acpi_table {
	char sig[5];
	uint64_t phys;
	uint32_t length;
	const uint8_t *bytes;
};

/*
 * How the core reads physical memory: map returns a pointer valid for len
 * bytes, or NULL when [phys, phys + len) cannot be read (outside the
 * firmware's memory map, or not in a dump).
 */
struct acpi_access {
	const uint8_t *(*map)(void *ctx, uint64_t phys, uint64_t len);
	void *ctx;
	const char *source;	/* what map() serves when not the firmware's memory map ("the dump") */
	uint64_t rsdp20;	/* from the EFI configuration table, 0 if absent */
	uint64_t rsdp10;
	/* Without an RSDP (a dump of /sys/firmware/acpi/tables): the tables themselves. */
	const struct acpi_table *listed;
	unsigned nr_listed;
};

/* Where Linux reads past a table's end: the bytes read, so a run folder can keep them. */
#define ACPI_MAX_OVERREADS 8

struct acpi_overreads {
	unsigned nr;
	struct {
		char sig[5];
		uint64_t phys;
		uint32_t length;	/* bytes read from the table's start */
	} r[ACPI_MAX_OVERREADS];
};

struct acpi_tables {
	const struct acpi_access *access;	/* how they were read: bytes after a table too */
	struct acpi_overreads *overreads;	/* where reads past an end are noted, or NULL */
	uint64_t rsdp_phys;
	const uint8_t *rsdp;
	uint32_t rsdp_length;
	struct acpi_table root;		/* the XSDT, or the RSDT */
	bool use_xsdt;
	unsigned nr;
	struct acpi_table t[ACPI_MAX_TABLES];	/* in Linux's install order */
	unsigned problems;		/* [Firmware Bug] lines printed */
};

/* A byte that refuses to pass the table's end (false, *v unchanged). */
bool acpi_get8(const struct acpi_table *t, uint32_t off, uint8_t *v);
/* Little-endian reads as values: 0 past the table's end. */
uint8_t acpi_u8(const struct acpi_table *t, uint32_t off);
uint16_t acpi_u16(const struct acpi_table *t, uint32_t off);
uint32_t acpi_u32(const struct acpi_table *t, uint32_t off);
uint64_t acpi_u64(const struct acpi_table *t, uint32_t off);

void acpi_tables_load(struct acpi_tables *at, const struct acpi_access *access, struct mp_log *log);
const struct acpi_table *acpi_get_table(const struct acpi_tables *at, const char *sig,
					unsigned instance);
const struct acpi_table *acpi_find_table(const struct acpi_tables *at, const char *sig);
bool acpi_read_past_end(const struct acpi_tables *at, const struct acpi_table *t, uint32_t len,
			struct acpi_table *view);
void acpi_print_reservations(const struct acpi_tables *at, struct mp_log *log);

#endif
