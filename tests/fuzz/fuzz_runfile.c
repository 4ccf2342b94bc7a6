// SPDX-License-Identifier: MIT
/*
 * The run-folder readers memprobe analyze uses: memmap.bin, cpu.txt,
 * firmware.txt and ioapic.txt.  The first byte picks the reader.  (What a map accepted
 * here does in the pipeline is fuzz_efimap's part.)
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "memprobe/runfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct runfile_error err;
	struct fw_inputs fw = { .frontend = "fuzz" };
	struct ioapic_reads ioapics;
	char *text;

	if (!size)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		memmap_file_read((const uint8_t *)text, size - 1, &fw.memmap, &err);
		break;
	case 1: {
		static struct cpu_record records[4];

		fw.cpus.cpu = records;
		cpu_facts_read(text, &fw.cpu, &fw.cpus, 4, &err);
		break;
	}
	case 3:
		ioapic_reads_read(text, &ioapics, &err);
		break;
	default:
		run_facts_read(text, &fw, &err);
		break;
	}
	free(text);
	return 0;
}
