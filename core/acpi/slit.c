// SPDX-License-Identifier: MIT
/*
 * The SLIT as Linux 6.1's acpi_parse_slit reads it (locality count, matrix,
 * validity), and as numactl and sysfs show it by node.
 */
#include "memprobe/acpi/slit.h"

#include "memprobe/acpi/srat.h"
#include "memprobe/lib/defects.h"
#include "memprobe/lib/util.h"

/**
 * slit_entry_valid() - slit_valid()'s rule for one entry
 * @from: the row's locality
 * @to: the column's locality
 *
 * Return: whether the distance is 10 on the diagonal, more than 10 elsewhere.
 */
bool slit_entry_valid(const struct slit_info *slit, uint32_t from, uint32_t to)
{
	uint8_t d = slit->matrix[from * slit->localities + to];

	return from == to ? d == LOCAL_DISTANCE : d > LOCAL_DISTANCE;
}

/**
 * acpi_parse_slit() - the matrix and slit_valid()'s verdict
 *
 * Linux takes the locality count as it is: a matrix longer than the table
 * is read on into the memory after it.  memprobe reads the same bytes
 * where its input holds them (see acpi_read_past_end) and names the bug.
 */
void acpi_parse_slit(struct slit_info *slit, const struct acpi_tables *at, const struct acpi_table *t,
		     struct mp_log *log)
{
	uint64_t count = acpi_u64(t, ACPI_HEADER_SIZE), need;
	struct acpi_table view;

	slit->present = true;
	if (count > SLIT_MAX_LOCALITIES) {
		fw_bug(log, "SLIT", "locality-count", 36,
		       "memprobe: [Firmware Bug]: SLIT at offset 36: locality count %llu, more "
		       "than %d; Linux reads count x count bytes from the table on, which memprobe "
		       "does not follow: SLIT taken as not used\n",
		       (unsigned long long)count, SLIT_MAX_LOCALITIES);
		return;
	}
	need = SLIT_MATRIX_OFFSET + count * count;
	if (need < t->length)
		mp_printk(log, "memprobe: note: SLIT: locality count %llu needs %llu bytes, the table has "
			       "%u; Linux ignores the rest\n",
			  (unsigned long long)count, (unsigned long long)need, t->length);
	if (need > t->length) {
		if (!acpi_read_past_end(at, t, (uint32_t)need, &view)) {
			fw_bug(log, "SLIT", "locality-count", 36,
			       "memprobe: [Firmware Bug]: SLIT at offset 36: locality count %llu "
			       "needs %llu bytes, the table has %u; Linux reads the rest from the "
			       "memory after the table, which this input does not hold: SLIT "
			       "taken as not used\n",
			       (unsigned long long)count, (unsigned long long)need, t->length);
			return;
		}
		fw_bug(log, "SLIT", "locality-count", 36,
		       "memprobe: [Firmware Bug]: SLIT at offset 36: locality count %llu needs "
		       "%llu bytes, the table has %u; Linux reads the rest from the memory after "
		       "the table, and so does memprobe: what follows depends on them\n",
		       (unsigned long long)count, (unsigned long long)need, t->length);
		t = &view;
	}
	slit->localities = (uint32_t)count;
	slit->matrix = t->bytes + SLIT_MATRIX_OFFSET;
	slit->valid = true;
	for (uint32_t i = 0; i < count && slit->valid; i++)
		for (uint32_t j = 0; j < count && slit->valid; j++)
			slit->valid = slit_entry_valid(slit, i, j);
	if (!slit->valid)
		mp_printk(log, "ACPI: SLIT table looks invalid. Not used.\n");
}

/*
 * The SLIT as numactl --hardware shows distances, by node (PXMs mapped
 * through the SRAT), and each node's /sys/devices/system/node/nodeN/distance.
 */
void slit_print_node_distances(const struct slit_info *slit, const struct srat_info *s,
			       struct mp_log *log)
{
	char line[MP_LINE_MAX - 16];
	uint32_t n = slit->localities, shown = 0;

	if (!slit->present || !slit->valid)
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
