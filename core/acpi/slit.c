// SPDX-License-Identifier: MIT
/* The SLIT as Linux 6.1's acpi_parse_slit reads it: locality count, matrix, validity. */
#include "memprobe/acpi/slit.h"

#include "memprobe/lib/util.h"

/* slit_valid()'s rule for one entry: 10 on the diagonal, more than 10 elsewhere. */
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
		mp_printk(log, "memprobe: [Firmware Bug]: SLIT at offset 36: locality count %llu, more "
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
			mp_printk(log, "memprobe: [Firmware Bug]: SLIT at offset 36: locality count %llu "
				       "needs %llu bytes, the table has %u; Linux reads the rest from the "
				       "memory after the table, which this input does not hold: SLIT "
				       "taken as not used\n",
				  (unsigned long long)count, (unsigned long long)need, t->length);
			return;
		}
		mp_printk(log, "memprobe: [Firmware Bug]: SLIT at offset 36: locality count %llu needs "
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
