// SPDX-License-Identifier: MIT
/* memprobe's host command-line tool. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memprobe/acpi/acpidump.h"
#include "analyze.h"
#include "compare.h"
#include "predict.h"
#include "readfile.h"
#include "replay.h"

static void stdout_write(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, ctx);
}

/* memprobe acpi DUMP: the ACPI stages on tables saved by memprobe.efi or acpidump. */
static int acpi_command(const char *path)
{
	struct mp_log log = { .write = stdout_write, .ctx = stdout };
	const struct sinks sinks = { &log, NULL };
	struct acpidump *dump = calloc(1, sizeof(*dump));
	struct fw_inputs *fw = calloc(1, sizeof(*fw));
	struct machine *m;
	size_t len;
	char *text = read_file(path, &len, READ_MAX_ACPI_DUMP);
	int status = 0;

	if (!text || !dump || !fw) {
		status = 2;
		goto out;
	}
	dump->buf_size = len / 2 + 1;
	dump->buf = malloc(dump->buf_size);
	if (!dump->buf || acpidump_parse(dump, text, len, &log) <= 0) {
		fprintf(stderr, "memprobe: %s holds no ACPI table in acpidump format\n", path);
		status = 2;
		goto out;
	}
	fw->frontend = "host";
	acpidump_access(dump, &fw->acpi);
	m = predict(fw, NULL, &sinks, PREDICT_ACPI);
	if (m && !m->acpi.nr)
		fprintf(stderr, "memprobe: no ACPI table in %s could be used (see the lines above)\n", path);
	status = m && m->acpi.nr ? 0 : 2;
	predict_free(m);
out:
	if (dump)
		free(dump->buf);
	free(dump);
	free(fw);
	free(text);
	return status;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: memprobe replay BOOTLOG\n"
		   "       memprobe acpi DUMP\n"
		   "       memprobe analyze RUN_DIR [OPTION]...\n"
		   "       memprobe compare (RUN_DIR | --live [--root DIR]) LINUX_LOG\n"
		   "       memprobe config\n"
		   "       memprobe options\n"
		   "       memprobe --help\n\n"
		   "replay   rebuild memblock from a Linux boot log captured with memblock=debug\n"
		   "         (dmesg with or without -r or -T, journalctl -k, kern.log, a serial console;\n"
		   "         timestamps or not; '-' reads standard input),\n"
		   "         replay every allocation request through memprobe's memblock and compare\n"
		   "         each address and each MEMBLOCK configuration dump with Linux's.\n"
		   "         Exit status: 0 all identical, 1 a divergence, 2 unusable input.\n"
		   "acpi     decode ACPI tables saved in acpidump's text format (\\memprobe\\acpi-NNNN.txt\n"
		   "         from memprobe.efi, or acpidump's output): the table list, SRAT, SLIT, MADT\n"
		   "         and their checks, with the lines memprobe.efi prints.\n"
		   "analyze  the whole analysis again on a run folder memprobe.efi saved\n"
		   "         (\\memprobe\\runs\\NNNN), options after it overriding the run's own;\n"
		   "         'memprobe analyze --help' says more.\n"
		   "compare  the prediction against a Linux boot log of the same machine, stage by\n"
		   "         stage; 'memprobe compare --help' says more.\n"
		   "config   print a memprobe.conf that lists every option of memprobe.efi with its\n"
		   "         default (the USB stick image's \\memprobe\\memprobe.conf).\n"
		   "options  print docs/OPTIONS.md: every option, whose it is (Linux's or memprobe's),\n"
		   "         its kind, its default and what it does.\n");
}

static int run_command(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "replay")) {
		FILE *in = open_stream(argv[2]);
		int status;

		if (!in)
			return 2;
		status = replay_log(in, stdout, argv[2]);
		if (in != stdin)
			fclose(in);
		return status;
	}
	if (argc == 3 && !strcmp(argv[1], "acpi"))
		return acpi_command(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "config")) {
		struct mp_log log = { .write = stdout_write, .ctx = stdout };

		options_print_config(&log);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "options")) {
		struct mp_log log = { .write = stdout_write, .ctx = stdout };

		options_print_document(&log);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "compare"))
		return compare_command(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "analyze"))
		return analyze_command(argc, argv);
	fprintf(stderr, "memprobe %s: ", MEMPROBE_VERSION);
	if (argc < 2)
		fprintf(stderr, "a command is needed\n");
	else
		fprintf(stderr, "unknown command or wrong arguments: '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	int status = run_command(argc, argv);

	/* Output that could not be written (a full disk, a closed pipe) is a failure. */
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "memprobe: cannot write the output: %s\n", strerror(errno));
		return 2;
	}
	return status;
}
