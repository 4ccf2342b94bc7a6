// SPDX-License-Identifier: MIT
/*
 * e820 table operations with Linux 6.1's semantics and messages.
 *
 * Every function takes the table it works on; the lines they print are the
 * ones arch/x86/kernel/e820.c prints at the same step.
 */
#include "memprobe/x86/e820.h"

#include "memprobe/lib/util.h"
#include "memprobe/mm/memblock.h"

/**
 * e820_type_name() - the text e820_print_type() appends for a type
 * @type: an E820_TYPE_* value, or any other number
 * @buf: room for the names that carry the number
 * @size: the size of @buf
 *
 * Return: a constant name, or @buf holding "persistent (type N)" for PMEM and
 * PRAM and "type N" for an unknown type.
 */
const char *e820_type_name(uint32_t type, char *buf, unsigned size)
{
	switch (type) {
	case E820_TYPE_RAM:
	case E820_TYPE_RESERVED_KERN:
		return "usable";
	case E820_TYPE_RESERVED:
		return "reserved";
	case E820_TYPE_SOFT_RESERVED:
		return "soft reserved";
	case E820_TYPE_ACPI:
		return "ACPI data";
	case E820_TYPE_NVS:
		return "ACPI NVS";
	case E820_TYPE_UNUSABLE:
		return "unusable";
	case E820_TYPE_PMEM:
	case E820_TYPE_PRAM:
		mp_snprintf(buf, size, "persistent (type %u)", type);
		return buf;
	default:
		mp_snprintf(buf, size, "type %u", type);
		return buf;
	}
}

/**
 * e820_type_to_string() - resource name used by /proc/iomem and /sys/firmware/memmap
 * @type: an E820_TYPE_* value
 *
 * Return: a constant name; "Unknown E820 type" for a type Linux does not know.
 */
const char *e820_type_to_string(uint32_t type)
{
	switch (type) {
	case E820_TYPE_RESERVED_KERN:
	case E820_TYPE_RAM:
		return "System RAM";
	case E820_TYPE_ACPI:
		return "ACPI Tables";
	case E820_TYPE_NVS:
		return "ACPI Non-volatile Storage";
	case E820_TYPE_UNUSABLE:
		return "Unusable memory";
	case E820_TYPE_PRAM:
		return "Persistent Memory (legacy)";
	case E820_TYPE_PMEM:
		return "Persistent Memory";
	case E820_TYPE_RESERVED:
		return "Reserved";
	case E820_TYPE_SOFT_RESERVED:
		return "Soft Reserved";
	default:
		return "Unknown E820 type";
	}
}

/**
 * e820__range_add() - append an entry, unsorted
 *
 * A full table drops the entry with Linux's "too many entries" error.
 */
void e820__range_add(struct mp_log *log, struct e820_table *table, uint64_t start, uint64_t size,
		     uint32_t type)
{
	uint32_t x = table->nr_entries;

	if (x >= E820_MAX_ENTRIES) {
		mp_printk(log, "too many entries; ignoring [mem %#010llx-%#010llx]\n",
			  (unsigned long long)start, (unsigned long long)(start + size - 1));
		return;
	}
	table->entries[x].addr = start;
	table->entries[x].size = size;
	table->entries[x].type = type;
	table->nr_entries++;
}

/* Change points sort by address; at one address starts come before ends. */
static int change_point_before(const struct e820_table *table, const struct e820_change_point *a,
			       const struct e820_change_point *b)
{
	int a_end, b_end;

	if (a->addr != b->addr)
		return a->addr < b->addr;
	a_end = a->addr != table->entries[a->entry].addr;
	b_end = b->addr != table->entries[b->entry].addr;
	return a_end < b_end;
}

static void sift_down(const struct e820_table *table, struct e820_change_point *p, uint32_t root,
		      uint32_t n)
{
	for (;;) {
		uint32_t child = 2 * root + 1;
		struct e820_change_point tmp;

		if (child >= n)
			return;
		if (child + 1 < n && change_point_before(table, &p[child], &p[child + 1]))
			child++;
		if (!change_point_before(table, &p[root], &p[child]))
			return;
		tmp = p[root];
		p[root] = p[child];
		p[child] = tmp;
		root = child;
	}
}

/* Heapsort, as Linux uses: O(n log n) with no extra memory. */
static void sort_change_points(const struct e820_table *table, struct e820_change_point *p,
			       uint32_t n)
{
	for (uint32_t i = n / 2; i-- > 0;)
		sift_down(table, p, i, n);
	for (uint32_t end = n; end-- > 1;) {
		struct e820_change_point tmp = p[0];

		p[0] = p[end];
		p[end] = tmp;
		sift_down(table, p, 0, end);
	}
}

/* PRAM and soft-reserved ranges keep their boundaries: Linux never merges them. */
static bool e820_nomerge(uint32_t type)
{
	return type == E820_TYPE_PRAM || type == E820_TYPE_SOFT_RESERVED;
}

/**
 * e820__update_table() - Linux's sanitizer
 * @table: the table, sanitized in place
 * @s: scratch space for the change points and the new table
 *
 * Sort, resolve overlaps in favour of the highest type value, merge touching
 * ranges of one type.  Empty entries are dropped.
 *
 * Return: 0 on success, -1 (table left alone) for fewer than two entries or an
 * entry that wraps past 2^64.
 */
int e820__update_table(struct e820_table *table, struct e820_sanitizer *s)
{
	uint32_t nr_points = 0, nr_overlap = 0, nr_out = 0;
	uint32_t last_type = 0;
	uint64_t last_addr = 0;

	if (table->nr_entries < 2)
		return -1;
	for (uint32_t i = 0; i < table->nr_entries; i++)
		if (table->entries[i].addr + table->entries[i].size < table->entries[i].addr)
			return -1;

	for (uint32_t i = 0; i < table->nr_entries; i++) {
		if (table->entries[i].size == 0)
			continue;
		s->points[nr_points].addr = table->entries[i].addr;
		s->points[nr_points++].entry = i;
		s->points[nr_points].addr = table->entries[i].addr + table->entries[i].size;
		s->points[nr_points++].entry = i;
	}
	sort_change_points(table, s->points, nr_points);

	for (uint32_t c = 0; c < nr_points; c++) {
		const struct e820_change_point *cp = &s->points[c];
		uint32_t current_type = 0;

		if (cp->addr == table->entries[cp->entry].addr) {
			s->overlap[nr_overlap++] = cp->entry;
		} else {
			for (uint32_t i = 0; i < nr_overlap; i++)
				if (s->overlap[i] == cp->entry)
					s->overlap[i] = s->overlap[nr_overlap - 1];
			nr_overlap--;
		}
		for (uint32_t i = 0; i < nr_overlap; i++)
			if (table->entries[s->overlap[i]].type > current_type)
				current_type = table->entries[s->overlap[i]].type;

		if (current_type == last_type && !e820_nomerge(current_type))
			continue;
		if (last_type != 0) {
			s->out[nr_out].size = cp->addr - last_addr;
			if (s->out[nr_out].size != 0 && ++nr_out >= E820_MAX_ENTRIES)
				break;
		}
		if (current_type != 0) {
			s->out[nr_out].addr = cp->addr;
			s->out[nr_out].type = current_type;
			last_addr = cp->addr;
		}
		last_type = current_type;
	}

	mp_memcpy(table->entries, s->out, nr_out * sizeof(s->out[0]));
	table->nr_entries = nr_out;
	return 0;
}

static void print_update_line(struct mp_log *log, const char *verb, uint64_t start, uint64_t end,
			      const char *types)
{
	mp_printk(log, "e820: %s [mem %#010llx-%#010llx] %s\n", verb, (unsigned long long)start,
		  (unsigned long long)(end - 1), types);
}

/* "e820: update [mem ...] OLD ==> NEW", as __e820__range_update() prints it. */
static void print_range_update(struct mp_log *log, uint64_t start, uint64_t size, uint32_t old_type,
			       uint32_t new_type)
{
	char old_buf[32], new_buf[32], types[80];

	mp_snprintf(types, sizeof(types), "%s ==> %s", e820_type_name(old_type, old_buf, sizeof(old_buf)),
		    e820_type_name(new_type, new_buf, sizeof(new_buf)));
	print_update_line(log, "update", start, start + size, types);
}

/**
 * e820__range_update_kexec() - the line Linux's update of its kexec table prints
 * @log: where the line goes
 * @start: the range's start
 * @size: its size
 * @old_type: the type it had
 * @new_type: the type it gets
 *
 * Linux 6.1 keeps a copy of e820 for kexec and updates it too, printing the
 * same "e820: update" line; nothing memprobe predicts reads that copy.
 */
void e820__range_update_kexec(struct mp_log *log, uint64_t start, uint64_t size, uint32_t old_type,
			      uint32_t new_type)
{
	if (size > UINT64_MAX - start)
		size = UINT64_MAX - start;
	print_range_update(log, start, size, old_type, new_type);
}

/**
 * e820__range_update() - retype the parts of [start, start+size) that have old_type
 *
 * Linux's e820__range_update(), with its "e820: update" line.  A size
 * reaching past 2^64 is cut to end at UINT64_MAX.  Pieces are appended
 * unsorted; the caller sanitizes.
 *
 * Return: the number of bytes retyped.
 */
uint64_t e820__range_update(struct mp_log *log, struct e820_table *table, uint64_t start,
			    uint64_t size, uint32_t old_type, uint32_t new_type)
{
	uint64_t end, updated = 0;

	if (size > UINT64_MAX - start)
		size = UINT64_MAX - start;
	end = start + size;
	print_range_update(log, start, size, old_type, new_type);

	/* The bound is re-read: appended pieces are visited too, as in Linux. */
	for (uint32_t i = 0; i < table->nr_entries; i++) {
		struct e820_entry *e = &table->entries[i];
		uint64_t e_end, fs, fe;

		if (e->type != old_type)
			continue;
		e_end = e->addr + e->size;
		if (e->addr >= start && e_end <= end) {
			e->type = new_type;
			updated += e->size;
			continue;
		}
		if (e->addr < start && e_end > end) {
			e820__range_add(log, table, start, size, new_type);
			e820__range_add(log, table, end, e_end - end, e->type);
			e->size = start - e->addr;
			updated += size;
			continue;
		}
		fs = start > e->addr ? start : e->addr;
		fe = end < e_end ? end : e_end;
		if (fs >= fe)
			continue;
		e820__range_add(log, table, fs, fe - fs, new_type);
		updated += fe - fs;
		e->size -= fe - fs;
		if (e->addr < fs)
			continue;
		e->addr = fe;
	}
	return updated;
}

/**
 * e820__range_remove() - remove [start, start+size) from entries
 * @old_type: the only type removed, when @check_type
 *
 * Linux's e820__range_remove(), with its "e820: remove" line.  Fully covered
 * entries are zeroed in place and vanish at the next sanitize.
 *
 * Return: the number of bytes removed.
 */
uint64_t e820__range_remove(struct mp_log *log, struct e820_table *table, uint64_t start,
			    uint64_t size, uint32_t old_type, bool check_type)
{
	char buf[32];
	uint64_t end, removed = 0;

	if (size > UINT64_MAX - start)
		size = UINT64_MAX - start;
	end = start + size;
	/* Without a type Linux's line keeps its trailing space. */
	print_update_line(log, "remove", start, end,
			  check_type ? e820_type_name(old_type, buf, sizeof(buf)) : "");

	for (uint32_t i = 0; i < table->nr_entries; i++) {
		struct e820_entry *e = &table->entries[i];
		uint64_t e_end, fs, fe;

		if (check_type && e->type != old_type)
			continue;
		e_end = e->addr + e->size;
		if (e->addr >= start && e_end <= end) {
			removed += e->size;
			mp_memset(e, 0, sizeof(*e));
			continue;
		}
		if (e->addr < start && e_end > end) {
			e820__range_add(log, table, end, e_end - end, e->type);
			e->size = start - e->addr;
			removed += size;
			continue;
		}
		fs = start > e->addr ? start : e->addr;
		fe = end < e_end ? end : e_end;
		if (fs >= fe)
			continue;
		removed += fe - fs;
		e->size -= fe - fs;
		if (e->addr < fs)
			continue;
		e->addr = fe;
	}
	return removed;
}

/**
 * e820__print_table() - print each entry as Linux's e820__print_table()
 * @who: the line prefix, as Linux's "BIOS-e820" or "modified"
 */
void e820__print_table(struct mp_log *log, const struct e820_table *table, const char *who)
{
	char buf[32];

	for (uint32_t i = 0; i < table->nr_entries; i++) {
		const struct e820_entry *e = &table->entries[i];

		mp_printk(log, "%s: [mem %#018llx-%#018llx] %s\n", who, (unsigned long long)e->addr,
			  (unsigned long long)(e->addr + e->size - 1),
			  e820_type_name(e->type, buf, sizeof(buf)));
	}
}

/**
 * e820_end_pfn() - where RAM below @limit_pfn ends, as Linux's e820_end_pfn()
 * @log: where Linux's "last_pfn = ..." line goes
 * @table: the e820 table
 * @limit_pfn: the page frame the result may not pass
 * @max_arch_pfn: the paging mode's (MAX_ARCH_PFN), which Linux also prints
 * @type: the entries that count: E820_TYPE_RAM
 * @also_type: another type that counts (6.12's e820__end_ram_pfn() counts
 *	       E820_TYPE_ACPI too), or 0
 *
 * The walk stops at the first entry that crosses the limit.
 *
 * Return: the page frame after the last entry that counts (0 when there is
 * none), capped at @limit_pfn and @max_arch_pfn.
 */
uint64_t e820_end_pfn(struct mp_log *log, const struct e820_table *table, uint64_t limit_pfn,
		      uint64_t max_arch_pfn, uint32_t type, uint32_t also_type)
{
	uint64_t last_pfn = 0;

	for (uint32_t i = 0; i < table->nr_entries; i++) {
		const struct e820_entry *e = &table->entries[i];
		uint64_t start_pfn, end_pfn;

		if (e->type != type && (!also_type || e->type != also_type))
			continue;
		start_pfn = e->addr >> PAGE_SHIFT;
		end_pfn = (e->addr + e->size) >> PAGE_SHIFT;
		if (start_pfn >= limit_pfn)
			continue;
		if (end_pfn > limit_pfn) {
			last_pfn = limit_pfn;
			break;
		}
		if (end_pfn > last_pfn)
			last_pfn = end_pfn;
	}
	if (last_pfn > max_arch_pfn)
		last_pfn = max_arch_pfn;
	mp_printk(log, "last_pfn = %#llx max_arch_pfn = %#llx\n", (unsigned long long)last_pfn,
		  (unsigned long long)max_arch_pfn);
	return last_pfn;
}

/* sizeof(struct nosave_region) in both builds: a list head and two page frames */
#define NOSAVE_REGION_BYTES 32
/* sizeof(struct firmware_map_entry) in both builds: a range, its type's name, a kobject */
#define FIRMWARE_MAP_ENTRY_BYTES 104

/*
 * register_nosave_region(): one line per range.  A range that continues
 * the previous one (*last_end_pfn, 0 before the first) only extends it; any
 * other takes a struct nosave_region from memblock.  The line is the same.
 */
static void register_nosave_region(struct mp_log *log, struct memblock *mb, uint64_t *last_end_pfn,
				   uint64_t start_pfn, uint64_t end_pfn)
{
	if (start_pfn >= end_pfn)
		return;
	if (!*last_end_pfn || *last_end_pfn != start_pfn)
		memblock_alloc(mb, NOSAVE_REGION_BYTES, SMP_CACHE_BYTES);
	*last_end_pfn = end_pfn;
	mp_printk(log, "PM: hibernation: Registered nosave memory: [mem %#010llx-%#010llx]\n",
		  (unsigned long long)(start_pfn << PAGE_SHIFT), (unsigned long long)((end_pfn << PAGE_SHIFT) - 1));
}

/**
 * e820__register_nosave_regions() - the ranges hibernation does not save
 * @log: where Linux's "PM: hibernation: Registered nosave memory" lines go
 * @mb: memblock, for each new region's record
 * @table: the e820 table as setup_arch() leaves it
 * @limit_pfn: max_pfn
 *
 * Every gap before a RAM (or kernel-reserved) entry, and everything from
 * the last one's end to @limit_pfn, in page frames rounded outwards.
 */
void e820__register_nosave_regions(struct mp_log *log, struct memblock *mb, const struct e820_table *table,
				   uint64_t limit_pfn)
{
	uint64_t last_addr = 0, last_end_pfn = 0;

	for (uint32_t i = 0; i < table->nr_entries; i++) {
		const struct e820_entry *e = &table->entries[i];

		if (e->type != E820_TYPE_RAM && e->type != E820_TYPE_RESERVED_KERN)
			continue;
		if (last_addr < e->addr)
			register_nosave_region(log, mb, &last_end_pfn, PFN_DOWN(last_addr), PFN_UP(e->addr));
		last_addr = e->addr + e->size;
	}
	register_nosave_region(log, mb, &last_end_pfn, PFN_DOWN(last_addr), limit_pfn);
}

/* firmware_map_add_early(): /sys/firmware/memmap's record of one entry. */
static void firmware_map_add_early(struct memblock *mb)
{
	memblock_alloc(mb, FIRMWARE_MAP_ENTRY_BYTES, SMP_CACHE_BYTES);
}

/**
 * e820__reserve_resources() - the memory setup_arch() takes for /proc/iomem and /sys/firmware/memmap
 * @mb: memblock
 * @table: e820_table: one struct resource per entry, in one allocation
 * @firmware: e820_table_firmware: one firmware map entry each
 *
 * The resources' tree is what report_iomem() shows; here only the
 * allocations, whose places decide where later ones land.
 */
void e820__reserve_resources(struct memblock *mb, const struct e820_table *table, const struct e820_table *firmware)
{
	memblock_alloc(mb, (uint64_t)RESOURCE_BYTES * table->nr_entries, SMP_CACHE_BYTES);
	for (uint32_t i = 0; i < firmware->nr_entries; i++)
		firmware_map_add_early(mb);
}

/**
 * e820__setup_pci_gap() - where Linux puts PCI BARs the firmware left unassigned
 * @log: where the "[mem ...] available for PCI devices" line goes
 * @table: the e820 table
 * @max_pfn: the end of RAM, for the fall-back above it
 *
 * e820_search_gap(): the largest hole below 4 GiB of at least 4 MiB,
 * walking the table from its end (the highest such hole wins ties).
 *
 * Return: the gap's start (Linux's pci_mem_start).
 */
uint64_t e820__setup_pci_gap(struct mp_log *log, const struct e820_table *table, uint64_t max_pfn)
{
	uint64_t last = 1ULL << 32, gapstart = 0, gapsize = 0x400000;
	bool found = false;

	for (uint32_t i = table->nr_entries; i-- > 0;) {
		uint64_t start = table->entries[i].addr, end = start + table->entries[i].size;

		if (last > end && last - end >= gapsize) {
			gapsize = last - end;
			gapstart = end;
			found = true;
		}
		if (start < last)
			last = start;
	}
	if (!found) {
		gapstart = (max_pfn << PAGE_SHIFT) + (1ULL << 20);
		mp_printk(log, "Cannot find an available gap in the 32-bit address range\n");
		mp_printk(log, "PCI devices with unassigned 32-bit BARs may not work!\n");
	}
	mp_printk(log, "[mem %#010llx-%#010llx] available for PCI devices\n", (unsigned long long)gapstart,
		  (unsigned long long)(gapstart + gapsize - 1));
	return gapstart;
}

/* ram_alignment(): how far Linux rounds up the end of RAM for its RAM buffer. */
static uint64_t ram_alignment(uint64_t pos)
{
	uint64_t mb = pos >> 20;

	if (!mb)
		return 64 << 10;
	if (mb < 16)
		return 1 << 20;
	return 64 << 20;
}

/**
 * e820__reserve_resources_late() - the "RAM buffer" after each RAM entry
 * @log: where the "e820: reserve RAM buffer" lines go
 * @table: the e820 table
 *
 * Each RAM entry's end is rounded up (to 64 KiB in the first MiB, 1 MiB
 * in the first 16, else 64 MiB) and the rest kept from PCI.
 */
void e820__reserve_resources_late(struct mp_log *log, const struct e820_table *table)
{
	for (uint32_t i = 0; i < table->nr_entries; i++) {
		const struct e820_entry *e = &table->entries[i];
		uint64_t start = e->addr + e->size, end;

		if (e->type != E820_TYPE_RAM)
			continue;
		end = round_up(start, ram_alignment(start)) - 1;
		if (start >= end)
			continue;
		mp_printk(log, "e820: reserve RAM buffer [mem %#010llx-%#010llx]\n", (unsigned long long)start,
			  (unsigned long long)end);
	}
}
