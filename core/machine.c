// SPDX-License-Identifier: MIT
/*
 * One machine, set up from a front end's inputs: its sinks, its options
 * (parsed here, once) and its memblock.  memprobe_run (pipeline.c) then
 * runs the stages on it.
 */
#include "memprobe/machine.h"

#include "memprobe/lib/util.h"

/*
 * The stages' log: into the front end's report sink, and with a clock the
 * sink's time counts as output, not as the stage that printed.
 */
static void stage_log_write(void *ctx, const char *text, size_t len)
{
	struct machine *m = ctx;
	uint64_t t0;

	if (!m->fw->clock.now_ns) {
		m->report_sink->write(m->report_sink->ctx, text, len);
		return;
	}
	t0 = m->fw->clock.now_ns(m->fw->clock.ctx);
	m->report_sink->write(m->report_sink->ctx, text, len);
	m->phase_ns[PHASE_OUTPUT] += m->fw->clock.now_ns(m->fw->clock.ctx) - t0;
}

/**
 * machine_option_sources() - where a machine's options come from, weakest first
 * @fw: the inputs: the config files and the command line
 * @overrides: options above them, or NULL
 * @src: the sources
 *
 * A front end that needs its own options before the machine exists (to
 * collect the inputs) parses the same sources.
 *
 * Return: how many sources @src holds.
 */
unsigned machine_option_sources(const struct fw_inputs *fw, const char *overrides,
				struct option_source src[OPTION_SOURCES_MAX])
{
	unsigned nr = 0;

	for (unsigned i = 0; i < fw->nr_option_files && i < OPTION_SOURCES_MAX - 2; i++)
		src[nr++] = fw->option_files[i];
	src[nr++] = (struct option_source){ NULL, fw->cmdline };
	if (overrides)
		src[nr++] = (struct option_source){ NULL, overrides };
	return nr;
}

/**
 * machine_init() - a machine ready to analyse, with its options parsed
 * @m: the machine
 * @fw: the firmware's inputs, its options among them
 * @overrides: options above fw's own (memprobe analyze's, after the run folder), or NULL
 * @sinks: where the report and the ACPI dump go
 * @storage: where memblock's arrays grow
 *
 * The options are parsed here, once, from every source, weakest first:
 * the config files, the command line, the overrides.  What parsing says
 * waits for the report's banner.  Stages read m->opts.
 */
void machine_init(struct machine *m, const struct fw_inputs *fw, const char *overrides,
		  const struct sinks *sinks, const struct memblock_storage *storage)
{
	mp_memset(m, 0, sizeof(*m));
	m->fw = fw;
	m->report_sink = sinks->report;
	m->stage_log = (struct mp_log){ .write = stage_log_write, .ctx = m, .defects = &m->defects };
	m->log = &m->stage_log;
	m->acpidump = sinks->acpidump;
	m->nr_option_src = machine_option_sources(fw, overrides, m->option_src);
	options_init(&m->opts);
	options_parse_sources(&m->opts, m->option_src, m->nr_option_src);
	memblock_init(&m->memblock, m->log, storage);
	m->memblock.debug = m->opts.memblock_debug;
	m->kaslr = !m->opts.nokaslr;
	paging_mode_init(&m->paging, &fw->cpu, &m->opts);
	cpu_count_init(&m->cpus, &fw->cpu, m->opts.kernel);
	m->swiotlb.nslabs = IO_TLB_DEFAULT_SLABS;
}

/**
 * machine_release() - give memblock's grown arrays back to the front end's storage
 *
 * The machine's memblock cannot be used after this.
 */
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
