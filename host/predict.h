/* SPDX-License-Identifier: MIT */
/* The host tool's one way to run the core on a machine's inputs. */
#ifndef MEMPROBE_HOST_PREDICT_H
#define MEMPROBE_HOST_PREDICT_H

#include "memprobe/machine.h"

/* What to run: every stage and view (memprobe_run), or the ACPI stages alone. */
enum predict_what { PREDICT_ALL, PREDICT_ACPI };

struct machine *predict(const struct fw_inputs *fw, const char *overrides, const struct sinks *sinks,
			enum predict_what what);
void predict_free(struct machine *m);

#endif
