/* SPDX-License-Identifier: MIT */
/* What the libFuzzer targets share: a machine run on fuzzed inputs, output discarded. */
#ifndef MEMPROBE_FUZZ_H
#define MEMPROBE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"
#include "memprobe/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Output goes nowhere, but is formatted, so the formatter runs on fuzzed values. */
static inline void fuzz_discard(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	(void)text;
	(void)len;
}

/* The ACPI stages, or the whole pipeline, on fw; the machine is large, so it is kept. */
static inline void fuzz_run(const struct fw_inputs *fw, int whole)
{
	static struct machine m;
	struct mp_log log = { .write = fuzz_discard, .ctx = NULL };
	const struct sinks sinks = { &log, &log };

	machine_init(&m, fw, NULL, &sinks, &host_heap);
	if (whole)
		memprobe_run(&m);
	else
		memprobe_run_acpi(&m);
	machine_release(&m);
}

#endif
