// SPDX-License-Identifier: MIT
/*
 * SRAT and SLIT, read as Linux 6.1 reads them on x86, with Linux's lines,
 * plus memprobe's own FWTS-style checks of the SRAT.
 *
 * Where Linux's handlers would read past a subtable that runs off the end
 * of the table, memprobe reports it and skips that subtable instead.
 */
#include "memprobe/srat.h"

#include "memprobe/util.h"

enum srat_type {
	SRAT_CPU = 0,
	SRAT_MEMORY = 1,
	SRAT_X2APIC = 2,
	SRAT_GICC = 3,
	SRAT_GIC_ITS = 4,
	SRAT_GENERIC_INITIATOR = 5,
	SRAT_GENERIC_PORT = 6,
	SRAT_RINTC = 7,
};

/* Each type's structure size, and the flag bits the spec defines. */
static const struct {
	uint8_t length;
	uint8_t flags_offset;	/* 0: no flags field */
	uint32_t flags_defined;
	const char *name;
} srat_types[] = {
	[SRAT_CPU] = { 16, 4, 0x1, "Processor Local APIC/SAPIC Affinity" },
	[SRAT_MEMORY] = { 40, 28, 0x7, "Memory Affinity" },
	[SRAT_X2APIC] = { 24, 12, 0x1, "Processor Local x2APIC Affinity" },
	[SRAT_GICC] = { 18, 10, 0xf, "GICC Affinity" },
	[SRAT_GIC_ITS] = { 12, 0, 0, "GIC ITS Affinity" },
	[SRAT_GENERIC_INITIATOR] = { 32, 24, 0x3, "Generic Initiator Affinity" },
	[SRAT_GENERIC_PORT] = { 32, 24, 0x3, "Generic Port Affinity" },
	[SRAT_RINTC] = { 20, 12, 0x1, "RINTC Affinity" },
};

#define SRAT_ENABLED 0x1
#define SRAT_MEM_HOTPLUG 0x2
#define SRAT_MEM_NONVOLATILE 0x4

bool node_isset(const uint8_t *mask, int node)
{
	return node >= 0 && node < MAX_NUMNODES && (mask[node / 8] >> (node % 8)) & 1;
}

static void node_set(uint8_t *mask, int node)
{
	mask[node / 8] |= (uint8_t)(1u << (node % 8));
}

void srat_init(struct srat_info *s)
{
	mp_memset(s, 0, sizeof(*s));
	for (int i = 0; i < MAX_PXM_DOMAINS; i++)
		s->pxm_to_node[i] = NUMA_NO_NODE;
	for (int i = 0; i < MAX_NUMNODES; i++)
		s->node_to_pxm[i] = PXM_INVAL;
	for (int i = 0; i < MAX_LOCAL_APIC; i++)
		s->apicid_to_node[i] = NUMA_NO_NODE;
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

/* numa_add_memblk(): zero-length blocks vanish, invalid ones are warned about. */
int numa_add_memblk(struct srat_info *s, int nid, uint64_t start, uint64_t end,
		    struct mp_log *log)
{
	if (start == end)
		return 0;
	if (start > end || nid < 0 || nid >= MAX_NUMNODES) {
		mp_printk(log, "Warning: invalid memblk node %d [mem %#010llx-%#010llx]\n", nid,
			  (unsigned long long)start, (unsigned long long)(end - 1));
		return 0;
	}
	if (s->nr_memblks >= NR_NODE_MEMBLKS) {
		mp_printk(log, "too many memblk ranges\n");
		return -1;
	}
	s->memblk[s->nr_memblks++] = (struct numa_memblk){ start, end, nid };
	return 0;
}

/* One subtable: its type, length and where it starts. */
struct subtable {
	const struct acpi_table *t;
	uint32_t off;
	uint8_t type, length;
};

static uint32_t sub32(const struct subtable *e, uint32_t at)
{
	uint32_t v = 0;

	acpi_get32(e->t, e->off + at, &v);
	return v;
}

static uint8_t sub8(const struct subtable *e, uint32_t at)
{
	uint8_t v = 0;

	acpi_get8(e->t, e->off + at, &v);
	return v;
}

/* A known subtable whose structure does not fit in the table is not read. */
static bool fits(const struct subtable *e, struct srat_info *s, struct mp_log *log)
{
	uint32_t need = e->type < sizeof(srat_types) / sizeof(srat_types[0]) ? srat_types[e->type].length
									       : 2;

	if (e->off + need <= e->t->length)
		return true;
	mp_printk(log, "memprobe: [Firmware Bug]: SRAT at offset 0x%x: %s subtable (%u bytes) runs "
		       "past the table's end at 0x%x; skipped\n",
		  e->off, srat_types[e->type].name, need, e->t->length);
	s->problems++;
	return false;
}

static void cpu_affinity(struct srat_info *s, const struct subtable *e, struct mp_log *log)
{
	uint32_t pxm = sub8(e, 2), apic_id = sub8(e, 3);
	int node;

	if (s->disabled)
		return;
	if (e->length != 16) {
		bad_srat(s, log);
		return;
	}
	if (!(sub32(e, 4) & SRAT_ENABLED))
		return;
	if (s->revision >= 2)
		pxm |= (uint32_t)(sub8(e, 9) | sub8(e, 10) << 8 | sub8(e, 11) << 16) << 8;
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
	mp_printk(log, "SRAT: PXM %u -> APIC 0x%02x -> Node %u\n", pxm, apic_id, node);
}

/*
 * x2APIC entries.  Linux first asks the active APIC driver whether the ID
 * is valid; memprobe takes the x2APIC driver's answer (every ID is), since
 * IDs that only x2APIC can address need that driver anyway.
 */
static void x2apic_affinity(struct srat_info *s, const struct subtable *e, struct mp_log *log)
{
	uint32_t pxm = sub32(e, 4), apic_id = sub32(e, 8);
	int node;

	if (s->disabled)
		return;
	if (e->length < 24) {
		bad_srat(s, log);
		return;
	}
	if (!(sub32(e, 12) & SRAT_ENABLED))
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
	mp_printk(log, "SRAT: PXM %u -> APIC 0x%04x -> Node %u\n", pxm, apic_id, node);
}

/* Generic initiators: a disabled one returns an error (which stops later handlers). */
static int generic_initiator(struct srat_info *s, const struct subtable *e, struct mp_log *log)
{
	int node;

	if (!(sub32(e, 24) & SRAT_ENABLED))
		return -1;
	node = map_pxm_to_node(s, (int64_t)(int32_t)sub32(e, 4));
	if (node == NUMA_NO_NODE) {
		mp_printk(log, "ACPI: SRAT: Too many proximity domains.\n");
		return -1;
	}
	node_set(s->nodes_parsed, node);
	return 0;
}

/* acpi_numa_memory_affinity_init(); returns 0 when the entry counts as parsed. */
static int memory_affinity(struct srat_info *s, const struct subtable *e, struct memblock *mb,
			   struct mp_log *log)
{
	uint32_t flags = sub32(e, 28), pxm = sub32(e, 2);
	uint64_t start = (uint64_t)sub32(e, 12) << 32 | sub32(e, 8);
	uint64_t length = (uint64_t)sub32(e, 20) << 32 | sub32(e, 16);
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
	if (numa_add_memblk(s, node, start, end, log) < 0) {
		mp_printk(log, "ACPI: SRAT: Failed to add memblk to node %u [mem %#010llx-%#010llx]\n",
			  node, (unsigned long long)start, (unsigned long long)(end - 1));
		bad_srat(s, log);
		return -1;
	}
	node_set(s->nodes_parsed, node);
	mp_printk(log, "ACPI: SRAT: Node %u PXM %u [mem %#010llx-%#010llx]%s%s\n", node, pxm,
		  (unsigned long long)start, (unsigned long long)(end - 1), hotplug ? " hotplug" : "",
		  flags & SRAT_MEM_NONVOLATILE ? " non-volatile" : "");
	if (hotplug && mb) {
		if (memblock_mark_hotplug(mb, start, length))
			mp_printk(log, "ACPI: SRAT: Failed to mark hotplug range [mem %#010llx-%#010llx] "
				       "in memblock\n",
				  (unsigned long long)start, (unsigned long long)(end - 1));
		else
			s->hotplug_bytes += length;
	}
	return 0;
}

/*
 * acpi_parse_entries_array(): walk the subtables after the 48-byte header
 * while a 2-byte subtable header still fits.  Once a handler fails, later
 * matching subtables of the same walk are no longer handed to handlers.
 * A zero length ends the walk with Linux's error (naming the walk's first
 * type, as Linux does).  Returns the count of matching subtables, or -1.
 */
static int walk(struct srat_info *s, const struct acpi_table *t, bool memory_pass,
		struct memblock *mb, struct mp_log *log)
{
	int count = 0, errs = 0;

	for (uint32_t off = SRAT_HEADER_SIZE; off + 2 < t->length;) {
		struct subtable e = { t, off, 0, 0 };
		bool match;

		acpi_get8(t, off, &e.type);
		acpi_get8(t, off + 1, &e.length);
		match = memory_pass ? e.type == SRAT_MEMORY
				    : e.type == SRAT_CPU || e.type == SRAT_X2APIC ||
					      e.type == SRAT_GICC || e.type == SRAT_GENERIC_INITIATOR;
		if (match) {
			if (!errs && fits(&e, s, log)) {
				int ret = 0;

				if (e.type == SRAT_CPU)
					cpu_affinity(s, &e, log);
				else if (e.type == SRAT_X2APIC)
					x2apic_affinity(s, &e, log);
				else if (e.type == SRAT_GENERIC_INITIATOR)
					ret = generic_initiator(s, &e, log);
				else if (e.type == SRAT_MEMORY && !memory_affinity(s, &e, mb, log))
					s->parsed_memblks++;
				errs += ret != 0;
			}
			count++;
		}
		if (e.length == 0) {
			mp_printk(log, "ACPI: [SRAT:0x%02x] Invalid zero length\n",
				  memory_pass ? SRAT_MEMORY : SRAT_CPU);
			return -1;
		}
		off += e.length;
	}
	return errs ? -1 : count;
}

/* acpi_parse_slit(): locality count, matrix and Linux's validity check. */
static void parse_slit(struct slit_info *slit, const struct acpi_table *t, struct mp_log *log)
{
	uint64_t count = 0;

	slit->present = true;
	acpi_get64(t, ACPI_HEADER_SIZE, &count);
	if (count > SLIT_MAX_LOCALITIES || ACPI_HEADER_SIZE + 8 + count * count > t->length) {
		mp_printk(log, "memprobe: [Firmware Bug]: SLIT at offset 36: locality count %llu "
			       "needs %llu bytes, the table has %u; SLIT not used\n",
			  (unsigned long long)count, (unsigned long long)(44 + count * count), t->length);
		return;
	}
	slit->localities = (uint32_t)count;
	slit->matrix = t->bytes + ACPI_HEADER_SIZE + 8;
	slit->valid = true;
	for (uint32_t i = 0; i < count; i++)
		for (uint32_t j = 0; j < count; j++) {
			uint8_t d = slit->matrix[i * count + j];

			if (i == j ? d != 10 : d <= 10)
				slit->valid = false;
		}
	if (!slit->valid)
		mp_printk(log, "ACPI: SLIT table looks invalid. Not used.\n");
}

/*
 * acpi_numa_init() followed by x86_acpi_numa_init()'s verdict: 0 when the
 * SRAT gave memory affinity, <0 when NUMA must fall back.
 */
int acpi_numa_init(struct srat_info *s, struct slit_info *slit, const struct acpi_tables *at,
		   struct memblock *mb, struct mp_log *log)
{
	const struct acpi_table *srat = acpi_find_table(at, "SRAT");
	const struct acpi_table *slit_table = acpi_find_table(at, "SLIT");
	int cnt = 0;

	mp_memset(slit, 0, sizeof(*slit));
	if (srat) {
		s->present = true;
		acpi_get8(srat, 8, &s->revision);
		walk(s, srat, false, mb, log);
		cnt = walk(s, srat, true, mb, log);
	}
	if (slit_table)
		parse_slit(slit, slit_table, log);
	if (cnt < 0)
		s->result = cnt;
	else if (!s->parsed_memblks)
		s->result = -2;	/* -ENOENT */
	else
		s->result = s->disabled ? -1 : 0;
	return s->result;
}

static void finding(struct srat_info *s, struct mp_log *log, const char *fmt, uint32_t off,
		    const char *what, uint32_t a, uint32_t b)
{
	char text[160];

	mp_snprintf(text, sizeof(text), fmt, what, a, b);
	mp_printk(log, "memprobe: [Firmware Bug]: SRAT at offset 0x%x: %s\n", off, text);
	s->problems++;
}

/* The subtables Linux does not use on x86, shown for completeness. */
static void describe_other(const struct subtable *e, struct mp_log *log)
{
	switch (e->type) {
	case SRAT_GICC:
		mp_printk(log, "memprobe: SRAT at offset 0x%x: GICC Affinity: PXM %u, processor UID "
			       "%u, flags 0x%x (not used on x86)\n",
			  e->off, sub32(e, 2), sub32(e, 6), sub32(e, 10));
		break;
	case SRAT_GIC_ITS:
		mp_printk(log, "memprobe: SRAT at offset 0x%x: GIC ITS Affinity: PXM %u, ITS ID %u "
			       "(not used on x86)\n",
			  e->off, sub32(e, 2), sub32(e, 8));
		break;
	case SRAT_GENERIC_PORT:
		mp_printk(log, "memprobe: SRAT at offset 0x%x: Generic Port Affinity: PXM %u, "
			       "handle type %u, flags 0x%x (not used by Linux 6.1)\n",
			  e->off, sub32(e, 4), sub8(e, 3), sub32(e, 24));
		break;
	case SRAT_RINTC:
		mp_printk(log, "memprobe: SRAT at offset 0x%x: RINTC Affinity: PXM %u, processor UID "
			       "%u, flags 0x%x (not used on x86)\n",
			  e->off, sub32(e, 4), sub32(e, 8), sub32(e, 12));
		break;
	default:
		break;
	}
}

/*
 * FWTS-style checks, each reported on one line with the offset: reserved
 * header field, subtable lengths, reserved flag bits, unknown types,
 * duplicate memory ranges and memory ranges that overlap between nodes.
 */
void srat_validate(const struct acpi_table *t, struct srat_info *s, struct mp_log *log)
{
	uint32_t reserved1 = 0;

	if (t->length < SRAT_HEADER_SIZE) {
		finding(s, log, "%s %u is shorter than the %u-byte SRAT header", 4, "table length",
			t->length, SRAT_HEADER_SIZE);
		return;
	}
	acpi_get32(t, ACPI_HEADER_SIZE, &reserved1);
	if (reserved1 != 1)
		finding(s, log, "%s is %u, must be %u for backward compatibility", ACPI_HEADER_SIZE,
			"reserved field", reserved1, 1);
	for (uint32_t off = SRAT_HEADER_SIZE; off + 2 <= t->length;) {
		struct subtable e = { t, off, 0, 0 };
		bool known;

		acpi_get8(t, off, &e.type);
		acpi_get8(t, off + 1, &e.length);
		known = e.type < sizeof(srat_types) / sizeof(srat_types[0]);
		if (e.length < 2) {
			finding(s, log, "%s length is %u (type %u); the rest of the table cannot be walked",
				off, "subtable", e.length, e.type);
			return;
		}
		if (off + e.length > t->length) {
			finding(s, log, "%s of %u bytes runs past the table end at 0x%x", off, "subtable",
				e.length, t->length);
			return;
		}
		if (!known) {
			mp_printk(log, "memprobe: SRAT at offset 0x%x: unknown subtable type %u (%u "
				       "bytes) skipped\n",
				  off, e.type, e.length);
		} else if (e.length < srat_types[e.type].length) {
			finding(s, log, "%s is %u bytes, shorter than the %u of its type",
				off, srat_types[e.type].name, e.length, srat_types[e.type].length);
		} else {
			uint32_t flags = 0;

			if (srat_types[e.type].flags_offset) {
				flags = sub32(&e, srat_types[e.type].flags_offset);
				if (flags & ~srat_types[e.type].flags_defined)
					finding(s, log, "%s flags 0x%x set reserved bits 0x%x",
						off + srat_types[e.type].flags_offset, srat_types[e.type].name,
						flags, flags & ~srat_types[e.type].flags_defined);
			}
			describe_other(&e, log);
		}
		off += e.length;
	}
	for (unsigned i = 0; i < s->nr_memblks; i++)
		for (unsigned j = i + 1; j < s->nr_memblks; j++) {
			const struct numa_memblk *a = &s->memblk[i], *b = &s->memblk[j];

			if (a->start == b->start && a->end == b->end)
				mp_printk(log, "memprobe: [Firmware Bug]: SRAT: memory range [mem "
					       "%#010llx-%#010llx] is listed twice (nodes %d and %d)\n",
					  (unsigned long long)a->start, (unsigned long long)(a->end - 1),
					  a->nid, b->nid);
			else if (a->nid != b->nid && a->start < b->end && b->start < a->end)
				mp_printk(log, "memprobe: [Firmware Bug]: SRAT: node %d [mem "
					       "%#010llx-%#010llx] overlaps node %d [mem %#010llx-%#010llx]\n",
					  a->nid, (unsigned long long)a->start,
					  (unsigned long long)(a->end - 1), b->nid,
					  (unsigned long long)b->start, (unsigned long long)(b->end - 1));
			else
				continue;
			s->problems++;
		}
}

/*
 * The SLIT as numactl --hardware shows distances, by node (PXMs mapped
 * through the SRAT), and each node's /sys/devices/system/node/nodeN/distance.
 * Asymmetry is a note only: the spec does not require symmetry.
 */
void slit_print(const struct slit_info *slit, const struct srat_info *s, struct mp_log *log)
{
	char line[MP_LINE_MAX - 16];
	uint32_t n = slit->localities, shown = 0;

	if (!slit->present)
		return;
	mp_printk(log, "memprobe: SLIT: %u localities%s\n", n, slit->valid ? "" : " (not used)");
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < n; j++) {
			uint8_t d = slit->matrix[i * n + j];

			if (i == j ? d != 10 : d <= 10)
				mp_printk(log, "memprobe: [Firmware Bug]: SLIT at offset 0x%x: distance "
					       "from PXM %u to PXM %u is %u, %s\n",
					  44 + i * n + j, i, j, d,
					  i == j ? "must be 10 (local)" : "must be more than 10");
			else if (j > i && d != slit->matrix[j * n + i])
				mp_printk(log, "memprobe: note: SLIT is not symmetric: PXM %u -> %u is %u, "
					       "PXM %u -> %u is %u\n",
					  i, j, d, j, i, slit->matrix[j * n + i]);
		}
	if (!slit->valid)
		return;
	/* Rows and columns by node number, as numactl and sysfs show them. */
	for (int node = 0; node < MAX_NUMNODES; node++)
		shown += s->node_to_pxm[node] != PXM_INVAL && (uint32_t)s->node_to_pxm[node] < n;
	if (!shown)
		return;
	mp_printk(log, "node distances:\n");
	for (int from = -1; from < MAX_NUMNODES; from++) {
		unsigned len;

		if (from >= 0 && (s->node_to_pxm[from] == PXM_INVAL || (uint32_t)s->node_to_pxm[from] >= n))
			continue;
		len = from < 0 ? mp_snprintf(line, sizeof(line), "node ")
			       : mp_snprintf(line, sizeof(line), "% 3d: ", from);
		for (int to = 0; to < MAX_NUMNODES && len < sizeof(line) - 8; to++) {
			if (s->node_to_pxm[to] == PXM_INVAL || (uint32_t)s->node_to_pxm[to] >= n)
				continue;
			len += mp_snprintf(line + len, sizeof(line) - len, "% 3d ",
					   from < 0 ? to
						    : slit->matrix[(uint32_t)s->node_to_pxm[from] * n +
								   (uint32_t)s->node_to_pxm[to]]);
		}
		mp_printk(log, "%s\n", line);
	}
	for (int from = 0; from < MAX_NUMNODES; from++) {
		unsigned len = 0;

		if (s->node_to_pxm[from] == PXM_INVAL || (uint32_t)s->node_to_pxm[from] >= n)
			continue;
		for (int to = 0; to < MAX_NUMNODES && len < sizeof(line) - 8; to++)
			if (s->node_to_pxm[to] != PXM_INVAL && (uint32_t)s->node_to_pxm[to] < n)
				len += mp_snprintf(line + len, sizeof(line) - len, "%s%u", len ? " " : "",
						   slit->matrix[(uint32_t)s->node_to_pxm[from] * n +
								(uint32_t)s->node_to_pxm[to]]);
		mp_printk(log, "memprobe: /sys/devices/system/node/node%d/distance: %s\n", from, line);
	}
}
