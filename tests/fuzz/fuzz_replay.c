// SPDX-License-Identifier: MIT
/* memprobe replay's log reader and driver on a fuzzed boot log. */
#include <stdio.h>

#include "fuzz.h"
#include "replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in = fmemopen((void *)data, size, "r"), *out = fopen("/dev/null", "w");

	if (in && out && size)
		replay_log(in, out, "fuzz");
	if (in)
		fclose(in);
	if (out)
		fclose(out);
	return 0;
}
