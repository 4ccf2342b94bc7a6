/* SPDX-License-Identifier: MIT */
/* MADT: the CPUs (local APIC and x2APIC entries), IO APICs and interrupt overrides. */
#ifndef MEMPROBE_ACPI_MADT_H
#define MEMPROBE_ACPI_MADT_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/acpi/srat.h"
#include "memprobe/acpi/tables.h"

#define MADT_MAX_CPUS 8192	/* Debian's NR_CPUS */

struct madt_cpu {
	uint32_t apic_id;
	uint32_t uid;
	bool enabled, online_capable, x2apic;
};

struct madt_info {
	bool present;
	uint32_t lapic_address, flags;
	unsigned nr_cpus, dropped_cpus;
	struct madt_cpu cpus[MADT_MAX_CPUS];
	unsigned nr_ioapics;
	bool lapic_ok, ioapic_ok;	/* Linux's acpi_lapic and acpi_ioapic */
	unsigned problems;
};

#define MADT_MAX_IOAPIC_ENTRIES 128	/* Linux walks this many (MAX_IO_APICS) */

/* What the stages above do with the MADT's entries as Linux's walk reaches them. */
struct madt_handlers {
	/* the CPU entries, in the MADT's order, once they are all read (Linux counts them) */
	void (*cpus)(void *ctx, const struct madt_info *m);
	/* each IO APIC entry, in the MADT's order (Linux: mp_register_ioapic) */
	void (*ioapic)(void *ctx, uint8_t id, uint32_t address, uint32_t gsi_base, uint32_t offset);
	void *ctx;
	bool warn_past_max;	/* 6.12: "[APIC:0x01] ignored N entries of M found"; 6.1: silent */
	bool skip_ioapic;	/* noapic (or maxcpus=0): no IO APIC entry is read */
};

int check_multiple_madt(const struct acpi_tables *at, int instance, struct mp_log *log);
void madt_parse(struct madt_info *m, const struct acpi_tables *at, int instance,
		const struct madt_handlers *h, struct mp_log *log);
void madt_cross_check(const struct madt_info *m, const struct srat_info *s, struct mp_log *log);

#endif
