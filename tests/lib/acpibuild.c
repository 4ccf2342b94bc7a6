// SPDX-License-Identifier: MIT
/* ACPI tables built in tests and served as physical memory (like QEMU's builder). */
#include "acpibuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ----- a physical memory of tables -------------------------------------- */

const uint8_t *world_map(void *ctx, uint64_t phys, uint64_t len)
{
	struct world *w = ctx;

	for (unsigned i = 0; i < w->nr; i++)
		if (phys >= w->b[i].phys && len <= w->b[i].len && phys - w->b[i].phys <= w->b[i].len - len)
			return w->b[i].bytes + (phys - w->b[i].phys);
	return NULL;
}

void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

void fix_checksum(uint8_t *t, uint32_t len, uint32_t at)
{
	uint8_t sum = 0;

	t[at] = 0;
	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + t[i]);
	t[at] = (uint8_t)-sum;
}

/* A table at phys: header + body, with a correct checksum. */
uint8_t *add_table(struct world *w, uint64_t phys, const char *sig, uint8_t rev,
			  const void *body, uint32_t body_len)
{
	uint32_t len = 36 + body_len;
	uint8_t *t = calloc(1, len);

	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "MPROBE", 6);
	memcpy(t + 16, "TESTTABL", 8);
	put32(t + 24, 1);
	memcpy(t + 28, "MPRB", 4);
	put32(t + 32, 0x20250101);
	if (body)
		memcpy(t + 36, body, body_len);
	fix_checksum(t, len, 9);
	w->b[w->nr++] = (struct blob){ phys, t, len };
	return t;
}

void add_raw(struct world *w, uint64_t phys, const void *bytes, uint32_t len)
{
	uint8_t *t = malloc(len);

	memcpy(t, bytes, len);
	w->b[w->nr++] = (struct blob){ phys, t, len };
}

void add_rsdp(struct world *w, uint64_t phys, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	uint8_t r[36] = { 0 };

	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "MPROBE", 6);
	r[15] = rev;
	put32(r + 16, rsdt);
	put32(r + 20, 36);
	put64(r + 24, xsdt);
	fix_checksum(r, 20, 8);
	fix_checksum(r, 36, 32);
	add_raw(w, phys, r, rev >= 2 ? 36 : 20);
	w->fw.acpi.rsdp20 = phys;
}

/* An XSDT (or RSDT) listing addrs. */
void add_root(struct world *w, uint64_t phys, bool xsdt, const uint64_t *addrs, unsigned n)
{
	uint8_t body[8 * 16];

	for (unsigned i = 0; i < n; i++) {
		if (xsdt)
			put64(body + 8 * i, addrs[i]);
		else
			put32(body + 4 * i, (uint32_t)addrs[i]);
	}
	add_table(w, phys, xsdt ? "XSDT" : "RSDT", 1, body, n * (xsdt ? 8 : 4));
}

int world_setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	capture_init(&w->c);
	w->fw.frontend = "host test";
	w->fw.acpi.map = world_map;
	w->fw.acpi.ctx = w;
	w->m = malloc(sizeof(*w->m));
	*state = w;
	return 0;
}

int world_teardown(void **state)
{
	struct world *w = *state;

	for (unsigned i = 0; i < w->nr; i++)
		free(w->b[i].bytes);
	free(w->m);
	capture_free(&w->c);
	free(w);
	return 0;
}

/* ----- SRAT subtable builders ------------------------------------------- */

void srat_header(struct sbuf *s, uint32_t reserved1)
{
	memset(s, 0, sizeof(*s));
	put32(s->b, reserved1);	/* offset 36 of the table: body offset 0 */
	s->n = 12;
}

void srat_cpu(struct sbuf *s, uint32_t pxm, uint8_t apic, uint32_t flags)
{
	uint8_t *e = s->b + s->n;

	e[0] = 0;
	e[1] = 16;
	e[2] = (uint8_t)pxm;
	e[3] = apic;
	put32(e + 4, flags);
	e[9] = (uint8_t)(pxm >> 8);
	e[10] = (uint8_t)(pxm >> 16);
	e[11] = (uint8_t)(pxm >> 24);
	s->n += 16;
}

void srat_mem(struct sbuf *s, uint32_t pxm, uint64_t base, uint64_t len, uint32_t flags)
{
	uint8_t *e = s->b + s->n;

	e[0] = 1;
	e[1] = 40;
	put32(e + 2, pxm);
	put64(e + 8, base);
	put64(e + 16, len);
	put32(e + 28, flags);
	s->n += 40;
}

void srat_x2apic(struct sbuf *s, uint32_t pxm, uint32_t apic, uint32_t flags)
{
	uint8_t *e = s->b + s->n;

	e[0] = 2;
	e[1] = 24;
	put32(e + 4, pxm);
	put32(e + 8, apic);
	put32(e + 12, flags);
	s->n += 24;
}

void srat_raw(struct sbuf *s, uint8_t type, uint8_t len)
{
	s->b[s->n] = type;
	s->b[s->n + 1] = len;
	s->n += len ? len : 2;
}

