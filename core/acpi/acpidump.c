// SPDX-License-Identifier: MIT
/*
 * acpidump's text format, both ways.  Writing: every table as "SIG @
 * 0xADDRESS" and hex lines, which acpixtract and iasl read.  Reading:
 * parse acpidump text ("SIG @ 0xADDRESS", then "OFFSET: HH HH ...  ascii"
 * lines, a blank line after each table) into tables, and serve them to the
 * ACPI parsers as if they were physical memory (or, for a dump without an
 * RSDP, such as one of /sys/firmware/acpi/tables, as a plain list).  Any text is safe: lines
 * that do not fit the format are named and the table they belong to is
 * dropped.
 */
#include "memprobe/acpi/acpidump.h"

#include "memprobe/lib/util.h"

/* Parse hex digits at *p; returns the count of digits read. */
static int parse_hex(const char **p, const char *end, uint64_t *v)
{
	int n = 0;

	*v = 0;
	while (*p < end && mp_hexval(**p) >= 0 && n < 16) {
		*v = *v << 4 | (uint64_t)mp_hexval(**p);
		(*p)++;
		n++;
	}
	return n;
}

static void drop_current(struct acpidump *d, bool *in_table, unsigned lineno, const char *why,
			 struct mp_log *log)
{
	if (*in_table) {
		mp_printk(log, "memprobe: acpidump line %u: %s; table %s dropped\n", lineno, why,
			  d->t[d->nr].sig);
		d->used -= d->t[d->nr].length;
	}
	*in_table = false;
}

/* A table's hex lines ended: keep it, and say so if its header wants more bytes. */
static void end_table(struct acpidump *d, unsigned lineno, struct mp_log *log)
{
	const struct acpi_table *t = &d->t[d->nr];
	uint32_t declared = acpi_u32(t, 4);

	if (!t->length)
		return;
	/* Lower-case names are memprobe's own pieces of memory (efi-read.txt), not tables with a header. */
	if (mp_strcmp(t->sig, "RSDP") && mp_memcmp(t->sig, "RSD ", 4) && !(t->sig[0] >= 'a' && t->sig[0] <= 'z') &&
	    declared > t->length)
		mp_printk(log, "memprobe: acpidump line %u: table %s is truncated: its header says %u "
			       "bytes, the dump holds %u\n",
			  lineno, t->sig, declared, t->length);
	d->nr++;
}

/**
 * acpidump_parse() - read acpidump text into tables
 * @d: the dump; its buf holds the tables' bytes
 * @text: the text, not necessarily NUL-terminated
 * @len: its length
 * @log: where lines that do not fit are named
 *
 * A table with a line that does not fit is dropped; an empty one is not kept.
 *
 * Return: the number of tables read, also in d->nr.
 */
int acpidump_parse(struct acpidump *d, const char *text, size_t len, struct mp_log *log)
{
	const char *p = text, *end = text + len;
	bool in_table = false;
	unsigned lineno = 0;

	d->nr = 0;
	d->used = 0;
	while (p < end) {
		const char *line = p, *eol = p, *q;
		uint64_t v;

		while (eol < end && *eol != '\n')
			eol++;
		p = eol < end ? eol + 1 : eol;
		lineno++;
		if (eol > line && eol[-1] == '\r')
			eol--;
		/* "SIGN @ 0x...." starts a table */
		if (eol - line >= 10 && line[4] == ' ' && line[5] == '@' && line[6] == ' ' &&
		    line[7] == '0' && (line[8] == 'x' || line[8] == 'X')) {
			drop_current(d, &in_table, lineno, "new table before the previous one ended",
				     log);
			if (d->nr == ACPIDUMP_MAX_TABLES) {
				mp_printk(log, "memprobe: acpidump line %u: more than %d tables; the rest "
					       "is ignored\n",
					  lineno, ACPIDUMP_MAX_TABLES);
				break;
			}
			q = line + 9;
			if (!parse_hex(&q, eol, &v) || q != eol) {
				mp_printk(log, "memprobe: acpidump line %u: bad table address\n", lineno);
				continue;
			}
			mp_memcpy(d->t[d->nr].sig, line, 4);
			d->t[d->nr].sig[4] = '\0';
			d->t[d->nr].phys = v;
			d->t[d->nr].length = 0;
			d->t[d->nr].bytes = d->buf + d->used;
			in_table = true;
			continue;
		}
		q = line;
		while (q < eol && *q == ' ')
			q++;
		if (q == eol) {
			/* a blank line ends the table */
			if (in_table)
				end_table(d, lineno, log);
			in_table = false;
			continue;
		}
		if (!in_table)
			continue;	/* text outside a table (headers, comments) */
		if (!parse_hex(&q, eol, &v) || q + 2 > eol || q[0] != ':' || q[1] != ' ') {
			drop_current(d, &in_table, lineno, "not a hex dump line", log);
			continue;
		}
		if (v != d->t[d->nr].length) {
			drop_current(d, &in_table, lineno, "offset out of sequence", log);
			continue;
		}
		q += 2;
		for (int i = 0; i < 16 && q + 2 <= eol; i++) {
			int hi = mp_hexval(q[0]), lo = mp_hexval(q[1]);

			if (hi < 0 || lo < 0 || (q + 2 < eol && q[2] != ' '))
				break;
			if (d->used == d->buf_size) {
				drop_current(d, &in_table, lineno, "out of buffer space", log);
				break;
			}
			d->buf[d->used++] = (uint8_t)(hi << 4 | lo);
			d->t[d->nr].length++;
			q += 3;
		}
	}
	if (in_table)
		end_table(d, lineno, log);
	return (int)d->nr;
}

/**
 * acpidump_find() - the dump's bytes at a physical address
 * @d: the dump
 * @phys: the address
 * @len: how many bytes are wanted there
 *
 * Return: the bytes, when one table of the dump holds all of them; else NULL.
 */
const uint8_t *acpidump_find(const struct acpidump *d, uint64_t phys, uint64_t len)
{
	for (unsigned i = 0; i < d->nr; i++) {
		const struct acpi_table *t = &d->t[i];

		if (phys >= t->phys && len <= t->length && phys - t->phys <= t->length - len)
			return t->bytes + (phys - t->phys);
	}
	return NULL;
}

static const uint8_t *dump_map(void *ctx, uint64_t phys, uint64_t len)
{
	return acpidump_find(ctx, phys, len);
}

/* Serve the dump as physical memory; its RSDP entry is where the tables start. */
void acpidump_access(const struct acpidump *d, struct acpi_access *access)
{
	mp_memset(access, 0, sizeof(*access));
	access->map = dump_map;
	access->ctx = (void *)d;
	access->source = "the dump";
	for (unsigned i = 0; i < d->nr; i++)
		if (!mp_strcmp(d->t[i].sig, "RSDP") || !mp_memcmp(d->t[i].sig, "RSD ", 4))
			access->rsdp20 = d->t[i].phys;
	if (!access->rsdp20) {
		access->listed = d->t;
		access->nr_listed = d->nr;
	}
}

/**
 * acpidump_write_one() - bytes at an address in acpidump's text format
 * @dump: where the text goes
 * @sig: the four characters that name them (a table's signature)
 * @phys: their address
 * @p: the bytes
 * @length: how many
 */
void acpidump_write_one(struct mp_log *dump, const char *sig, uint64_t phys, const uint8_t *p, uint32_t length)
{
	mp_printk(dump, "%.4s @ 0x%016llX\n", sig, (unsigned long long)phys);
	for (uint32_t i = 0; i < length; i += 16) {
		char line[96];
		unsigned n = mp_snprintf(line, sizeof(line), "%8.4X: ", i);

		for (uint32_t j = 0; j < 16; j++)
			n += i + j < length ? mp_snprintf(line + n, sizeof(line) - n, "%02X ", p[i + j])
					    : mp_snprintf(line + n, sizeof(line) - n, "   ");
		line[n++] = ' ';
		for (uint32_t j = 0; j < 16 && i + j < length; j++)
			line[n++] = p[i + j] >= 0x20 && p[i + j] < 0x7f ? (char)p[i + j] : '.';
		line[n] = '\0';
		mp_printk(dump, "%s\n", line);
	}
	mp_printk(dump, "\n");
}

/**
 * acpidump_write_overreads() - the tables Linux reads past their end, with the bytes it reads
 * @at: the tables, after the stages that read them
 * @dump: where the acpidump text goes (a run folder's acpi-read.txt)
 *
 * Each table at its address, as long as the longest read: memprobe analyze
 * reads these bytes where the machine's memory held them.
 */
void acpidump_write_overreads(const struct acpi_tables *at, struct mp_log *dump)
{
	for (unsigned i = 0; at->overreads && i < at->overreads->nr; i++) {
		const uint8_t *bytes = at->access->map(at->access->ctx, at->overreads->r[i].phys,
							at->overreads->r[i].length);

		if (bytes)
			acpidump_write_one(dump, at->overreads->r[i].sig, at->overreads->r[i].phys, bytes,
				 at->overreads->r[i].length);
	}
}

/* All tables, RSDP and root included, in acpidump's text format. */
void acpidump_write(const struct acpi_tables *at, struct mp_log *dump)
{
	if (!at->rsdp)
		return;
	acpidump_write_one(dump, "RSDP", at->rsdp_phys, at->rsdp, at->rsdp_length);
	if (at->root.bytes)
		acpidump_write_one(dump, at->root.sig, at->root.phys, at->root.bytes, at->root.length);
	for (unsigned i = 0; i < at->nr; i++)
		acpidump_write_one(dump, at->t[i].sig, at->t[i].phys, at->t[i].bytes, at->t[i].length);
}
