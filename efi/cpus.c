// SPDX-License-Identifier: MIT
/*
 * Every CPU, read through the firmware's EFI_MP_SERVICES_PROTOCOL: the APs
 * run cpu_record_read() (CPUID and RDMSR only, no firmware call) all at once
 * through StartupAllAPs with a timeout, each finding its record by its own
 * APIC ID; the boot CPU runs it itself.  One AP at a time (StartupThisAP)
 * costs a wake-up each: about 12 ms an AP under QEMU's TCG.  An AP that does
 * not answer, a disabled one, or firmware without the protocol is a line in
 * the report's notes, and the run goes on with what was read.
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
	EFI_STATUS(EFIAPI *startup_all_aps)(struct mp_services *mp, ap_procedure procedure, BOOLEAN single_thread,
					    EFI_EVENT wait_event, UINTN timeout_us, VOID *arg, UINTN **failed);
	VOID *startup_this_ap;
	VOID *switch_bsp, *enable_disable_ap;
	EFI_STATUS(EFIAPI *who_am_i)(struct mp_services *mp, UINTN *number);
};

static EFI_GUID mp_services_guid = { 0x3fdda605, 0xa76e, 0x4f46, { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } };

/* What one AP is given: its record, and (ap_hold=) a gate the BSP opens after giving up. */
struct ap_job {
	struct cpu_record *rec;
	volatile UINT32 hold;
	volatile UINT32 abandoned;
	volatile UINT32 done;
	UINT32 claimed;		/* taken by the first AP with its APIC ID (two with one ID: the second reads nothing) */
};

/* What StartupAllAPs hands every AP: the jobs, one of which has the AP's APIC ID. */
struct ap_jobs {
	struct ap_job *job;
	unsigned nr;
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

/* One CPU's own read, on the CPU: after the gate (ap_hold=), unless given up on. */
static void read_this_cpu(struct ap_job *job)
{
	while (__atomic_load_n(&job->hold, __ATOMIC_ACQUIRE))
		__asm__ volatile("pause");
	if (!__atomic_load_n(&job->abandoned, __ATOMIC_ACQUIRE)) {
		cpu_record_read(job->rec, &direct_access);
		__atomic_store_n(&job->done, 1, __ATOMIC_RELEASE);
	}
}

/* This CPU's APIC ID as the firmware numbers it: the x2APIC ID of leaf 0xB, else leaf 1's. */
static uint32_t own_apic_id(void)
{
	uint32_t regs[4];

	direct_cpuid(NULL, 0, 0, regs);
	if (regs[0] >= 0xb) {
		direct_cpuid(NULL, 0xb, 0, regs);
		if (regs[1] & 0xffff)
			return regs[3];
	}
	direct_cpuid(NULL, 1, 0, regs);
	return regs[1] >> 24;
}

/* Runs on every AP at once: no firmware service may be called here. */
static VOID EFIAPI read_ap(VOID *arg)
{
	struct ap_jobs *jobs = arg;
	uint32_t apic_id = own_apic_id();

	for (unsigned i = 1; i < jobs->nr; i++)
		if (jobs->job[i].rec->apic_id == apic_id && jobs->job[i].rec->state == CPU_TIMED_OUT) {
			if (!__atomic_exchange_n(&jobs->job[i].claimed, 1, __ATOMIC_ACQ_REL))
				read_this_cpu(&jobs->job[i]);
			return;
		}
}

/*
 * The firmware's number, APIC ID and place of processor n into its record,
 * which waits for its answer (CPU_TIMED_OUT).  Return: false when the CPU is
 * disabled or not known.
 */
static bool processor_info(struct mp_services *mp, UINTN n, struct cpu_record *rec, struct mp_log *log)
{
	struct processor_info info;
	EFI_STATUS st;

	mp_memset(&info, 0, sizeof(info));
	rec->number = (uint32_t)n;
	rec->state = CPU_FAILED;
	rec->apic_id = UINT32_MAX;	/* not known: no CPU is taken for it */
	st = uefi_call_wrapper(mp->get_processor_info, 3, mp, n, &info);
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: warning: GetProcessorInfo(%lu) failed (%s); that CPU is not read\n",
			  (unsigned long)n, efi_status_name(st));
		return false;
	}
	rec->apic_id = (uint32_t)info.processor_id;
	rec->package = info.package;
	rec->core = info.core;
	rec->thread = info.thread;
	if (!(info.status_flag & PROCESSOR_ENABLED)) {
		mp_printk(log, "memprobe: CPU %lu (APIC ID %#x) is disabled in the firmware; it is not read\n",
			  (unsigned long)n, rec->apic_id);
		rec->state = CPU_DISABLED;
		return false;
	}
	rec->state = CPU_TIMED_OUT;	/* until it answers */
	return true;
}

/*
 * Every enabled AP at once.  A job's state is CPU_TIMED_OUT until its AP
 * has read it; what has not been read when StartupAllAPs returns is named.
 */
static void read_aps(struct mp_services *mp, struct ap_jobs *jobs, const struct options *o, struct mp_log *log)
{
	UINTN *failed = NULL;
	unsigned waiting = 0;
	EFI_STATUS st, fst;

	for (unsigned i = 1; i < jobs->nr; i++) {
		struct ap_job *job = &jobs->job[i];

		if (job->rec->state != CPU_TIMED_OUT)
			continue;	/* disabled, or no processor info */
		job->hold = o->ap_hold && o->ap_hold == job->rec->number;
		waiting++;
	}
	if (!waiting)
		return;
	st = uefi_call_wrapper(mp->startup_all_aps, 7, mp, read_ap, FALSE, NULL, (UINTN)AP_TIMEOUT_US, jobs,
			       &failed);
	for (unsigned i = 1; i < jobs->nr; i++) {	/* ap_hold=: give up on it, then open its gate */
		__atomic_store_n(&jobs->job[i].abandoned, !__atomic_load_n(&jobs->job[i].done, __ATOMIC_ACQUIRE),
				 __ATOMIC_RELEASE);
		__atomic_store_n(&jobs->job[i].hold, 0, __ATOMIC_RELEASE);
	}
	if (failed) {
		fst = uefi_call_wrapper(BS->FreePool, 1, failed);
		if (EFI_ERROR(fst))
			mp_printk(log, "memprobe: warning: FreePool of StartupAllAPs' list failed (%s)\n",
				  efi_status_name(fst));
	}
	for (unsigned i = 1; i < jobs->nr; i++) {
		struct cpu_record *rec = jobs->job[i].rec;

		if (rec->state != CPU_TIMED_OUT)
			continue;
		if (__atomic_load_n(&jobs->job[i].done, __ATOMIC_ACQUIRE)) {
			rec->state = CPU_READ;
		} else if (st == EFI_TIMEOUT) {
			mp_printk(log, "memprobe: warning: CPU %u (APIC ID %#x) did not answer within %u ms "
				       "(StartupAllAPs: %s); its CPUID and MTRRs are not known\n",
				  rec->number, rec->apic_id, AP_TIMEOUT_US / 1000, efi_status_name(st));
		} else {
			mp_printk(log, "memprobe: warning: CPU %u (APIC ID %#x) was not read (StartupAllAPs: %s%s)\n",
				  rec->number, rec->apic_id, efi_status_name(st),
				  EFI_ERROR(st) ? "" : "; no record has its APIC ID");
			rec->state = CPU_FAILED;
		}
	}
}

/* Only the boot CPU, when the firmware cannot run code on the others. */
static void read_boot_cpu_only(struct cpu_records *cpus, struct ap_job *job)
{
	struct cpu_record *rec = job->rec;

	read_this_cpu(job);
	rec->apic_id = own_apic_id();
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
	struct ap_jobs *all;
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
	/* Never freed: an AP given up on may still look at its jobs. */
	all = efi_alloc_pool(sizeof(*all));
	jobs = efi_alloc_pool(sizeof(*jobs) * records);
	cpus->cpu = efi_alloc_pool(sizeof(*cpus->cpu) * records);
	if (!cpus->cpu || !jobs || !all) {
		struct cpu_record boot;
		struct ap_job job = { &boot, 0, 0, 0, 0 };

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
		jobs[i] = (struct ap_job){ &cpus->cpu[i], 0, 0, 0, 0 };
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
	if (!processor_info(mp, bsp, &cpus->cpu[0], log))
		cpus->cpu[0].apic_id = own_apic_id();
	read_this_cpu(&jobs[0]);
	cpus->cpu[0].state = CPU_READ;
	for (UINTN n = 0; n < nr && at < records; n++)
		if (n != bsp)
			processor_info(mp, n, &cpus->cpu[at++], log);
	*all = (struct ap_jobs){ jobs, at };
	read_aps(mp, all, o, log);
	cpus->nr = at;
	cpu_facts_from_record(&cpus->cpu[0], &fw->cpu);
	if (nr > at)
		mp_printk(log, "memprobe: warning: the firmware counts %lu CPUs; the first %u are read\n",
			  (unsigned long)nr, at);
	if (o->ap_hold >= nr)
		mp_printk(log, "memprobe: warning: ap_hold=%u: there is no such AP (processors 0-%lu)\n", o->ap_hold,
			  (unsigned long)nr - 1);
}
