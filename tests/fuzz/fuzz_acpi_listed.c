// SPDX-License-Identifier: MIT
/*
 * Tables given as a list without an RSDP (an acpidump of Linux's
 * /sys/firmware/acpi/tables): the input is cut into tables by each one's
 * own length field, so every parser (SRAT, SLIT, MADT, ...) gets fuzzed
 * bytes of its own signature.
 */
#include "fuzz.h"

#define MAX_LISTED 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_table listed[MAX_LISTED];
	struct fw_inputs fw = { .frontend = "fuzz" };
	unsigned n = 0;

	while (size && n < MAX_LISTED) {
		uint32_t len = size >= 8 ? (uint32_t)data[4] | (uint32_t)data[5] << 8 |
						   (uint32_t)data[6] << 16 | (uint32_t)data[7] << 24
					 : (uint32_t)size;

		if (len == 0 || len > size)
			len = (uint32_t)size;
		listed[n] = (struct acpi_table){ "????", 0x1000ULL * (n + 1), len, data };
		for (int i = 0; i < 4 && i < (int)len; i++)
			listed[n].sig[i] = (char)data[i];
		n++;
		data += len;
		size -= len;
	}
	fw.acpi.listed = listed;
	fw.acpi.nr_listed = n;
	fuzz_run(&fw, 0);
	return 0;
}
