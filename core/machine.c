// SPDX-License-Identifier: MIT
/*
 * One machine, set up from a front end's inputs: its sinks, its options
 * (parsed here, once) and its memblock.  memprobe_run (pipeline.c) then
 * runs the stages on it.
 */
#include "memprobe/machine.h"

#include "memprobe/lib/util.h"

/* The report's sink, timed: what it takes counts as output, not as the stage that printed. */
static void timed_write(void *ctx, const char *text, size_t len)
{
	struct machine *m = ctx;
	uint64_t t0 = m->fw->clock.now_ns(m->fw->clock.ctx);

	m->report->write(m->report->ctx, text, len);
	m->phase_ns[PHASE_OUTPUT] += m->fw->clock.now_ns(m->fw->clock.ctx) - t0;
}

/* Each line on its way to the report: a firmware defect it names is kept as data too. */
static void defect_tap_write(void *ctx, const char *text, size_t len)
{
	struct machine *m = ctx;

	for (size_t at = 0, n; at < len; at += n) {
		const char *newline = mp_memchr(text + at, '\n', len - at);

		n = newline ? (size_t)(newline - text - at) + 1 : len - at;
		defects_note_line(&m->defects, text + at, n);
	}
	m->after_tap->write(m->after_tap->ctx, text, len);
}

/**
 * machine_init() - a machine ready to analyse, with its options parsed
 *
 * The options are parsed here, once; what parsing says waits for the
 * report's banner.  Stages read m->opts.
 */
void machine_init(struct machine *m, const struct fw_inputs *fw, const struct sinks *sinks,
		  const struct memblock_storage *storage)
{
	mp_memset(m, 0, sizeof(*m));
	m->fw = fw;
	m->report = sinks->report;
	m->after_tap = sinks->report;
	if (fw->clock.now_ns) {
		m->timed_log = (struct mp_log){ timed_write, m };
		m->after_tap = &m->timed_log;
	}
	m->defect_tap = (struct mp_log){ defect_tap_write, m };
	m->log = &m->defect_tap;
	m->acpidump = sinks->acpidump;
	for (unsigned i = 0; i < fw->nr_option_files && i < OPTION_SOURCES_MAX - 1; i++)
		m->option_src[m->nr_option_src++] = fw->option_files[i];
	m->option_src[m->nr_option_src++] = (struct option_source){ NULL, fw->cmdline };
	options_init(&m->opts);
	options_parse_sources(&m->opts, m->option_src, m->nr_option_src);
	memblock_init(&m->memblock, m->log, storage);
	m->memblock.debug = m->opts.memblock_debug;
	m->kaslr = !m->opts.nokaslr;
	paging_mode_init(&m->paging, &fw->cpu, &m->opts);
}

void machine_release(struct machine *m)
{
	memblock_release(&m->memblock);
}

/**
 * secure_boot_word() - a Secure Boot state as one word, for files and programs
 * @s: the state
 *
 * Return: "unknown", "unsupported", "off", "on" or "setup-mode".
 */
const char *secure_boot_word(enum secure_boot s)
{
	static const char *const words[] = {
		[SECURE_BOOT_UNKNOWN] = "unknown",
		[SECURE_BOOT_UNSUPPORTED] = "unsupported",
		[SECURE_BOOT_OFF] = "off",
		[SECURE_BOOT_ON] = "on",
		[SECURE_BOOT_SETUP_MODE] = "setup-mode",
	};

	return words[s < SECURE_BOOT_STATES ? s : SECURE_BOOT_UNKNOWN];
}
