/* SPDX-License-Identifier: MIT */
/* ACPI tables built in tests and served as physical memory (like QEMU's builder). */
#ifndef MEMPROBE_TEST_ACPIBUILD_H
#define MEMPROBE_TEST_ACPIBUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "fixtures.h"

#define MAX_BLOBS 32

struct blob {
	uint64_t phys;
	uint8_t *bytes;
	uint32_t len;
};

struct world {
	struct blob b[MAX_BLOBS];
	unsigned nr;
	struct fw_inputs fw;
	struct machine *m;
	struct capture c;
};

struct sbuf {
	uint8_t b[4096];
	uint32_t n;
};

const uint8_t *world_map(void *ctx, uint64_t phys, uint64_t len);
void put32(uint8_t *p, uint32_t v);
void put64(uint8_t *p, uint64_t v);
void fix_checksum(uint8_t *t, uint32_t len, uint32_t at);
uint8_t *add_table(struct world *w, uint64_t phys, const char *sig, uint8_t rev, const void *body,
		   uint32_t body_len);
void add_raw(struct world *w, uint64_t phys, const void *bytes, uint32_t len);
void add_rsdp(struct world *w, uint64_t phys, uint8_t rev, uint32_t rsdt, uint64_t xsdt);
void add_root(struct world *w, uint64_t phys, bool xsdt, const uint64_t *addrs, unsigned n);
int world_setup(void **state);
int world_teardown(void **state);

void srat_header(struct sbuf *s, uint32_t reserved1);
void srat_cpu(struct sbuf *s, uint32_t pxm, uint8_t apic, uint32_t flags);
void srat_mem(struct sbuf *s, uint32_t pxm, uint64_t base, uint64_t len, uint32_t flags);
void srat_x2apic(struct sbuf *s, uint32_t pxm, uint32_t apic, uint32_t flags);
void srat_raw(struct sbuf *s, uint8_t type, uint8_t len);

#endif
