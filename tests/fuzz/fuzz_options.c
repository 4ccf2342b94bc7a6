// SPDX-License-Identifier: MIT
/*
 * The option parser, as config files and the shell command line hand it
 * text: the input's first byte splits the rest into a config file and a
 * command line.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_log log = { .write = fuzz_discard, .ctx = NULL };
	char *text = malloc(size + 2), words[256];
	struct option_source src[2];
	struct options o;
	size_t split;

	if (!text || !size) {
		free(text);
		return 0;
	}
	split = data[0] * (size - 1) / 255;
	memcpy(text, data + 1, split);
	text[split] = '\0';
	memcpy(text + split + 1, data + 1 + split, size - 1 - split);
	text[size] = '\0';
	src[0] = (struct option_source){ "\\memprobe\\memprobe.conf", text };
	src[1] = (struct option_source){ NULL, options_skip_program_name(text + split + 1) };
	options_init(&o);
	options_parse_sources(&o, src, 2);
	options_print_messages(&o, &log);
	options_words(words, sizeof(words), src, 2);
	free(text);
	return 0;
}
