/* SPDX-License-Identifier: MIT */
#ifndef MEMPROBE_HOST_READFILE_H
#define MEMPROBE_HOST_READFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The most the host tool reads of each kind of input; past it, the file is named and refused. */
#define READ_MAX_LOG (256u << 20)		/* a kernel log: a 1,024-node memblock=debug boot is ~40 MiB */
#define READ_MAX_ACPI_DUMP (64u << 20)		/* acpi.txt, acpidump's text: tables in hex, ~4.5 bytes a byte */
#define READ_MAX_ACPI_TABLE (16u << 20)		/* one table of /sys/firmware/acpi/tables */
#define READ_MAX_CPU_FILE (16u << 20)		/* cpu.txt: 1,024 CPUs' records are ~9 MiB */
#define READ_MAX_TEXT_FILE (1u << 20)		/* firmware.txt, ioapic.txt, a file of /sys or /proc */

#define LOG_LINE_MAX 65536	/* a kernel log's lines are at most 1,024 bytes; longer ones are cut */

char *read_file(const char *path, size_t *len, size_t max);
FILE *open_stream(const char *path);
bool read_line(FILE *in, char *line, size_t size, size_t *total, size_t max);
void too_big(const char *path, size_t max);
char *read_log(const char *path, size_t *len);

#endif
