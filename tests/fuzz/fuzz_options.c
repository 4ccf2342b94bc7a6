// SPDX-License-Identifier: MIT
/* The option parser, as the shell command line or the config file hands it text. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_log log = { fuzz_discard, NULL };
	char *text = malloc(size + 1), words[256];
	struct options o;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	options_init(&o);
	options_parse(&o, options_skip_program_name(text));
	options_print_messages(&o, &log);
	options_words(words, sizeof(words), text);
	free(text);
	return 0;
}
