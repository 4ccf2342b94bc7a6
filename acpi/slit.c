// SPDX-License-Identifier: MIT
/* The SLIT as Linux 6.1's acpi_parse_slit reads it: locality count, matrix, validity. */
#include "memprobe/slit.h"

#include "memprobe/util.h"

/* slit_valid()'s rule for one entry: 10 on the diagonal, more than 10 elsewhere. */
bool slit_entry_valid(const struct slit_info *slit, uint32_t from, uint32_t to)
{
	uint8_t d = slit->matrix[from * slit->localities + to];

	return from == to ? d == LOCAL_DISTANCE : d > LOCAL_DISTANCE;
}

void acpi_parse_slit(struct slit_info *slit, const struct acpi_table *t, struct mp_log *log)
{
	uint64_t count = acpi_u64(t, ACPI_HEADER_SIZE);

	slit->present = true;
	if (count > SLIT_MAX_LOCALITIES || SLIT_MATRIX_OFFSET + count * count > t->length) {
		mp_printk(log, "memprobe: [Firmware Bug]: SLIT at offset 36: locality count %llu "
			       "needs %llu bytes, the table has %u; SLIT not used\n",
			  (unsigned long long)count,
			  (unsigned long long)(SLIT_MATRIX_OFFSET + count * count), t->length);
		return;
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
