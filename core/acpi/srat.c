// SPDX-License-Identifier: MIT
/*
 * The SRAT, read as Linux 6.1 reads it on x86, with Linux's lines.  What it
 * says goes into struct srat_info once; nothing changes it after.
 *
 * Where Linux's handlers read past a subtable that runs off the end of the
 * table, memprobe reads the same memory (when its input holds it) and
 * names the bug.
 */
#include "memprobe/acpi/srat.h"

#include "memprobe/lib/defects.h"
#include "memprobe/lib/util.h"

#define SRAT_ENABLED 0x1
#define SRAT_MEM_HOTPLUG 0x2
#define SRAT_MEM_NONVOLATILE 0x4

/**
 * srat_init() - an empty srat_info: no PXM, node or APIC ID mapped (not all zero)
 */
void srat_init(struct srat_info *s)
{
	mp_memset(s, 0, sizeof(*s));
	for (int i = 0; i < MAX_PXM_DOMAINS; i++)
		s->pxm_to_node[i] = NUMA_NO_NODE;
	for (int i = 0; i < MAX_NUMNODES; i++)
		s->node_to_pxm[i] = PXM_INVAL;
	/* NUMA_NO_NODE is -1: every bit set */
	mp_memset(s->apicid_to_node, 0xff, sizeof(s->apicid_to_node));
}

/* acpi_map_pxm_to_node(): a new PXM gets the lowest node not handed out yet. */
static int map_pxm_to_node(struct srat_info *s, int64_t pxm)
{
	int node;

	if (pxm < 0 || pxm >= MAX_PXM_DOMAINS)
		return NUMA_NO_NODE;
	if (s->pxm_to_node[pxm] != NUMA_NO_NODE)
		return s->pxm_to_node[pxm];
	for (node = 0; node < MAX_NUMNODES && node_isset(s->nodes_found, node); node++)
		;
	if (node == MAX_NUMNODES)
		return NUMA_NO_NODE;
	s->pxm_to_node[pxm] = node;
	if (s->node_to_pxm[node] == PXM_INVAL || pxm < s->node_to_pxm[node])
		s->node_to_pxm[node] = (int)pxm;
	node_set(s->nodes_found, node);
	return node;
}

static void bad_srat(struct srat_info *s, struct mp_log *log)
{
	mp_printk(log, "ACPI: SRAT: SRAT not used.\n");
	s->disabled = true;
}

/* One subtable: its type, length and where it starts. */
struct subtable {
	const struct acpi_table *t;
	uint32_t off;
	uint8_t type, length;
};

/* The structure sizes, flag bits and names of the subtable types the spec defines. */
static const struct srat_subtable_kind srat_kinds[] = {
	[SRAT_CPU] = { true, 16, 4, 0x1, "Processor Local APIC/SAPIC Affinity" },
	[SRAT_MEMORY] = { true, 40, 28, 0x7, "Memory Affinity" },
	[SRAT_X2APIC] = { true, 24, 12, 0x1, "Processor Local x2APIC Affinity" },
	[SRAT_GICC] = { true, 18, 10, 0xf, "GICC Affinity" },
	[SRAT_GIC_ITS] = { false, 12, 0, 0, "GIC ITS Affinity" },
	[SRAT_GENERIC_INITIATOR] = { true, 32, 24, 0x3, "Generic Initiator Affinity" },
	[SRAT_GENERIC_PORT] = { false, 32, 24, 0x3, "Generic Port Affinity" },
	[SRAT_RINTC] = { false, 20, 12, 0x1, "RINTC Affinity" },
};

/**
 * srat_subtable_kind() - what the spec says of a subtable type
 * Return: its size, flags and name, or NULL for a type the spec does not define.
 */
const struct srat_subtable_kind *srat_subtable_kind(uint8_t type)
{
	return type < ARRAY_SIZE(srat_kinds) ? &srat_kinds[type] : NULL;
}

/*
 * A subtable whose structure runs past the table's end: Linux's handlers
 * do not check, and read what follows the table in memory.  memprobe
 * reads the same bytes where it can (e->t becomes a view reaching them),
 * names the bug either way, and skips the subtable only when those bytes
 * are not in its input.  Return: whether to hand the subtable to its handler.
 */
static bool fits(const struct acpi_tables *at, struct subtable *e, struct acpi_table *view,
		 struct srat_info *s, struct mp_log *log)
{
	const struct srat_subtable_kind *kind = srat_subtable_kind(e->type);
	uint32_t need = kind ? kind->length : 2;

	if (e->off + need <= e->t->length)
		return true;
	s->problems++;
	if (acpi_read_past_end(at, e->t, e->off + need, view)) {
		fw_bug(log, "SRAT", "length", e->off,
		       "memprobe: [Firmware Bug]: SRAT at offset 0x%x: %s subtable (%u bytes) "
		       "runs past the table's end at 0x%x; Linux reads the missing bytes from "
		       "the memory after the table, and so does memprobe: what follows depends "
		       "on them\n",
		       e->off, kind ? kind->name : "unknown", need, e->t->length);
		e->t = view;
		return true;
	}
	fw_bug(log, "SRAT", "length", e->off,
	       "memprobe: [Firmware Bug]: SRAT at offset 0x%x: %s subtable (%u bytes) runs "
	       "past the table's end at 0x%x; Linux reads the missing bytes from the memory "
	       "after the table, which this input does not hold: skipped\n",
	       e->off, kind ? kind->name : "unknown", need, e->t->length);
	return false;
}

static void cpu_affinity(struct srat_info *s, const struct subtable *e, struct mp_log *log)
{
	uint32_t pxm = acpi_u8(e->t, e->off + 2), apic_id = acpi_u8(e->t, e->off + 3);
	int node;

	if (s->disabled)
		return;
	if (e->length != 16) {
		bad_srat(s, log);
		return;
	}
	if (!(acpi_u32(e->t, e->off + 4) & SRAT_ENABLED))
		return;
	if (s->revision >= 2)
		pxm |= (uint32_t)(acpi_u8(e->t, e->off + 9) | acpi_u8(e->t, e->off + 10) << 8 | acpi_u8(e->t, e->off + 11) << 16) << 8;
	node = map_pxm_to_node(s, pxm);
	if (node < 0) {
		mp_printk(log, "SRAT: Too many proximity domains %x\n", pxm);
		bad_srat(s, log);
		return;
	}
	if (apic_id >= MAX_LOCAL_APIC) {
		mp_printk(log, "SRAT: PXM %u -> APIC 0x%02x -> Node %u skipped apicid that is too big\n",
			  pxm, apic_id, node);
		return;
	}
	s->apicid_to_node[apic_id] = (int16_t)node;
	node_set(s->nodes_parsed, node);
	if (!s->quiet_cpus)
		mp_printk(log, "SRAT: PXM %u -> APIC 0x%02x -> Node %u\n", pxm, apic_id, node);
}

/*
 * x2APIC entries.  Linux first asks the active APIC driver whether the ID
 * is valid; memprobe takes the x2APIC driver's answer (every ID is), since
 * IDs that only x2APIC can address need that driver anyway.
 */
static void x2apic_affinity(struct srat_info *s, const struct subtable *e, struct mp_log *log)
{
	uint32_t pxm = acpi_u32(e->t, e->off + 4), apic_id = acpi_u32(e->t, e->off + 8);
	int node;

	if (s->disabled)
		return;
	if (e->length < 24) {
		bad_srat(s, log);
		return;
	}
	if (!(acpi_u32(e->t, e->off + 12) & SRAT_ENABLED))
		return;
	node = map_pxm_to_node(s, (int64_t)(int32_t)pxm);
	if (node < 0) {
		mp_printk(log, "SRAT: Too many proximity domains %x\n", pxm);
		bad_srat(s, log);
		return;
	}
	if (apic_id >= MAX_LOCAL_APIC) {
		mp_printk(log, "SRAT: PXM %u -> APIC 0x%04x -> Node %u skipped apicid that is too big\n",
			  pxm, apic_id, node);
		return;
	}
	s->apicid_to_node[apic_id] = (int16_t)node;
	node_set(s->nodes_parsed, node);
	if (!s->quiet_cpus)
		mp_printk(log, "SRAT: PXM %u -> APIC 0x%04x -> Node %u\n", pxm, apic_id, node);
}

/* Generic initiators: a disabled one returns an error (which stops later handlers). */
static int generic_initiator(struct srat_info *s, const struct subtable *e, struct mp_log *log)
{
	int node;

	if (!(acpi_u32(e->t, e->off + 24) & SRAT_ENABLED))
		return -1;
	node = map_pxm_to_node(s, (int64_t)(int32_t)acpi_u32(e->t, e->off + 4));
	if (node == NUMA_NO_NODE) {
		mp_printk(log, "ACPI: SRAT: Too many proximity domains.\n");
		return -1;
	}
	node_set(s->nodes_parsed, node);
	return 0;
}

/* acpi_numa_memory_affinity_init(); returns 0 when the entry counts as parsed. */
static int memory_affinity(struct srat_info *s, const struct subtable *e,
			   const struct srat_memory_hooks *hooks, struct mp_log *log)
{
	uint32_t flags = acpi_u32(e->t, e->off + 28), pxm = acpi_u32(e->t, e->off + 2);
	uint64_t start = (uint64_t)acpi_u32(e->t, e->off + 12) << 32 | acpi_u32(e->t, e->off + 8);
	uint64_t length = (uint64_t)acpi_u32(e->t, e->off + 20) << 32 | acpi_u32(e->t, e->off + 16);
	uint64_t end = start + length;
	bool hotplug = flags & SRAT_MEM_HOTPLUG;
	int node;

	if (s->disabled)
		return -1;
	if (e->length < 40) {
		mp_printk(log, "ACPI: SRAT: Unexpected header length: %d\n", e->length);
		bad_srat(s, log);
		return -1;
	}
	if (!(flags & SRAT_ENABLED))
		return -1;
	if (s->revision <= 1)
		pxm &= 0xff;
	node = map_pxm_to_node(s, (int64_t)(int32_t)pxm);
	if (node == NUMA_NO_NODE) {
		mp_printk(log, "ACPI: SRAT: Too many proximity domains.\n");
		bad_srat(s, log);
		return -1;
	}
	if (hooks->add_memblk(hooks->ctx, node, start, end) < 0) {
		mp_printk(log, "ACPI: SRAT: Failed to add memblk to node %u [mem %#010llx-%#010llx]\n",
			  node, (unsigned long long)start, (unsigned long long)(end - 1));
		bad_srat(s, log);
		return -1;
	}
	if (start < end && s->nr_memblks < SRAT_MAX_MEMBLKS)
		s->memblk[s->nr_memblks++] = (struct srat_memblk){ start, end, node };
	node_set(s->nodes_parsed, node);
	mp_printk(log, "ACPI: SRAT: Node %u PXM %u [mem %#010llx-%#010llx]%s%s\n", node, pxm,
		  (unsigned long long)start, (unsigned long long)(end - 1), hotplug ? " hotplug" : "",
		  flags & SRAT_MEM_NONVOLATILE ? " non-volatile" : "");
	if (hotplug) {
		if (hooks->mark_hotplug(hooks->ctx, start, length))
			mp_printk(log, "ACPI: SRAT: Failed to mark hotplug range [mem %#010llx-%#010llx] "
				       "in memblock\n",
				  (unsigned long long)start, (unsigned long long)(end - 1));
		else
			s->hotplug_bytes += length;
	}
	/* PFN_UP(end - 1), as Linux counts it: one page short of PFN_UP(end) when end - 1 is page-aligned */
	if (PFN_UP(end - 1) > s->max_pfn)
		s->max_pfn = PFN_UP(end - 1);
	return 0;
}

/*
 * acpi_parse_entries_array(): walk the subtables after the 48-byte header
 * while a 2-byte subtable header still fits.  Once a handler fails, later
 * matching subtables of the same walk are no longer handed to handlers.
 * A zero length ends the walk with Linux's error (naming the walk's first
 * type, as Linux does).  Returns the count of matching subtables, or -1.
 */
static int acpi_parse_entries_array(struct srat_info *s, const struct acpi_tables *at,
				    const struct acpi_table *t, bool memory_pass,
				    const struct srat_memory_hooks *hooks, struct mp_log *log)
{
	int count = 0, errs = 0;

	for (uint32_t off = SRAT_HEADER_SIZE; off + 2 < t->length;) {
		struct subtable e = { t, off, 0, 0 };
		struct acpi_table view;
		bool match;

		acpi_get8(t, off, &e.type);
		acpi_get8(t, off + 1, &e.length);
		match = memory_pass ? e.type == SRAT_MEMORY
				    : e.type == SRAT_CPU || e.type == SRAT_X2APIC ||
					      e.type == SRAT_GICC || e.type == SRAT_GENERIC_INITIATOR;
		if (match) {
			if (!errs && fits(at, &e, &view, s, log)) {
				int ret = 0;

				if (e.type == SRAT_CPU)
					cpu_affinity(s, &e, log);
				else if (e.type == SRAT_X2APIC)
					x2apic_affinity(s, &e, log);
				else if (e.type == SRAT_GENERIC_INITIATOR)
					ret = generic_initiator(s, &e, log);
				else if (e.type == SRAT_MEMORY && !memory_affinity(s, &e, hooks, log))
					s->parsed_memblks++;
				errs += ret != 0;
			}
			count++;
		}
		if (e.length == 0) {
			mp_printk(log, "%s[SRAT:0x%02x] Invalid zero length\n",
				  s->entries_prefix ? s->entries_prefix : "ACPI: ",
				  memory_pass ? SRAT_MEMORY : SRAT_CPU);
			return -1;
		}
		off += e.length;
	}
	return errs ? -1 : count;
}

/**
 * acpi_numa_init() - Linux's acpi_numa_init() followed by x86_acpi_numa_init()'s verdict
 * @s: the SRAT's facts, filled once
 * @slit: the SLIT's facts, cleared first
 *
 * Return: 0 when the SRAT gave memory affinity, <0 when NUMA must fall back:
 * -2 (-ENOENT) when no SRAT or no memory affinity entry was parsed, -1 when a
 * walk failed or the SRAT was found bad.  The verdict is also in s->result.
 */
int acpi_numa_init(struct srat_info *s, struct slit_info *slit, const struct acpi_tables *at,
		   const struct srat_memory_hooks *hooks, struct mp_log *log)
{
	const struct acpi_table *srat = acpi_find_table(at, "SRAT");
	const struct acpi_table *slit_table = acpi_find_table(at, "SLIT");
	int cnt = 0;

	mp_memset(slit, 0, sizeof(*slit));
	if (srat) {
		s->present = true;
		acpi_get8(srat, 8, &s->revision);
		acpi_parse_entries_array(s, at, srat, false, hooks, log);
		cnt = acpi_parse_entries_array(s, at, srat, true, hooks, log);
	}
	if (slit_table)
		acpi_parse_slit(slit, at, slit_table, log);
	if (cnt < 0)
		s->result = cnt;
	else if (!s->parsed_memblks)
		s->result = -2;	/* -ENOENT */
	else
		s->result = s->disabled ? -1 : 0;
	return s->result;
}
