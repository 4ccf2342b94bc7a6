/* SPDX-License-Identifier: MIT */
/*
 * The files of a run folder (\memprobe\runs\NNNN\) other than the report
 * and the ACPI dump: memmap.bin (the raw EFI memory map), cpu.txt (the CPU
 * facts) and firmware.txt (the firmware's identity, the options as given,
 * the front end's notes).  memprobe.efi writes them; memprobe analyze
 * reads them back and runs the same analysis.
 */
#ifndef MEMPROBE_RUNFILE_H
#define MEMPROBE_RUNFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memprobe/machine.h"

#define MEMMAP_FILE_MAGIC "MPEFIMAP"

/* memmap.bin's header, little-endian; the map's bytes follow it. */
struct memmap_file_header {
	char magic[8];			/* MEMMAP_FILE_MAGIC */
	uint32_t header_size;		/* sizeof(struct memmap_file_header): 48 */
	uint32_t desc_version;		/* as GetMemoryMap returned them */
	uint64_t desc_size;
	uint64_t map_size;
	char version[16];		/* memprobe's version, NUL-padded */
};

/* The largest map memprobe takes: ~350,000 descriptors of 48 bytes, where firmware's maps hold hundreds. */
#define MEMMAP_MAP_MAX (16u << 20)
#define MEMMAP_FILE_MAX (sizeof(struct memmap_file_header) + MEMMAP_MAP_MAX)

/* A reader's verdict: why a file cannot be used, or "" when it can. */
struct runfile_error {
	char text[160];
};

void memmap_file_header_init(struct memmap_file_header *h, const struct efi_memmap *map);
bool memmap_file_read(const uint8_t *buf, size_t len, struct efi_memmap *map, struct runfile_error *err);

void cpu_facts_write(const struct cpu_facts *cpu, struct mp_log *out);
void cpu_records_write(const struct cpu_records *cpus, struct mp_log *out);
bool cpu_facts_read(char *text, struct cpu_facts *cpu, struct cpu_records *cpus, unsigned cap,
		    struct runfile_error *err);

void ioapic_reads_write(const struct ioapic_reads *r, struct mp_log *out);
bool ioapic_reads_read(char *text, struct ioapic_reads *r, struct runfile_error *err);

void run_facts_write(const struct fw_inputs *fw, struct mp_log *out);
bool run_facts_read(char *text, struct fw_inputs *fw, struct runfile_error *err);

#endif
