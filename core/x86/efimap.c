// SPDX-License-Identifier: MIT
/*
 * Reading the raw UEFI memory map, and Linux 6.1's treatment of it: the EFI
 * stub's e820 conversion, efi_clean_memmap() and efi_print_memmap().
 *
 * Descriptors are read byte by byte at the firmware's stride, never through
 * a struct cast, so any desc_size >= 40 and any alignment work.
 */
#include "memprobe/x86/efimap.h"

#include "memprobe/lib/defects.h"

#define EFI_PAGES_MAX (UINT64_MAX >> EFI_PAGE_SHIFT)

static uint32_t load_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t load_u64(const uint8_t *p)
{
	return (uint64_t)load_u32(p) | (uint64_t)load_u32(p + 4) << 32;
}

/**
 * efi_memmap_usable() - say what is wrong with the map's framing
 * @log: where the errors and warnings go
 * @m: the map
 *
 * A size that is not a multiple of the stride, or an unexpected descriptor
 * version, is named but does not make the map unusable.
 *
 * Return: false when no descriptor can be trusted (nothing to read, or a
 * stride too small).
 */
bool efi_memmap_usable(struct mp_log *log, const struct efi_memmap *m)
{
	if (!m->map || m->map_size == 0) {
		mp_printk(log, "memprobe: error: the firmware returned an empty EFI memory map\n");
		return false;
	}
	if (m->desc_size < EFI_MEMORY_DESC_MIN_SIZE) {
		fw_bug(log, "EFI", "descriptor-size", FW_BUG_NO_OFFSET,
		       "memprobe: [Firmware Bug]: EFI memory descriptor size %llu is smaller than "
		       "EFI_MEMORY_DESCRIPTOR (%u bytes); memory map not used\n",
		       (unsigned long long)m->desc_size, EFI_MEMORY_DESC_MIN_SIZE);
		return false;
	}
	if (m->map_size % m->desc_size)
		fw_bug(log, "EFI", "map-size", FW_BUG_NO_OFFSET,
		       "memprobe: [Firmware Bug]: EFI memory map size %llu is not a multiple of the "
		       "descriptor size %llu; the last %llu bytes are ignored\n",
		       (unsigned long long)m->map_size, (unsigned long long)m->desc_size,
		       (unsigned long long)(m->map_size % m->desc_size));
	if (m->desc_version != 1)
		mp_printk(log,
			  "memprobe: warning: unexpected EFI_MEMORY_DESCRIPTOR version %u "
			  "(Linux warns too and goes on)\n",
			  m->desc_version);
	return true;
}

/**
 * efi_memmap_nr_desc() - descriptor count as Linux computes it (the map size over the stride)
 *
 * Return: the count, capped at UINT32_MAX; 0 without a map or with a stride
 * below EFI_MEMORY_DESC_MIN_SIZE.
 */
uint32_t efi_memmap_nr_desc(const struct efi_memmap *m)
{
	uint64_t n;

	if (!m->map || m->desc_size < EFI_MEMORY_DESC_MIN_SIZE)
		return 0;
	n = m->map_size / m->desc_size;
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/**
 * efi_memmap_desc() - the i-th descriptor, read at the firmware's stride
 * @i: below efi_memmap_nr_desc(): it is not checked
 * @md: the descriptor's fields
 */
void efi_memmap_desc(const struct efi_memmap *m, uint32_t i, struct efi_md *md)
{
	const uint8_t *p = m->map + (uint64_t)i * m->desc_size;

	md->type = load_u32(p);
	md->phys_addr = load_u64(p + 8);
	md->virt_addr = load_u64(p + 16);
	md->num_pages = load_u64(p + 24);
	md->attribute = load_u64(p + 32);
}

static void store_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/**
 * efi_memmap_desc_store() - write one descriptor as firmware lays it out
 * @p: the descriptor's first EFI_MEMORY_DESC_MIN_SIZE bytes; a larger stride's rest is left alone
 * @md: the fields (the padding after the type becomes zero)
 */
void efi_memmap_desc_store(uint8_t *p, const struct efi_md *md)
{
	for (int i = 4; i < 8; i++)
		p[i] = 0;
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(md->type >> (8 * i));
	store_u64(p + 8, md->phys_addr);
	store_u64(p + 16, md->virt_addr);
	store_u64(p + 24, md->num_pages);
	store_u64(p + 32, md->attribute);
}

/**
 * efi_stub_e820_type() - the EFI stub's type mapping
 * @md: the descriptor
 * @soft_reserve: whether EFI_MEMORY_SP memory becomes soft reserved
 *
 * Return: the E820_TYPE_* value, or 0 when the descriptor is skipped: that is
 * what happens to every type outside the table (unaccepted memory, OEM and OS
 * ranges 0x70000000+ and 0x80000000+).
 */
uint32_t efi_stub_e820_type(const struct efi_md *md, bool soft_reserve)
{
	switch (md->type) {
	case EFI_RESERVED_TYPE:
	case EFI_RUNTIME_SERVICES_CODE:
	case EFI_RUNTIME_SERVICES_DATA:
	case EFI_MEMORY_MAPPED_IO:
	case EFI_MEMORY_MAPPED_IO_PORT_SPACE:
	case EFI_PAL_CODE:
		return E820_TYPE_RESERVED;
	case EFI_UNUSABLE_MEMORY:
		return E820_TYPE_UNUSABLE;
	case EFI_ACPI_RECLAIM_MEMORY:
		return E820_TYPE_ACPI;
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		if (soft_reserve && (md->attribute & EFI_ATTR_SP))
			return E820_TYPE_SOFT_RESERVED;
		return E820_TYPE_RAM;
	case EFI_ACPI_MEMORY_NVS:
		return E820_TYPE_NVS;
	case EFI_PERSISTENT_MEMORY:
		return E820_TYPE_PMEM;
	default:
		return 0;
	}
}

/**
 * efi_stub_e820_begin() - start a walk over the e820 entries the EFI stub makes of a map
 * @soft_reserve: as for efi_stub_e820_type()
 */
void efi_stub_e820_begin(struct efi_stub_e820_iter *it, const struct efi_memmap *m,
			 bool soft_reserve)
{
	it->map = m;
	it->soft_reserve = soft_reserve;
	it->next_desc = 0;
	it->have_pending = false;
}

/**
 * efi_stub_e820_next() - the next finished e820 entry
 * @it: the walk, from efi_stub_e820_begin()
 * @out: the entry
 *
 * Like the stub, a descriptor merges only into the entry written last, when
 * it has the same e820 type and starts exactly at its end; skipped
 * descriptors do not break a merge.  Sizes are num_pages << 12 in 64-bit
 * arithmetic, overflow included.
 *
 * Return: false when there is no further entry.
 */
bool efi_stub_e820_next(struct efi_stub_e820_iter *it, struct e820_entry *out)
{
	uint32_t nr = efi_memmap_nr_desc(it->map);

	while (it->next_desc < nr) {
		struct efi_md md;
		uint32_t type;

		efi_memmap_desc(it->map, it->next_desc++, &md);
		type = efi_stub_e820_type(&md, it->soft_reserve);
		if (!type)
			continue;
		if (it->have_pending && it->pending.type == type &&
		    it->pending.addr + it->pending.size == md.phys_addr) {
			it->pending.size += md.num_pages << EFI_PAGE_SHIFT;
			continue;
		}
		if (it->have_pending)
			*out = it->pending;
		it->pending.addr = md.phys_addr;
		it->pending.size = md.num_pages << EFI_PAGE_SHIFT;
		it->pending.type = type;
		if (it->have_pending)
			return true;
		it->have_pending = true;
	}
	if (!it->have_pending)
		return false;
	*out = it->pending;
	it->have_pending = false;
	return true;
}

static const char *const efi_type_names[] = {
	"Reserved",	"Loader Code",	"Loader Data",	"Boot Code",  "Boot Data",
	"Runtime Code", "Runtime Data", "Conventional", "Unusable",   "ACPI Reclaim",
	"ACPI Mem NVS", "MMIO",		"MMIO Port",	"PAL Code",   "Persistent",
};

/* The attribute columns of efi=debug lines, in Linux's order, with their widths. */
static const struct {
	uint64_t bit;
	const char *name;
	unsigned width;
} efi_attribute_columns[] = {
	{ EFI_ATTR_RUNTIME, "RUN", 3 }, { EFI_ATTR_HOT_PLUGGABLE, "HP", 2 }, { EFI_ATTR_MORE_RELIABLE, "MR", 2 },
	{ EFI_ATTR_CPU_CRYPTO, "CC", 2 }, { EFI_ATTR_SP, "SP", 2 },	      { EFI_ATTR_NV, "NV", 2 },
	{ EFI_ATTR_XP, "XP", 2 },	  { EFI_ATTR_RP, "RP", 2 },	      { EFI_ATTR_WP, "WP", 2 },
	{ EFI_ATTR_RO, "RO", 2 },	  { EFI_ATTR_UCE, "UCE", 3 },	      { EFI_ATTR_WB, "WB", 2 },
	{ EFI_ATTR_WT, "WT", 2 },	  { EFI_ATTR_WC, "WC", 2 },	      { EFI_ATTR_UC, "UC", 2 },
};

#define NR_ATTRIBUTE_COLUMNS (sizeof(efi_attribute_columns) / sizeof(efi_attribute_columns[0]))
#define NR_TYPE_NAMES (sizeof(efi_type_names) / sizeof(efi_type_names[0]))

static uint64_t efi_known_attributes(void)
{
	uint64_t known = 0;

	for (unsigned i = 0; i < NR_ATTRIBUTE_COLUMNS; i++)
		known |= efi_attribute_columns[i].bit;
	return known;
}

/**
 * efi_md_typeattr_format() - the "[Conventional|   |  |...|WB|WT|WC|UC]" text of efi=debug lines
 *
 * Linux's efi_md_typeattr_format(): the text is truncated to the buffer
 * exactly as Linux's 64-byte buffer truncates it.
 *
 * Return: @buf.
 */
char *efi_md_typeattr_format(char *buf, unsigned size, const struct efi_md *md)
{
	unsigned len;
	uint64_t a = md->attribute;

	if (md->type >= NR_TYPE_NAMES)
		len = mp_snprintf(buf, size, "[type=%u", md->type);
	else
		len = mp_snprintf(buf, size, "[%-*s", 12, efi_type_names[md->type]);
	if (len >= size)
		return buf;

	if (a & ~efi_known_attributes()) {
		mp_snprintf(buf + len, size - len, "|attr=0x%016llx]", (unsigned long long)a);
		return buf;
	}
	for (unsigned i = 0; i < NR_ATTRIBUTE_COLUMNS && len < size; i++)
		len += mp_snprintf(buf + len, size - len, "|%*s", efi_attribute_columns[i].width,
				   a & efi_attribute_columns[i].bit ? efi_attribute_columns[i].name : "");
	if (len < size)
		mp_snprintf(buf + len, size - len, "]");
	return buf;
}

/*
 * The attribute bits of the columns after the type, or false when a column
 * is not Linux's.  A text the 64-byte buffer cut ends early: a column cut
 * to a blank shows its bit clear, one cut within its name shows it set, and
 * the columns cut off show nothing (taken as clear).
 */
static bool parse_attribute_columns(const char *s, uint64_t *a)
{
	*a = 0;
	for (unsigned i = 0; i < NR_ATTRIBUTE_COLUMNS; i++) {
		const char *name = efi_attribute_columns[i].name;
		unsigned w = efi_attribute_columns[i].width, n = mp_strlen(name), pad = 0, j;

		if (!*s)
			return true;
		if (*s++ != '|')
			return false;
		while (pad < w && s[pad] == ' ')
			pad++;
		if (pad < w && s[pad]) {
			if (pad != w - n)
				return false;
			for (j = 0; j < n && s[pad + j]; j++)
				if (s[pad + j] != name[j])
					return false;
			*a |= efi_attribute_columns[i].bit;
		}
		for (j = 0; j < w && *s; j++)
			s++;
		if (j < w)
			return true;
	}
	return !*s || mp_strcmp(s, "]") == 0;
}

/* "|attr=0x" and 16 hex digits and "]". */
static bool parse_attribute_word(const char *s, uint64_t *a)
{
	*a = 0;
	for (unsigned i = 0; i < 16; i++) {
		int d = mp_hexval(s[i]);

		if (d < 0)
			return false;
		*a = *a << 4 | (uint64_t)d;
	}
	return mp_strcmp(s + 16, "]") == 0;
}

/* The text after the type: where it starts, or NULL when the type is not Linux's. */
static const char *parse_type(const char *text, uint32_t *type)
{
	if (mp_starts_with(text, "[type=")) {
		const char *s = text + 6;
		uint64_t t = 0;

		if (*s < '0' || *s > '9')
			return NULL;
		while (*s >= '0' && *s <= '9' && t <= UINT32_MAX)
			t = t * 10 + (uint64_t)(*s++ - '0');
		if (t > UINT32_MAX)
			return NULL;
		*type = (uint32_t)t;
		return s;
	}
	if (text[0] != '[')
		return NULL;
	for (uint32_t t = 0; t < NR_TYPE_NAMES; t++) {
		const char *s = text + 1 + mp_strlen(efi_type_names[t]);

		if (!mp_starts_with(text + 1, efi_type_names[t]))
			continue;
		while (s < text + 13 && *s == ' ')
			s++;
		if (s == text + 13) {
			*type = t;
			return s;
		}
	}
	return NULL;
}

/**
 * efi_md_typeattr_parse() - the type and attributes an efi=debug line's text shows
 * @text: exactly the text from its '[' to its ']' (or to where Linux's 64-byte buffer cut it)
 * @md: gets the type and the attributes; its other fields are left alone
 *
 * The inverse of efi_md_typeattr_format(): what it parses, formatted again,
 * is @text byte for byte.  Bits in columns a cut text lost are taken as clear.
 *
 * Return: false when @text is not a text efi_md_typeattr_format() makes.
 */
bool efi_md_typeattr_parse(const char *text, struct efi_md *md)
{
	char again[EFI_MD_TYPEATTR_BUF];
	struct efi_md parsed = *md;
	const char *rest = parse_type(text, &parsed.type);

	if (!rest)
		return false;
	if (mp_starts_with(rest, "|attr=0x")) {
		if (!parse_attribute_word(rest + 8, &parsed.attribute))
			return false;
	} else if (!parse_attribute_columns(rest, &parsed.attribute)) {
		return false;
	}
	if (mp_strcmp(efi_md_typeattr_format(again, sizeof(again), &parsed), text))
		return false;
	*md = parsed;
	return true;
}

/**
 * efi_md_valid() - Linux's efi_memmap_entry_valid()
 *
 * Return: false for an empty descriptor or one that reaches past 2^64.
 */
static bool efi_md_valid(const struct efi_md *md)
{
	if (md->num_pages == 0)
		return false;
	return md->num_pages <= EFI_PAGES_MAX &&
	       EFI_PAGES_MAX - md->num_pages >= (md->phys_addr >> EFI_PAGE_SHIFT);
}

/**
 * efi_memmap_next_valid() - the next descriptor Linux keeps after efi_clean_memmap()
 * @m: the map
 * @at: the walk's position, 0 to start
 * @md: the descriptor
 *
 * The n-th descriptor it gives is the one efi=debug lists as "memNN" with NN = n.
 * Return: false when there is no further valid descriptor.
 */
bool efi_memmap_next_valid(const struct efi_memmap *m, uint32_t *at, struct efi_md *md)
{
	uint32_t nr = efi_memmap_nr_desc(m);

	while (*at < nr) {
		efi_memmap_desc(m, (*at)++, md);
		if (efi_md_valid(md))
			return true;
	}
	return false;
}

/* One "(invalid)" line, with the end's bits above 2^64 printed in front. */
static void print_invalid(struct mp_log *log, uint32_t i, const struct efi_md *md)
{
	char buf[EFI_MD_TYPEATTR_BUF];
	uint64_t end = (md->num_pages << EFI_PAGE_SHIFT) + md->phys_addr - 1;
	uint64_t end_hi = 0;

	if (md->num_pages == 0) {
		end = 0;
	} else {
		end_hi = md->num_pages >> (64 - EFI_PAGE_SHIFT);
		if ((md->phys_addr & (1ULL << 63)) && !(end & (1ULL << 63)))
			end_hi += 1;
	}
	efi_md_typeattr_format(buf, sizeof(buf), md);
	if (end_hi)
		mp_printk(log, "efi: mem%02u: %s range=[0x%016llx-0x%llx%016llx] (invalid)\n", i, buf,
			  (unsigned long long)md->phys_addr, (unsigned long long)end_hi,
			  (unsigned long long)end);
	else
		mp_printk(log, "efi: mem%02u: %s range=[0x%016llx-0x%016llx] (invalid)\n", i, buf,
			  (unsigned long long)md->phys_addr, (unsigned long long)end);
}

/* Linux prints every invalid entry; a map of thousands of them gets this many, then a count. */
#define EFI_INVALID_LINES_MAX 64

/**
 * efi_clean_memmap() - Linux's: report the descriptors Linux drops
 *
 * The map itself stays as the firmware gave it; later walks skip what
 * efi_md_valid() rejects.
 *
 * Return: how many were dropped.
 */
uint32_t efi_clean_memmap(struct mp_log *log, const struct efi_memmap *m)
{
	uint32_t nr = efi_memmap_nr_desc(m), removed = 0;

	for (uint32_t i = 0; i < nr; i++) {
		struct efi_md md;

		efi_memmap_desc(m, i, &md);
		if (efi_md_valid(&md))
			continue;
		if (!removed)
			fw_bug(log, "EFI", "invalid-descriptor", FW_BUG_NO_OFFSET,
			       "efi: [Firmware Bug]: Invalid EFI memory map entries:\n");
		if (removed++ < EFI_INVALID_LINES_MAX)
			print_invalid(log, i, &md);
	}
	if (removed > EFI_INVALID_LINES_MAX)
		mp_printk(log, "memprobe: efi: %u more invalid entries, a line each in Linux's log, not shown\n",
			  removed - EFI_INVALID_LINES_MAX);
	if (removed)
		mp_printk(log, "efi: Removing %u invalid memory map entries.\n", removed);
	return removed;
}

/* efi=debug: one line per descriptor that survived efi_clean_memmap(). */
void efi_print_memmap(struct mp_log *log, const struct efi_memmap *m)
{
	struct efi_md md;

	for (uint32_t at = 0, shown = 0; efi_memmap_next_valid(m, &at, &md); shown++) {
		char buf[EFI_MD_TYPEATTR_BUF];

		mp_printk(log, "efi: mem%02u: %s range=[0x%016llx-0x%016llx] (%lluMB)\n", shown,
			  efi_md_typeattr_format(buf, sizeof(buf), &md),
			  (unsigned long long)md.phys_addr,
			  (unsigned long long)(md.phys_addr + (md.num_pages << EFI_PAGE_SHIFT) - 1),
			  (unsigned long long)(md.num_pages >> (20 - EFI_PAGE_SHIFT)));
	}
}

/*
 * memprobe's own check, beyond what Linux prints: descriptors out of
 * address order, and descriptors that overlap the one before them.  Linux
 * takes such maps as they are (the e820 sanitizer sorts it out later).
 */
void efi_memmap_check_order(struct mp_log *log, const struct efi_memmap *m)
{
	uint32_t nr = efi_memmap_nr_desc(m), unsorted = 0;
	struct efi_md prev = { .type = 0 }, md;

	for (uint32_t i = 0; i < nr; i++, prev = md) {
		uint64_t prev_end, end;

		efi_memmap_desc(m, i, &md);
		if (!i || !efi_md_valid(&prev) || !efi_md_valid(&md))
			continue;
		if (md.phys_addr < prev.phys_addr) {
			unsorted++;
			continue;
		}
		prev_end = prev.phys_addr + (prev.num_pages << EFI_PAGE_SHIFT);
		end = md.phys_addr + (md.num_pages << EFI_PAGE_SHIFT);
		if (md.phys_addr < prev_end)
			fw_bug(log, "EFI", "overlap", FW_BUG_NO_OFFSET,
			       "memprobe: [Firmware Bug]: EFI descriptors %u and %u overlap at "
			       "[mem 0x%016llx-0x%016llx]\n",
			       i - 1, i, (unsigned long long)md.phys_addr,
			       (unsigned long long)((end < prev_end ? end : prev_end) - 1));
	}
	if (unsorted)
		mp_printk(log,
			  "memprobe: note: the EFI memory map is not sorted by address (%u descriptors "
			  "start below their predecessor); Linux sorts it out in e820\n",
			  unsorted);
}

/**
 * efi_memmap_covers() - whether the map describes all of [phys, phys + len)
 *
 * Any type counts, possibly across several touching descriptors in any
 * order; invalid descriptors do not.  The UEFI front end reads ACPI tables
 * only where this holds.
 *
 * Return: true when every byte of the range is described; false for an
 * empty range or one that ends at or past 2^64.
 */
bool efi_memmap_covers(const struct efi_memmap *m, uint64_t phys, uint64_t len)
{
	uint64_t cur = phys, end = phys + len;

	if (!len || end < phys)
		return false;
	while (cur < end) {
		uint64_t next = cur;
		struct efi_md md;

		for (uint32_t at = 0; next == cur && efi_memmap_next_valid(m, &at, &md);) {
			uint64_t d_end = md.phys_addr + (md.num_pages << EFI_PAGE_SHIFT);

			if (md.phys_addr <= cur && cur < d_end)
				next = d_end;
		}
		if (next == cur)
			return false;
		cur = next;
	}
	return true;
}

/**
 * efi_stub_kernel_addr() - where the EFI stub puts the decompressed kernel without KASLR
 * @map: the EFI memory map
 * @image_size: the image to the end of its brk (the kernel profile's)
 *
 * Return: 16 MiB (KERNEL_LOAD_ADDR) if the image fits in free (conventional)
 * memory there, else the lowest 2 MiB-aligned address above that it fits at;
 * also 16 MiB when it fits nowhere.
 */
uint64_t efi_stub_kernel_addr(const struct efi_memmap *map, uint64_t image_size)
{
	uint64_t best = 0;
	struct efi_md md;

	for (uint32_t at = 0; efi_memmap_next_valid(map, &at, &md);) {
		uint64_t start, end;

		if (md.type != EFI_CONVENTIONAL_MEMORY)
			continue;
		end = md.phys_addr + (md.num_pages << EFI_PAGE_SHIFT);
		start = round_up(md.phys_addr > KERNEL_LOAD_ADDR ? md.phys_addr : KERNEL_LOAD_ADDR,
				   KERNEL_ALIGN);
		if (start < end && end - start >= image_size && (!best || start < best))
			best = start;
	}
	return best ? best : KERNEL_LOAD_ADDR;
}
