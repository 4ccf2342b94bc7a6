// SPDX-License-Identifier: MIT
/* acpidump's text format read back, then the ACPI stages on what it held. */
#include <stdlib.h>

#include "fuzz.h"
#include "memprobe/acpi/acpidump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpidump dump;
	struct fw_inputs fw = { .frontend = "fuzz" };
	struct mp_log log = { .write = fuzz_discard, .ctx = NULL };

	dump.buf_size = size / 2 + 1;
	dump.buf = malloc(dump.buf_size);
	if (!dump.buf)
		return 0;
	if (acpidump_parse(&dump, (const char *)data, size, &log) > 0) {
		acpidump_access(&dump, &fw.acpi);
		fuzz_run(&fw, 0);
	}
	free(dump.buf);
	return 0;
}
