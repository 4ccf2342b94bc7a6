// SPDX-License-Identifier: MIT
/*
 * FWTS-style checks of the SRAT and the SLIT, beyond what Linux checks:
 * each finding names the offset; each kind of defect that can repeat per
 * pair of entries is shown with a few examples and a count.
 */
#include "memprobe/acpi/checks.h"

#include "memprobe/lib/defects.h"
#include "memprobe/lib/util.h"

/* One defect of the SRAT's layout, at an offset: fmt takes what, a and b. */
static void finding(unsigned *problems, struct mp_log *log, const char *kind, const char *fmt, uint32_t off,
		    const char *what, uint32_t a, uint32_t b)
{
	char text[160];

	mp_snprintf(text, sizeof(text), fmt, what, a, b);
	fw_bug(log, "SRAT", kind, off, "memprobe: [Firmware Bug]: SRAT at offset 0x%x: %s\n", off, text);
	(*problems)++;
}

/* The subtables Linux does not use on x86, shown for completeness. */
static void describe_other(const struct acpi_table *t, uint32_t off, uint8_t type, struct mp_log *log)
{
	switch (type) {
	case SRAT_GICC:
		mp_printk(log, "memprobe: SRAT at offset 0x%x: GICC Affinity: PXM %u, processor UID "
			       "%u, flags 0x%x (not used on x86)\n",
			  off, acpi_u32(t, off + 2), acpi_u32(t, off + 6), acpi_u32(t, off + 10));
		break;
	case SRAT_GIC_ITS:
		mp_printk(log, "memprobe: SRAT at offset 0x%x: GIC ITS Affinity: PXM %u, ITS ID %u "
			       "(not used on x86)\n",
			  off, acpi_u32(t, off + 2), acpi_u32(t, off + 8));
		break;
	case SRAT_GENERIC_PORT:
		mp_printk(log, "memprobe: SRAT at offset 0x%x: Generic Port Affinity: PXM %u, "
			       "handle type %u, flags 0x%x (not used by Linux 6.1)\n",
			  off, acpi_u32(t, off + 4), acpi_u8(t, off + 3), acpi_u32(t, off + 24));
		break;
	case SRAT_RINTC:
		mp_printk(log, "memprobe: SRAT at offset 0x%x: RINTC Affinity: PXM %u, processor UID "
			       "%u, flags 0x%x (not used on x86)\n",
			  off, acpi_u32(t, off + 4), acpi_u32(t, off + 8), acpi_u32(t, off + 12));
		break;
	default:
		break;
	}
}

/* Memory ranges listed twice, and ranges of two nodes that overlap: each kind bounded. */
static unsigned check_memory_ranges(const struct srat_info *s, struct mp_log *log)
{
	struct mp_findings twice = { 0 }, overlap = { 0 };

	for (unsigned i = 0; i < s->nr_memblks; i++)
		for (unsigned j = i + 1; j < s->nr_memblks; j++) {
			const struct srat_memblk *a = &s->memblk[i], *b = &s->memblk[j];

			if (a->start == b->start && a->end == b->end) {
				if (mp_finding(&twice))
					fw_bug(log, "SRAT", "duplicate-range", FW_BUG_NO_OFFSET,
					       "memprobe: [Firmware Bug]: SRAT: memory range [mem "
					       "%#010llx-%#010llx] is listed twice (nodes %d and %d)\n",
					       (unsigned long long)a->start, (unsigned long long)(a->end - 1),
					       a->nid, b->nid);
			} else if (a->nid != b->nid && a->start < b->end && b->start < a->end) {
				if (mp_finding(&overlap))
					fw_bug(log, "SRAT", "overlap", FW_BUG_NO_OFFSET,
					       "memprobe: [Firmware Bug]: SRAT: node %d [mem "
					       "%#010llx-%#010llx] overlaps node %d [mem %#010llx-%#010llx]\n",
					       a->nid, (unsigned long long)a->start,
					       (unsigned long long)(a->end - 1), b->nid,
					       (unsigned long long)b->start, (unsigned long long)(b->end - 1));
			}
		}
	fw_bug_more(log, "SRAT", "duplicate-range", &twice, "SRAT: memory ranges listed twice");
	fw_bug_more(log, "SRAT", "overlap", &overlap, "SRAT: memory ranges of two nodes that overlap");
	return twice.count + overlap.count;
}

/**
 * srat_validate() - FWTS-style checks of the SRAT
 *
 * Reserved header field, subtable lengths, reserved flag bits, unknown
 * types, duplicate memory ranges and ranges that overlap between nodes.
 * Return: the number of findings.
 */
unsigned srat_validate(const struct acpi_table *t, const struct srat_info *s, struct mp_log *log)
{
	unsigned problems = 0;
	uint32_t reserved1;

	if (t->length < SRAT_HEADER_SIZE) {
		finding(&problems, log, "length", "%s %u is shorter than the %u-byte SRAT header", 4,
			"table length", t->length, SRAT_HEADER_SIZE);
		return problems;
	}
	reserved1 = acpi_u32(t, ACPI_HEADER_SIZE);
	if (reserved1 != 1)
		finding(&problems, log, "reserved", "%s is %u, must be %u for backward compatibility",
			ACPI_HEADER_SIZE, "reserved field", reserved1, 1);
	for (uint32_t off = SRAT_HEADER_SIZE; off + 2 <= t->length;) {
		uint8_t type = acpi_u8(t, off), length = acpi_u8(t, off + 1);
		const struct srat_subtable_kind *kind = srat_subtable_kind(type);

		if (length < 2) {
			finding(&problems, log, "length",
				"%s length is %u (type %u); the rest of the table cannot be walked", off,
				"subtable", length, type);
			return problems;
		}
		if (off + length > t->length) {
			/* the parser named a walked subtable whose structure runs past already */
			if (!kind || !kind->walked || off + kind->length <= t->length)
				finding(&problems, log, "length", "%s of %u bytes runs past the table end at 0x%x",
					off, "subtable", length, t->length);
			return problems;
		}
		if (!kind) {
			mp_printk(log, "memprobe: SRAT at offset 0x%x: unknown subtable type %u (%u "
				       "bytes) skipped\n",
				  off, type, length);
		} else if (length < kind->length) {
			finding(&problems, log, "length", "%s is %u bytes, shorter than the %u of its type", off,
				kind->name, length, kind->length);
		} else {
			if (kind->flags_offset) {
				uint32_t flags = acpi_u32(t, off + kind->flags_offset);

				if (flags & ~kind->flags_defined)
					finding(&problems, log, "reserved-bits", "%s flags 0x%x set reserved bits 0x%x",
						off + kind->flags_offset, kind->name, flags,
						flags & ~kind->flags_defined);
			}
			describe_other(t, off, type, log);
		}
		off += length;
	}
	return problems + check_memory_ranges(s, log);
}

/*
 * The SLIT's size, its invalid entries and its asymmetric pairs (a note
 * only: the spec does not require symmetry), each kind bounded.
 */
void slit_validate(const struct slit_info *slit, struct mp_log *log)
{
	struct mp_findings invalid = { 0 }, asymmetric = { 0 };
	uint32_t n = slit->localities;

	if (!slit->present)
		return;
	mp_printk(log, "memprobe: SLIT: %u localities%s\n", n, slit->valid ? "" : " (not used)");
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < n; j++) {
			uint8_t d = slit->matrix[i * n + j];

			if (!slit_entry_valid(slit, i, j)) {
				if (mp_finding(&invalid))
					fw_bug(log, "SLIT", "distance", SLIT_MATRIX_OFFSET + i * n + j,
					       "memprobe: [Firmware Bug]: SLIT at offset 0x%x: "
					       "distance from PXM %u to PXM %u is %u, %s\n",
					       SLIT_MATRIX_OFFSET + i * n + j, i, j, d,
					       i == j ? "must be 10 (local)" : "must be more than 10");
			} else if (j > i && d != slit->matrix[j * n + i]) {
				if (mp_finding(&asymmetric))
					mp_printk(log, "memprobe: note: SLIT is not symmetric: PXM %u -> %u "
						       "is %u, PXM %u -> %u is %u\n",
						  i, j, d, j, i, slit->matrix[j * n + i]);
			}
		}
	fw_bug_more(log, "SLIT", "distance", &invalid, "SLIT: invalid distances");
	mp_findings_more(log, &asymmetric, "note: SLIT: asymmetric distance pairs");
}
