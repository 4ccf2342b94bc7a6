// SPDX-License-Identifier: MIT
/*
 * predict(): the core on one machine's inputs, as every host command runs
 * it (analyze, compare, acpi) -- one machine_init, one sequencer, one
 * release.
 */
#include "predict.h"

#include <stdio.h>
#include <stdlib.h>

#include "heap.h"
#include "memprobe/pipeline.h"

/**
 * predict() - the prediction for a machine's inputs, with options on top
 * @fw: the inputs (a run folder's, this machine's, a test's)
 * @overrides: options above fw's own, or NULL
 * @sinks: where the report (and the ACPI dump) go
 * @what: the whole pipeline, or the ACPI stages alone
 *
 * Return: the analysed machine, whose state report.json and the commands
 * read, to free with predict_free(); NULL (said on stderr) without memory.
 */
struct machine *predict(const struct fw_inputs *fw, const char *overrides, const struct sinks *sinks,
			enum predict_what what)
{
	struct machine *m = malloc(sizeof(*m));

	if (!m) {
		fprintf(stderr, "memprobe: out of memory (%zu bytes for the machine)\n", sizeof(*m));
		return NULL;
	}
	machine_init(m, fw, overrides, sinks, &host_heap);
	if (what == PREDICT_ACPI)
		memprobe_run_acpi(m);
	else
		memprobe_run(m);
	return m;
}

void predict_free(struct machine *m)
{
	if (!m)
		return;
	machine_release(m);
	free(m);
}
