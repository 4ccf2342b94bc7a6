/* SPDX-License-Identifier: MIT */
/* report.json: the report's facts for programs, described in docs/report-schema.json. */
#ifndef MEMPROBE_REPORT_JSON_H
#define MEMPROBE_REPORT_JSON_H

#include "memprobe/lib/printk.h"

struct machine;
void report_json(const struct machine *m, struct mp_log *out);

#endif
