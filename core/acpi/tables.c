// SPDX-License-Identifier: MIT
/*
 * Finding the ACPI tables the way Linux (ACPICA) does at boot: the RSDP
 * from the EFI configuration table, the XSDT when the RSDP has one (else
 * the RSDT), every table it lists, and the DSDT and FACS the FADT points
 * to.  Each table is printed with ACPICA's header line.  Nothing is read
 * but through the access callback, and never past a table's length.
 */
#include "memprobe/acpi/tables.h"

#include "memprobe/lib/defects.h"
#include "memprobe/lib/util.h"

#define RSDP_V1_LENGTH 20
#define RSDP_V2_LENGTH 36
#define FACS_MIN_LENGTH 64
#define FADT_FLAG_HW_REDUCED (1u << 20)

static bool in_bounds(const struct acpi_table *t, uint32_t off, uint32_t size)
{
	return t->bytes && off <= t->length && size <= t->length - off;
}

/**
 * acpi_get8() - a table's byte at an offset
 * @v: the byte; left alone when @off is outside the table
 *
 * Return: false when @off is outside the table (or its bytes are not read).
 */
bool acpi_get8(const struct acpi_table *t, uint32_t off, uint8_t *v)
{
	if (!in_bounds(t, off, 1))
		return false;
	*v = t->bytes[off];
	return true;
}

static bool acpi_get16(const struct acpi_table *t, uint32_t off, uint16_t *v)
{
	if (!in_bounds(t, off, 2))
		return false;
	*v = (uint16_t)(t->bytes[off] | t->bytes[off + 1] << 8);
	return true;
}

static bool acpi_get32(const struct acpi_table *t, uint32_t off, uint32_t *v)
{
	if (!in_bounds(t, off, 4))
		return false;
	*v = (uint32_t)t->bytes[off] | (uint32_t)t->bytes[off + 1] << 8 |
	     (uint32_t)t->bytes[off + 2] << 16 | (uint32_t)t->bytes[off + 3] << 24;
	return true;
}

static bool acpi_get64(const struct acpi_table *t, uint32_t off, uint64_t *v)
{
	uint32_t lo, hi;

	if (!acpi_get32(t, off, &lo) || !acpi_get32(t, off + 4, &hi))
		return false;
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

/**
 * acpi_u8() - a table's byte at an offset
 *
 * Return: the byte, or 0 when it lies outside the table.
 */
uint8_t acpi_u8(const struct acpi_table *t, uint32_t off)
{
	uint8_t v = 0;

	acpi_get8(t, off, &v);
	return v;
}

/**
 * acpi_u16() - a table's little-endian 16-bit field at an offset
 *
 * Return: the value, or 0 when any of its bytes lies outside the table.
 */
uint16_t acpi_u16(const struct acpi_table *t, uint32_t off)
{
	uint16_t v = 0;

	acpi_get16(t, off, &v);
	return v;
}

/**
 * acpi_u32() - a table's little-endian 32-bit field at an offset
 *
 * Return: the value, or 0 when any of its bytes lies outside the table.
 */
uint32_t acpi_u32(const struct acpi_table *t, uint32_t off)
{
	uint32_t v = 0;

	acpi_get32(t, off, &v);
	return v;
}

/**
 * acpi_u64() - a table's little-endian 64-bit field at an offset
 *
 * Return: the value, or 0 when any of its bytes lies outside the table.
 */
uint64_t acpi_u64(const struct acpi_table *t, uint32_t off)
{
	uint64_t v = 0;

	acpi_get64(t, off, &v);
	return v;
}

static uint8_t acpi_checksum(const uint8_t *p, uint32_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *p++);
	return sum;
}

/*
 * A header string as ACPICA prints it: up to n characters, stopping at a
 * NUL, those the kernel's isprint() refuses shown as '?' (its ctype takes
 * Latin-1's 0xa0-0xff as printable), padded with spaces to n; then as dmesg
 * shows the line, a Latin-1 byte as "\xNN" (out has room for 4n + 1).
 */
static void fix_string(char *out, size_t size, const uint8_t *in, unsigned n)
{
	char fixed[16];
	unsigned i = 0;

	for (; i < n && in[i]; i++)
		fixed[i] = (in[i] >= 0x20 && in[i] < 0x7f) || in[i] >= 0xa0 ? (char)in[i] : '?';
	for (; i < n; i++)
		fixed[i] = ' ';
	mp_escape(out, size, fixed, n, false);
}

/* ACPICA's acpi_tb_print_table_header() line. */
static void print_header(struct mp_log *log, const struct acpi_table *t)
{
	char sig[4 * 4 + 1], oem[4 * 6 + 1], oem_table[4 * 8 + 1], creator[4 * 4 + 1];
	uint32_t oem_rev = 0, creator_rev = 0;
	uint8_t rev = 0;

	fix_string(sig, sizeof(sig), t->bytes, 4);
	if (!t->phys) {
		/* A dump that could not read physical memory gives 0: Linux's line would show a real address. */
		mp_printk(log, "memprobe: ACPI: %s at an unknown address, %u bytes\n", sig, t->length);
		return;
	}
	if (!mp_strcmp(t->sig, "FACS")) {
		mp_printk(log, "ACPI: %s 0x%016llX %06X\n", sig, (unsigned long long)t->phys, t->length);
		return;
	}
	acpi_get8(t, 8, &rev);
	acpi_get32(t, 24, &oem_rev);
	acpi_get32(t, 32, &creator_rev);
	fix_string(oem, sizeof(oem), t->bytes + 10, 6);
	fix_string(oem_table, sizeof(oem_table), t->bytes + 16, 8);
	fix_string(creator, sizeof(creator), t->bytes + 28, 4);
	mp_printk(log, "ACPI: %s 0x%016llX %06X (v%02u %s %s %08X %s %08X)\n", sig,
		  (unsigned long long)t->phys, t->length, rev, oem, oem_table, oem_rev, creator,
		  creator_rev);
}

static void name_table(struct acpi_table *t)
{
	for (int i = 0; i < 4; i++)
		t->sig[i] = t->bytes[i] >= 0x20 && t->bytes[i] < 0x7f ? (char)t->bytes[i] : '?';
	t->sig[4] = '\0';
}

/**
 * read_table() - a table at phys: its header, then its whole length
 * @what: the referrer, for messages ("XSDT entry 3", "FADT DSDT")
 * Return: true with t filled in, or false with t->bytes NULL after naming
 * what is wrong.
 */
static bool read_table(struct acpi_tables *at, const struct acpi_access *access, uint64_t phys,
		       const char *what, bool facs, struct acpi_table *t, struct mp_log *log)
{
	uint32_t min = facs ? FACS_MIN_LENGTH : ACPI_HEADER_SIZE;

	mp_memset(t, 0, sizeof(*t));
	t->phys = phys;
	t->bytes = access->map ? access->map(access->ctx, phys, 8) : NULL;
	if (!t->bytes && access->source) {
		mp_printk(log, "memprobe: ACPI: %s points to 0x%016llx, which %s does not hold; table not read\n",
			  what, (unsigned long long)phys, access->source);
		at->problems++;
		goto unread;
	}
	if (!t->bytes) {
		fw_bug(log, "ACPI", "not-in-memory-map", FW_BUG_NO_OFFSET,
		       "memprobe: [Firmware Bug]: ACPI: %s points to 0x%016llx, which is "
		       "not in the firmware's memory map; table not read\n",
		       what, (unsigned long long)phys);
		at->problems++;
		goto unread;
	}
	t->length = 8;
	name_table(t);
	acpi_get32(t, 4, &t->length);
	if (t->length < min || t->length > ACPI_TABLE_MAX_LENGTH) {
		fw_bug(log, "ACPI", "length", 4,
		       "memprobe: [Firmware Bug]: ACPI: %s at 0x%016llx (from %s): length %u "
		       "at offset 4 is %s; table not used\n",
		       t->sig, (unsigned long long)phys, what, t->length,
		       t->length < min ? "shorter than its header" : "implausibly large");
		at->problems++;
		goto unread;
	}
	t->bytes = access->map(access->ctx, phys, t->length);
	if (!t->bytes && access->source) {
		mp_printk(log, "memprobe: ACPI: %s at 0x%016llx (from %s) runs past what %s holds (length %u); "
			       "table not read\n",
			  t->sig, (unsigned long long)phys, what, access->source, t->length);
		at->problems++;
		goto unread;
	}
	if (!t->bytes) {
		fw_bug(log, "ACPI", "not-in-memory-map", FW_BUG_NO_OFFSET,
		       "memprobe: [Firmware Bug]: ACPI: %s at 0x%016llx (from %s) runs past "
		       "the firmware's memory map (length %u); table not read\n",
		       t->sig, (unsigned long long)phys, what, t->length);
		at->problems++;
		goto unread;
	}
	if (!facs && acpi_checksum(t->bytes, t->length)) {
		uint8_t stored = t->bytes[9];

		fw_bug(log, "ACPI", "checksum", 9,
		       "memprobe: [Firmware Bug]: ACPI: %s at 0x%016llx: checksum at offset "
		       "9 is 0x%02X, should be 0x%02X (Linux only warns)\n",
		       t->sig, (unsigned long long)phys, stored,
		       (uint8_t)(stored - acpi_checksum(t->bytes, t->length)));
		at->problems++;
	}
	return true;
unread:
	/* A table not read is no table: nothing may use its bytes (the acpidump writer included). */
	t->bytes = NULL;
	t->length = 0;
	return false;
}

static void install(struct acpi_tables *at, const struct acpi_access *access, uint64_t phys,
		    const char *what, bool facs, struct mp_log *log)
{
	struct acpi_table t;

	for (unsigned i = 0; i < at->nr; i++)
		if (at->t[i].phys == phys)
			return;	/* ACPICA installs a table once */
	if (!read_table(at, access, phys, what, facs, &t, log))
		return;
	if (at->nr == ACPI_MAX_TABLES) {
		mp_printk(log, "memprobe: warning: more than %d ACPI tables; %s at 0x%016llx and "
			       "later ones are not read\n",
			  ACPI_MAX_TABLES, t.sig, (unsigned long long)phys);
		return;
	}
	print_header(log, &t);
	at->t[at->nr++] = t;
}

/* The FADT's DSDT (X_DSDT first) and FACS (both pointers, 32-bit first). */
static void install_fadt_tables(struct acpi_tables *at, const struct acpi_access *access,
				const struct acpi_table *fadt, struct mp_log *log)
{
	uint32_t dsdt32 = 0, facs32 = 0, flags = 0;
	uint64_t xdsdt = 0, xfacs = 0;

	acpi_get32(fadt, 36, &facs32);
	acpi_get32(fadt, 40, &dsdt32);
	acpi_get32(fadt, 112, &flags);
	acpi_get64(fadt, 132, &xfacs);
	acpi_get64(fadt, 140, &xdsdt);
	if (xdsdt || dsdt32)
		install(at, access, xdsdt ? xdsdt : dsdt32, "FADT DSDT", false, log);
	if (flags & FADT_FLAG_HW_REDUCED)
		return;	/* hardware-reduced ACPI has no FACS */
	if (facs32)
		install(at, access, facs32, "FADT FIRMWARE_CTRL", true, log);
	if (xfacs)
		install(at, access, xfacs, "FADT X_FIRMWARE_CTRL", true, log);
}

/* RSDP: signature, checksum over the first 20 bytes, and the extended one. */
static bool read_rsdp(struct acpi_tables *at, const struct acpi_access *access, uint64_t phys,
		      struct mp_log *log)
{
	const uint8_t *p = access->map ? access->map(access->ctx, phys, RSDP_V1_LENGTH) : NULL;
	uint32_t length = RSDP_V1_LENGTH;
	uint8_t revision;

	if (!p && access->source) {
		mp_printk(log, "memprobe: ACPI: the RSDP at 0x%016llx is not in %s\n", (unsigned long long)phys,
			  access->source);
		at->problems++;
		return false;
	}
	if (!p) {
		fw_bug(log, "ACPI", "not-in-memory-map", FW_BUG_NO_OFFSET,
		       "memprobe: [Firmware Bug]: ACPI: the RSDP at 0x%016llx is not in the "
		       "firmware's memory map\n",
		       (unsigned long long)phys);
		at->problems++;
		return false;
	}
	if (mp_memcmp(p, "RSD PTR ", 8)) {
		fw_bug(log, "ACPI", "signature", FW_BUG_NO_OFFSET,
		       "memprobe: [Firmware Bug]: ACPI: no \"RSD PTR \" signature at 0x%016llx\n",
		       (unsigned long long)phys);
		at->problems++;
		return false;
	}
	if (acpi_checksum(p, RSDP_V1_LENGTH)) {
		fw_bug(log, "ACPI", "checksum", FW_BUG_NO_OFFSET,
		       "memprobe: [Firmware Bug]: ACPI: RSDP at 0x%016llx: checksum of the "
		       "first 20 bytes is wrong (byte 8 is 0x%02X)\n",
		       (unsigned long long)phys, p[8]);
		at->problems++;
	}
	revision = p[15];
	if (revision >= 2) {
		const uint8_t *v2 = access->map(access->ctx, phys, RSDP_V2_LENGTH);

		length = v2 ? (uint32_t)v2[20] | (uint32_t)v2[21] << 8 | (uint32_t)v2[22] << 16 |
				      (uint32_t)v2[23] << 24
			    : 0;
		if (length < RSDP_V2_LENGTH || length > 4096 ||
		    !(p = access->map(access->ctx, phys, length))) {
			fw_bug(log, "ACPI", "length", 20,
			       "memprobe: [Firmware Bug]: ACPI: RSDP at 0x%016llx: revision %u "
			       "with length %u at offset 20; using its ACPI 1.0 part\n",
			       (unsigned long long)phys, revision, length);
			at->problems++;
			length = RSDP_V1_LENGTH;
			p = access->map(access->ctx, phys, RSDP_V1_LENGTH);
		} else if (acpi_checksum(p, length)) {
			fw_bug(log, "ACPI", "checksum", 32,
			       "memprobe: [Firmware Bug]: ACPI: RSDP at 0x%016llx: extended "
			       "checksum at offset 32 is wrong (0x%02X)\n",
			       (unsigned long long)phys, p[32]);
			at->problems++;
		}
	}
	at->rsdp_phys = phys;
	at->rsdp = p;
	at->rsdp_length = length;
	return true;
}

static uint64_t rsdp_u64(const struct acpi_tables *at, uint32_t off, uint32_t size)
{
	uint64_t v = 0;

	if (off + size > at->rsdp_length)
		return 0;
	for (uint32_t i = size; i-- > 0;)
		v = v << 8 | at->rsdp[off + i];
	return v;
}

/* Tables given without an RSDP: checked and printed in the order given. */
static void adopt_listed(struct acpi_tables *at, const struct acpi_access *access,
			 struct mp_log *log)
{
	unsigned unknown = 0;

	mp_printk(log, "memprobe: ACPI: no RSDP in the input; using its %u tables as listed\n",
		  access->nr_listed);
	for (unsigned i = 0; i < access->nr_listed; i++)
		unknown += !access->listed[i].phys;
	if (unknown)
		mp_printk(log, "memprobe: ACPI: the input gives no address for %u of them (0, as acpidump "
			       "writes where it cannot read physical memory): their lines below say so, and "
			       "Linux's 'Reserving ... table memory' lines for them cannot be predicted\n",
			  unknown);
	for (unsigned i = 0; i < access->nr_listed && at->nr < ACPI_MAX_TABLES; i++) {
		struct acpi_table t = access->listed[i];
		uint32_t declared = acpi_u32(&t, 4);

		if (!mp_strcmp(t.sig, "RSDP") || !mp_memcmp(t.sig, "RSD ", 4))
			continue;	/* an RSDP whose address the dump does not give: no table */
		bool facs = t.length >= 4 && !mp_memcmp(t.bytes, "FACS", 4);
		uint32_t min = facs ? FACS_MIN_LENGTH : ACPI_HEADER_SIZE;

		if (t.length < min || declared < min || declared > t.length) {
			fw_bug(log, "ACPI", "length", 4,
			       "memprobe: [Firmware Bug]: ACPI: listed table %u (%.4s): length "
			       "%u at offset 4, %u bytes given; not used\n",
			       i, t.sig, declared, t.length);
			at->problems++;
			continue;
		}
		t.length = declared;
		name_table(&t);
		if (!facs && acpi_checksum(t.bytes, t.length)) {
			fw_bug(log, "ACPI", "checksum", 9,
			       "memprobe: [Firmware Bug]: ACPI: %s (listed table %u): checksum at "
			       "offset 9 is wrong\n",
			       t.sig, i);
			at->problems++;
		}
		print_header(log, &t);
		at->t[at->nr++] = t;
	}
}

/**
 * acpi_tables_load() - find and print the tables as ACPICA does at boot
 * @at: the tables found, cleared first
 * @access: how to read memory, and where the RSDP is
 * @log: ACPICA's lines, and memprobe's about what cannot be read
 *
 * Without an RSDP, the tables @access lists are taken in their order.  A
 * table that cannot be read is named and left out; with no usable RSDP or
 * root table, @at holds no table.
 */
void acpi_tables_load(struct acpi_tables *at, const struct acpi_access *access, struct mp_log *log)
{
	char oem[4 * 6 + 1];
	uint64_t xsdt, rsdt;
	uint32_t entry_size, count;

	mp_memset(at, 0, sizeof(*at));
	at->access = access;
	if (!access->rsdp20 && !access->rsdp10 && access->nr_listed) {
		adopt_listed(at, access, log);
		return;
	}
	if (!(access->rsdp20 && read_rsdp(at, access, access->rsdp20, log)) &&
	    !(access->rsdp10 && read_rsdp(at, access, access->rsdp10, log))) {
		if (!access->rsdp20 && !access->rsdp10)
			mp_printk(log, "memprobe: ACPI: the EFI configuration table lists no ACPI "
				       "RSDP; no ACPI tables\n");
		return;
	}
	mp_printk(log, "ACPI: Early table checksum verification disabled\n");
	fix_string(oem, sizeof(oem), at->rsdp + 9, 6);
	mp_printk(log, "ACPI: RSDP 0x%016llX %06X (v%02u %s)\n", (unsigned long long)at->rsdp_phys,
		  at->rsdp[15] > 0 ? at->rsdp_length : RSDP_V1_LENGTH, at->rsdp[15], oem);

	xsdt = at->rsdp[15] > 1 ? rsdp_u64(at, 24, 8) : 0;
	rsdt = rsdp_u64(at, 16, 4);
	at->use_xsdt = xsdt != 0;
	if (!read_table(at, access, at->use_xsdt ? xsdt : rsdt, "the RSDP", false, &at->root, log)) {
		if (!at->use_xsdt || !rsdt ||
		    !read_table(at, access, rsdt, "the RSDP", false, &at->root, log))
			return;
		mp_printk(log, "memprobe: ACPI: the XSDT cannot be used; falling back to the RSDT\n");
		at->use_xsdt = false;
	}
	print_header(log, &at->root);
	entry_size = at->use_xsdt ? 8 : 4;
	if ((at->root.length - ACPI_HEADER_SIZE) % entry_size) {
		fw_bug(log, "ACPI", "length", FW_BUG_NO_OFFSET,
		       "memprobe: [Firmware Bug]: ACPI: %s length %u leaves a partial "
		       "%u-byte entry at its end; ignored\n",
		       at->root.sig, at->root.length, entry_size);
		at->problems++;
	}
	count = (at->root.length - ACPI_HEADER_SIZE) / entry_size;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t off = ACPI_HEADER_SIZE + i * entry_size, e32 = 0;
		uint64_t phys = 0;
		char what[32];

		if (at->use_xsdt)
			acpi_get64(&at->root, off, &phys);
		else if (acpi_get32(&at->root, off, &e32))
			phys = e32;
		if (!phys) {
			fw_bug(log, "ACPI", "null-entry", off,
			       "memprobe: [Firmware Bug]: ACPI: %s entry %u at offset %u is "
			       "null; skipped\n",
			       at->root.sig, i, off);
			at->problems++;
			continue;
		}
		mp_snprintf(what, sizeof(what), "%s entry %u", at->root.sig, i);
		install(at, access, phys, what, false, log);
		if (at->nr && at->t[at->nr - 1].phys == phys && !mp_strcmp(at->t[at->nr - 1].sig, "FACP"))
			install_fadt_tables(at, access, &at->t[at->nr - 1], log);
	}
}

/**
 * acpi_get_table() - the instance-th table with a signature, as ACPICA counts
 * @instance: 0 or 1 for the first, 2 for the second, ...
 * Return: the table, or NULL when there are fewer.
 */
const struct acpi_table *acpi_get_table(const struct acpi_tables *at, const char *sig,
					unsigned instance)
{
	unsigned seen = 0;

	for (unsigned i = 0; i < at->nr; i++)
		if (!mp_strcmp(at->t[i].sig, sig) && ++seen >= instance)
			return &at->t[i];
	return NULL;
}

/* Keep the longest read of each table past its end. */
static void note_overread(struct acpi_overreads *o, const struct acpi_table *t, uint32_t len)
{
	unsigned i = 0;

	if (!o)
		return;
	while (i < o->nr && o->r[i].phys != t->phys)
		i++;
	if (i == ACPI_MAX_OVERREADS)
		return;
	if (i == o->nr) {
		o->nr++;
		mp_memcpy(o->r[i].sig, t->sig, sizeof(o->r[i].sig));
		o->r[i].phys = t->phys;
		o->r[i].length = 0;
	}
	if (len > o->r[i].length)
		o->r[i].length = len;
}

/**
 * acpi_read_past_end() - a view of a table that reaches len bytes from its start
 *
 * Where Linux reads past a table's end, it reads whatever memory follows.
 * That memory is known when the tables were found through the RSDP (in
 * the firmware's memory, or in a dump that holds those bytes), never for
 * tables given as a plain list.
 * Return: true with *view covering len bytes, false when they cannot be read.
 */
bool acpi_read_past_end(const struct acpi_tables *at, const struct acpi_table *t, uint32_t len,
			struct acpi_table *view)
{
	const uint8_t *bytes;

	if (!at->rsdp || !at->access || !at->access->map)
		return false;
	bytes = at->access->map(at->access->ctx, t->phys, len);
	if (!bytes)
		return false;
	*view = *t;
	view->bytes = bytes;
	view->length = len;
	note_overread(at->overreads, t, len);
	return true;
}

/**
 * acpi_find_table() - the first table with a signature
 *
 * Return: the table, or NULL when there is none.
 */
const struct acpi_table *acpi_find_table(const struct acpi_tables *at, const char *sig)
{
	return acpi_get_table(at, sig, 0);
}

/* acpi_reserve_initial_tables(): one line per installed table (whose address is known). */
void acpi_print_reservations(const struct acpi_tables *at, struct mp_log *log)
{
	for (unsigned i = 0; i < at->nr; i++)
		if (at->t[i].phys)
			mp_printk(log, "ACPI: Reserving %.4s table memory at [mem 0x%llx-0x%llx]\n",
				  at->t[i].sig, (unsigned long long)at->t[i].phys,
				  (unsigned long long)(at->t[i].phys + at->t[i].length - 1));
}
