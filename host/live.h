/* SPDX-License-Identifier: MIT */
/* memprobe analyze --live: the inputs of a running Linux machine (or a copy of its /sys and /proc). */
#ifndef MEMPROBE_HOST_LIVE_H
#define MEMPROBE_HOST_LIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "memprobe/machine.h"

#define LIVE_MAX_TABLES 256

/* A table the kernel's log places: "ACPI: SRAT 0x00000000BF777000 000110 ...". */
struct live_address {
	char sig[5];
	uint64_t phys;
	uint32_t length;
};

struct live_inputs {
	char root[2048];		/* "" for the machine itself */
	struct fw_inputs fw;
	uint8_t *map;			/* the EFI map rebuilt from /sys/firmware/memmap */
	char notes[4096];
	size_t notes_len;
	struct cpu_record *cpu_records;	/* fw.cpus.cpu: every online CPU, through /dev/cpu */
	unsigned cpu_reads_failed;
	char cmdline[4096];		/* the modelled words of /proc/cmdline */
	unsigned nr_tables, nr_kmsg;
	char *names[LIVE_MAX_TABLES];
	uint8_t *bytes[LIVE_MAX_TABLES];
	size_t lengths[LIVE_MAX_TABLES];
	struct acpi_table listed[LIVE_MAX_TABLES];
	struct live_address kmsg[LIVE_MAX_TABLES];
};

bool live_load(struct live_inputs *in);
void live_free(struct live_inputs *in);
int live_args(int argc, char **argv, struct live_inputs *in, const char *command);

#endif
