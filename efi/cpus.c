// SPDX-License-Identifier: MIT
/*
 * Every CPU, read through the firmware's EFI_MP_SERVICES_PROTOCOL: each AP
 * runs cpu_record_read() (CPUID and RDMSR only, no firmware call) through
 * StartupThisAP with a timeout; the boot CPU runs it itself.  An AP that
 * does not answer, a disabled one, or firmware without the protocol is a
 * line in the report's notes, and the run goes on with what was read.
 */
#include "efi-frontend.h"

#include "memprobe/lib/util.h"

#define AP_TIMEOUT_US 200000	/* an AP that takes longer is taken as not answering */
#define PROCESSOR_ENABLED (1u << 1)

/* PI's EFI_PROCESSOR_INFORMATION, with room for PI 1.7's extended location after it. */
struct processor_info {
	UINT64 processor_id;
	UINT32 status_flag;
	UINT32 package, core, thread;
	UINT32 extended[6];
};

typedef VOID(EFIAPI *ap_procedure)(VOID *arg);

/* PI's EFI_MP_SERVICES_PROTOCOL: the members memprobe calls, in the protocol's order. */
struct mp_services {
	EFI_STATUS(EFIAPI *get_number_of_processors)(struct mp_services *mp, UINTN *nr, UINTN *enabled);
	EFI_STATUS(EFIAPI *get_processor_info)(struct mp_services *mp, UINTN number, struct processor_info *info);
	VOID *startup_all_aps;
	EFI_STATUS(EFIAPI *startup_this_ap)(struct mp_services *mp, ap_procedure procedure, UINTN number,
					    EFI_EVENT wait_event, UINTN timeout_us, VOID *arg, BOOLEAN *finished);
	VOID *switch_bsp, *enable_disable_ap;
	EFI_STATUS(EFIAPI *who_am_i)(struct mp_services *mp, UINTN *number);
};

static EFI_GUID mp_services_guid = { 0x3fdda605, 0xa76e, 0x4f46, { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } };

/* What one AP is given: its record, and (ap_hold=) a gate the BSP opens after giving up. */
struct ap_job {
	struct cpu_record *rec;
	volatile UINT32 hold;
	volatile UINT32 abandoned;
};

static void direct_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	(void)ctx;
	__asm__ volatile("cpuid" : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]), "=d"(regs[3]) : "a"(leaf), "c"(subleaf));
}

static uint64_t direct_rdmsr(void *ctx, uint32_t msr)
{
	uint32_t lo, hi;

	(void)ctx;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static const struct cpu_access direct_access = { direct_cpuid, direct_rdmsr, NULL };

/* Runs on an AP: no firmware service may be called here. */
static VOID EFIAPI read_this_cpu(VOID *arg)
{
	struct ap_job *job = arg;

	while (job->hold)
		__asm__ volatile("pause");
	if (!job->abandoned)
		cpu_record_read(job->rec, &direct_access);
}

/* The record of processor number n: its ID and place from the firmware, then its registers. */
static void read_processor(struct mp_services *mp, UINTN n, bool bsp, struct ap_job *job,
			   const struct options *o, struct mp_log *log)
{
	struct cpu_record *rec = job->rec;
	struct processor_info info;
	EFI_STATUS st;

	mp_memset(&info, 0, sizeof(info));
	rec->number = (uint32_t)n;
	st = uefi_call_wrapper(mp->get_processor_info, 3, mp, n, &info);
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: warning: GetProcessorInfo(%lu) failed (%s); that CPU is not read\n",
			  (unsigned long)n, efi_status_name(st));
		rec->state = CPU_FAILED;
		return;
	}
	rec->apic_id = (uint32_t)info.processor_id;
	rec->package = info.package;
	rec->core = info.core;
	rec->thread = info.thread;
	if (bsp) {
		read_this_cpu(job);
		rec->state = CPU_READ;
		return;
	}
	if (!(info.status_flag & PROCESSOR_ENABLED)) {
		mp_printk(log, "memprobe: CPU %lu (APIC ID %#x) is disabled in the firmware; it is not read\n",
			  (unsigned long)n, rec->apic_id);
		rec->state = CPU_DISABLED;
		return;
	}
	job->hold = o->ap_hold == n;
	st = uefi_call_wrapper(mp->startup_this_ap, 7, mp, read_this_cpu, n, NULL, (UINTN)AP_TIMEOUT_US, job,
			       NULL);
	if (job->hold) {	/* ap_hold=: the AP waited until now; it must read nothing after this */
		job->abandoned = 1;
		__asm__ volatile("" ::: "memory");
		job->hold = 0;
	}
	if (st == EFI_TIMEOUT) {
		mp_printk(log, "memprobe: warning: CPU %lu (APIC ID %#x) did not answer within %u ms "
			       "(StartupThisAP: %s); its CPUID and MTRRs are not known\n",
			  (unsigned long)n, rec->apic_id, AP_TIMEOUT_US / 1000, efi_status_name(st));
		rec->state = CPU_TIMED_OUT;
		return;
	}
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: warning: StartupThisAP(%lu) failed (%s); CPU %lu (APIC ID %#x) is not "
			       "read\n",
			  (unsigned long)n, efi_status_name(st), (unsigned long)n, rec->apic_id);
		rec->state = CPU_FAILED;
		return;
	}
	rec->state = CPU_READ;
}

/* Only the boot CPU, when the firmware cannot run code on the others. */
static void read_boot_cpu_only(struct cpu_records *cpus, struct ap_job *job)
{
	struct cpu_record *rec = job->rec;
	uint32_t regs[4];

	read_this_cpu(job);
	direct_cpuid(NULL, 1, 0, regs);
	rec->apic_id = regs[1] >> 24;
	rec->state = CPU_READ;
	cpus->source = CPUS_BOOT_ONLY;
	cpus->nr = cpus->nr_firmware = 1;
}

/**
 * efi_collect_cpus() - every CPU's record, and the boot CPU's facts from its own
 * @fw: the inputs: fw->cpus and fw->cpu are set
 * @o: the options (ap_hold=, no_mp_services)
 * @log: the notes, for what could not be read
 */
void efi_collect_cpus(struct fw_inputs *fw, const struct options *o, struct mp_log *log)
{
	struct cpu_records *cpus = &fw->cpus;
	struct mp_services *mp = NULL;
	UINTN nr = 0, enabled = 0, bsp = 0;
	EFI_STATUS st = EFI_NOT_FOUND;
	struct ap_job *jobs;
	unsigned at = 1, records;

	mp_memset(cpus, 0, sizeof(*cpus));
	if (!o->no_mp_services)
		st = uefi_call_wrapper(BS->LocateProtocol, 3, &mp_services_guid, NULL, (VOID **)&mp);
	if (!EFI_ERROR(st)) {
		st = uefi_call_wrapper(mp->get_number_of_processors, 3, mp, &nr, &enabled);
		if (!EFI_ERROR(st))
			st = uefi_call_wrapper(mp->who_am_i, 2, mp, &bsp);
		if (!EFI_ERROR(st) && (nr == 0 || bsp >= nr))
			st = EFI_DEVICE_ERROR;
	}
	records = EFI_ERROR(st) ? 1 : nr < CPU_RECORDS_MAX ? (unsigned)nr : CPU_RECORDS_MAX;
	/* Never freed: an AP given up on may still look at its job. */
	jobs = efi_alloc_pool(sizeof(*jobs) * records);
	cpus->cpu = efi_alloc_pool(sizeof(*cpus->cpu) * records);
	if (!cpus->cpu || !jobs) {
		struct cpu_record boot;
		struct ap_job job = { &boot, 0, 0 };

		mp_printk(log, "memprobe: warning: no memory for %u CPUs' records; only the boot CPU's facts are "
			       "used\n",
			  records);
		mp_memset(&boot, 0, sizeof(boot));
		read_this_cpu(&job);
		cpu_facts_from_record(&boot, &fw->cpu);
		cpus->cpu = NULL;
		return;
	}
	for (unsigned i = 0; i < records; i++) {
		mp_memset(&cpus->cpu[i], 0, sizeof(cpus->cpu[i]));
		jobs[i] = (struct ap_job){ &cpus->cpu[i], 0, 0 };
	}
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: warning: %s; only the boot CPU is read\n",
			  o->no_mp_services ? "no_mp_services: EFI_MP_SERVICES_PROTOCOL not used"
					    : "EFI_MP_SERVICES_PROTOCOL cannot run code on the other CPUs");
		if (!o->no_mp_services)
			mp_printk(log, "memprobe: (LocateProtocol, GetNumberOfProcessors or WhoAmI: %s)\n",
				  efi_status_name(st));
		read_boot_cpu_only(cpus, &jobs[0]);
		cpu_facts_from_record(&cpus->cpu[0], &fw->cpu);
		return;
	}
	cpus->source = CPUS_MP_SERVICES;
	cpus->nr_firmware = (unsigned)nr;
	read_processor(mp, bsp, true, &jobs[0], o, log);
	for (UINTN n = 0; n < nr && at < records; n++)
		if (n != bsp)
			read_processor(mp, n, false, &jobs[at++], o, log);
	cpus->nr = at;
	cpu_facts_from_record(&cpus->cpu[0], &fw->cpu);
	if (nr > at)
		mp_printk(log, "memprobe: warning: the firmware counts %lu CPUs; the first %u are read\n",
			  (unsigned long)nr, at);
	if (o->ap_hold >= nr)
		mp_printk(log, "memprobe: warning: ap_hold=%u: there is no such AP (processors 0-%lu)\n", o->ap_hold,
			  (unsigned long)nr - 1);
}
