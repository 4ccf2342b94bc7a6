/* SPDX-License-Identifier: MIT */
/* Helpers shared by the host tests: a log that captures lines, and a raw
 * EFI memory map builder. */
#ifndef MEMPROBE_TEST_FIXTURES_H
#define MEMPROBE_TEST_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "memprobe/pipeline.h"

struct capture {
	struct mp_log log;
	char *text;
	size_t len, cap;
};

void capture_init(struct capture *c);
void capture_reset(struct capture *c);
void capture_free(struct capture *c);
bool capture_has_line(const struct capture *c, const char *line);
size_t capture_count_prefix(const struct capture *c, const char *prefix);
/* The lines starting with prefix, joined with '\n' (caller frees). */
char *capture_lines_with_prefix(const struct capture *c, const char *prefix);

/* A raw memory map with a chosen descriptor stride; padding bytes are 0xa5. */
struct rawmap {
	uint8_t *bytes;
	size_t nr, cap;
	uint64_t desc_size;
	struct efi_memmap map;
};

void rawmap_init(struct rawmap *r, uint64_t desc_size);
void rawmap_add(struct rawmap *r, uint32_t type, uint64_t phys, uint64_t pages, uint64_t attr);
void rawmap_free(struct rawmap *r);

/* Run the whole pipeline on a map with options; output goes to c. */
struct machine *run_pipeline(const struct efi_memmap *map, const char *options, struct capture *c);
/* The same on a CPU with these CPUID facts (NULL: the core's assumed CPU). */
struct machine *run_pipeline_cpu(const struct efi_memmap *map, const char *options,
				 const struct cpu_facts *cpu, struct capture *c);
/* The same with every CPU's records; the facts come from the first (cpu is then unused). */
struct machine *run_pipeline_cpus(const struct efi_memmap *map, const char *options, const struct cpu_facts *cpu,
				  const struct cpu_records *cpus, struct capture *c);
void free_pipeline(struct machine *m);

#endif
