#!/usr/bin/env bash
# Build memprobe and boot it under OVMF in QEMU (TCG), streaming the report.
# `./run-qemu.sh --help` documents the options.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

usage() {
	cat <<'EOF'
usage: ./run-qemu.sh [OPTION]... [-- QEMU-ARG...]

Builds memprobe, boots it under OVMF in QEMU (software emulation, no KVM
needed) and shows its report on this terminal.  With no options the VM is
the study notes' one: pc, 4 vCPUs, two NUMA nodes of 2G (cpus 0-1, 2-3).
As soon as a topology option is given, defaults fill only what is missing,
and without --numa the VM has no NUMA nodes at all (so no SRAT).

Topology:
  --numa SIZE[,cpus=LIST]  add a NUMA node (repeat for more; node ids in
                           order); SIZE like 2G or 512M, 0 for a node with
                           no memory; LIST like 0-1 or 0,2-3
  --machine pc|q35         QEMU machine type (default pc)
  --mem SIZE               RAM size (default: the sum of the nodes, else 4G)
  --smp N[,sockets=S,...]  vCPUs (default 4, or enough for the nodes' cpus), with
                           QEMU's sockets=, dies=, cores=, threads= if given

Run:
  --app-args "OPTIONS"     memprobe options, e.g. "efi=debug mem=3G"
                           (memprobe.efi --help lists them)
  --timeout SECONDS        give up after this long (default 300)
  --log FILE               also write the console (escape codes removed) to FILE
  --disk FILE              boot from FILE, kept after the run (created from
                           build/memprobe.img if missing), so saved reports
                           accumulate there; read them with
                           mtype -i FILE ::/memprobe/runs/0001/report.txt
  --vars FILE              keep OVMF's variable store in FILE (created from
                           OVMF_VARS.fd if missing), so what a run saves in a
                           variable (exit_boot_services) reaches the next run
  --read-only              attach the boot disk read-only (memprobe must say it
                           cannot save its run folder, and still complete)
  --shell                  start memprobe from the UEFI shell (startup.nsh)
                           instead of as the boot loader; it returns to the
                           shell, which then powers the VM off
  --config FILE            with --shell: FILE as \memprobe\memprobe.conf, under
                           the shell's command line (--app-args)
  --linux VMLINUZ          boot this Linux kernel (-kernel) on the same VM
                           instead of memprobe; used by tests/linux
  --append "CMDLINE"       kernel command line for --linux
  --initrd FILE            initramfs for --linux
  --no-disk                with --linux: no boot disk, for the VM of a run that
                           booted from something else (a USB stick given after --)
  --default-devices        keep QEMU's default display and network card, as a real
                           machine has a GPU and a NIC (their option ROMs, a boot
                           logo); without it the VM has -vga none -nic none
  --tpm                    give the VM a TPM 2.0 (swtpm, fresh for each run), as
                           most real machines have: OVMF measures the boot into
                           its event log and installs the TPM final events table
  --no-install             do not install missing Debian packages
  -h, --help               show this help
  -- ARG...                pass the remaining arguments to QEMU unchanged,
                           e.g. -- -acpitable file=srat.aml

Each run also saves its folder \memprobe\runs\NNNN on the VM's boot disk.
Exit status: 0 when the report completed and the VM powered off; 1 on a
QEMU failure, a timeout or an incomplete report; 2 on a usage error.
EOF
}

die_usage() {
	echo "run-qemu.sh: $*" >&2
	echo "run-qemu.sh: see ./run-qemu.sh --help" >&2
	exit 2
}

# SIZE (K/M/G/T suffix, none = MiB as QEMU's -m) -> MiB
size_to_mib() {
	local s=$1 n unit
	[[ $s =~ ^([0-9]+)([KkMmGgTt]?)$ ]] || return 1
	n=${BASH_REMATCH[1]}
	unit=${BASH_REMATCH[2]^^}
	case $unit in
	K) (( n % 1024 == 0 )) || return 1; echo $((n / 1024)) ;;
	M | "") echo "$n" ;;
	G) echo $((n * 1024)) ;;
	T) echo $((n * 1024 * 1024)) ;;
	esac
}

# "0,2-3" -> "cpus=0,cpus=2-3"; prints the highest cpu on fd 3
cpus_to_qemu() {
	local list=$1 out="" item max=-1 hi
	IFS=, read -ra items <<<"$list"
	for item in "${items[@]}"; do
		[[ $item =~ ^([0-9]+)(-([0-9]+))?$ ]] || return 1
		hi=${BASH_REMATCH[3]:-${BASH_REMATCH[1]}}
		(( hi >= BASH_REMATCH[1] )) || return 1
		(( hi > max )) && max=$hi
		out+="${out:+,}cpus=$item"
	done
	echo "$out"
	echo "$max" >&3
}

numa=()
tpm=0
disk_mode="" machine="" mem="" smp="" app_args="" timeout=300 log="" disk="" vars="" shell=0 config="" no_disk=0 linux="" append="" initrd="" install=1
devices=(-nic none -vga none)
topology_given=0
extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--numa) [ $# -ge 2 ] || die_usage "--numa needs a value"; numa+=("$2"); topology_given=1; shift 2 ;;
	--machine) [ $# -ge 2 ] || die_usage "--machine needs a value"; machine=$2; topology_given=1; shift 2 ;;
	--mem) [ $# -ge 2 ] || die_usage "--mem needs a value"; mem=$2; topology_given=1; shift 2 ;;
	--smp) [ $# -ge 2 ] || die_usage "--smp needs a value"; smp=$2; topology_given=1; shift 2 ;;
	--app-args) [ $# -ge 2 ] || die_usage "--app-args needs a value"; app_args=$2; shift 2 ;;
	--timeout) [ $# -ge 2 ] || die_usage "--timeout needs a value"; timeout=$2; shift 2 ;;
	--log) [ $# -ge 2 ] || die_usage "--log needs a value"; log=$2; shift 2 ;;
	--disk) [ $# -ge 2 ] || die_usage "--disk needs a value"; disk=$2; shift 2 ;;
	--vars) [ $# -ge 2 ] || die_usage "--vars needs a value"; vars=$2; shift 2 ;;
	--shell) shell=1; shift ;;
	--config) [ $# -ge 2 ] || die_usage "--config needs a file"; config=$2; shift 2 ;;
	--read-only) disk_mode=",readonly=on"; shift ;;
	--linux) [ $# -ge 2 ] || die_usage "--linux needs a value"; linux=$2; shift 2 ;;
	--append) [ $# -ge 2 ] || die_usage "--append needs a value"; append=$2; shift 2 ;;
	--initrd) [ $# -ge 2 ] || die_usage "--initrd needs a value"; initrd=$2; shift 2 ;;
	--no-install) install=0; shift ;;
	--no-disk) no_disk=1; shift ;;
	--default-devices) devices=(); shift ;;
	--tpm) tpm=1; shift ;;
	-h | --help) usage; exit 0 ;;
	--) shift; extra=("$@"); break ;;
	*) die_usage "unknown option '$1'" ;;
	esac
done
[ -z "$config" ] || [ $shell -eq 1 ] || die_usage "--config needs --shell (without it, memprobe.conf holds --app-args)"

[ $no_disk -eq 1 ] && [ -z "$linux" ] && die_usage "--no-disk needs --linux (memprobe boots from the disk)"
if [ $topology_given -eq 0 ]; then
	numa=("2G,cpus=0-1" "2G,cpus=2-3")
fi
machine=${machine:-pc}
case $machine in pc | q35) ;; *) die_usage "--machine must be pc or q35, not '$machine'" ;; esac
[[ $timeout =~ ^[1-9][0-9]*$ ]] || die_usage "--timeout must be a whole number of seconds, not '$timeout'"
if [ -n "$smp" ] && ! [[ $smp =~ ^[1-9][0-9]*(,(sockets|dies|cores|threads)=[1-9][0-9]*)*$ ]]; then
	die_usage "--smp must be a positive number, with QEMU's ,sockets=S,cores=C,threads=T if wanted, not '$smp'"
fi
if [ -n "$linux" ] && [ ! -f "$linux" ]; then
	die_usage "--linux: no such file '$linux'"
fi

# NUMA nodes -> QEMU objects; the RAM size follows from the nodes.
qemu_numa=()
node_mib_total=0
max_cpu=-1
for i in "${!numa[@]}"; do
	spec=${numa[$i]}
	size=${spec%%,*}
	rest=""
	[ "$spec" != "$size" ] && rest=${spec#*,}
	mib=$(size_to_mib "$size") || die_usage "--numa '$spec': bad size '$size' (use e.g. 2G, 512M or 0)"
	node="node,nodeid=$i"
	if [ -n "$rest" ]; then
		[[ $rest == cpus=* ]] || die_usage "--numa '$spec': expected cpus=LIST after the size"
		cpus=$(cpus_to_qemu "${rest#cpus=}" 3>"${TMPDIR:-/tmp}/memprobe-maxcpu.$$") ||
			die_usage "--numa '$spec': bad cpu list '${rest#cpus=}'"
		node_max=$(cat "${TMPDIR:-/tmp}/memprobe-maxcpu.$$")
		rm -f "${TMPDIR:-/tmp}/memprobe-maxcpu.$$"
		(( node_max > max_cpu )) && max_cpu=$node_max
		node+=",$cpus"
	fi
	if [ "$mib" -gt 0 ]; then
		qemu_numa+=(-object "memory-backend-ram,id=mem$i,size=${mib}M")
		node+=",memdev=mem$i"
		node_mib_total=$((node_mib_total + mib))
	fi
	qemu_numa+=(-numa "$node")
done

if [ -n "$mem" ]; then
	mem_mib=$(size_to_mib "$mem") || die_usage "--mem: bad size '$mem' (use e.g. 4G)"
	if [ ${#numa[@]} -gt 0 ] && [ "$mem_mib" -ne "$node_mib_total" ]; then
		die_usage "--mem $mem (${mem_mib}M) differs from the NUMA nodes' total (${node_mib_total}M)"
	fi
elif [ ${#numa[@]} -gt 0 ]; then
	mem_mib=$node_mib_total
else
	mem_mib=4096
fi
[ "$mem_mib" -gt 0 ] || die_usage "the VM needs some memory"
if [ -z "$smp" ]; then
	smp=4
	(( max_cpu + 1 > smp )) && smp=$((max_cpu + 1))
elif (( max_cpu + 1 > ${smp%%,*} )); then
	die_usage "--numa names cpu $max_cpu but --smp is $smp"
fi

if [ $install -eq 1 ]; then
	deps=(make gcc libc6-dev binutils gnu-efi mtools ovmf qemu-system-x86)
	[ $tpm -eq 1 ] && deps+=(swtpm)
	"$here/tests/lib/install-deps.sh" "${deps[@]}"
fi
make -s -C "$here" image >&2

ovmf_code=/usr/share/OVMF/OVMF_CODE.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS.fd
for f in "$ovmf_code" "$ovmf_vars"; do
	[ -f "$f" ] || { echo "run-qemu.sh: $f is missing (Debian package ovmf)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-qemu.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ $tpm -eq 1 ]; then
	command -v swtpm >/dev/null || { echo "run-qemu.sh: --tpm needs swtpm (Debian package swtpm)" >&2; exit 1; }
	mkdir "$work/tpm"
	# --daemon returns once the socket is there; --terminate ends it when QEMU lets go.
	swtpm socket --tpm2 --tpmstate "dir=$work/tpm" --ctrl "type=unixio,path=$work/tpm.sock" \
		--pid "file=$work/swtpm.pid" --log "file=$work/swtpm.log" --terminate --daemon ||
		{ echo "run-qemu.sh: error: swtpm did not start" >&2; exit 1; }
	# swtpm removes its pid file when it ends with QEMU; one left means it is still there.
	trap '[ -f "$work/swtpm.pid" ] && kill "$(cat "$work/swtpm.pid")" 2>/dev/null; rm -rf "$work"' EXIT
fi
if [ -z "$vars" ]; then
	vars="$work/vars.fd"
	cp "$ovmf_vars" "$vars"
elif [ ! -f "$vars" ]; then
	cp "$ovmf_vars" "$vars"
fi
if [ $no_disk -eq 0 ]; then
	if [ -z "$disk" ]; then
		disk="$work/disk.img"
		cp "$here/build/memprobe.img" "$disk"
	elif [ ! -f "$disk" ]; then
		cp "$here/build/memprobe.img" "$disk"
	fi
	# A \memprobe.cfg an older run-qemu.sh wrote would add its options; one of the user's stays.
	if mtype -i "$disk" ::/memprobe.cfg 2>/dev/null | head -n 1 | grep -q '^# written by run-qemu.sh'; then
		mdel -i "$disk" ::/memprobe.cfg
	fi
	if [ $shell -eq 1 ]; then
		# No default boot file: OVMF falls through to its shell, which runs startup.nsh.
		mdel -i "$disk" ::/EFI/BOOT/BOOTX64.EFI 2>/dev/null || true
		mcopy -o -i "$disk" "$here/build/memprobe.efi" ::/memprobe.efi
		# no_pause: with no one at the console, memprobe must not wait for a key.
		printf 'fs0:\r\n\\memprobe.efi no_pause %s\r\necho "memprobe: back in the UEFI shell"\r\nreset -s\r\n' \
			"$app_args" >"$work/startup.nsh"
		mcopy -o -i "$disk" "$work/startup.nsh" ::/startup.nsh
		mdel -i "$disk" ::/memprobe/memprobe.conf 2>/dev/null || true
		if [ -n "$config" ]; then
			mmd -i "$disk" ::/memprobe 2>/dev/null || true
			mcopy -o -i "$disk" "$config" ::/memprobe/memprobe.conf
		fi
	else
		{
			echo "# written by run-qemu.sh"
			echo "poweroff"
			[ -n "$app_args" ] && echo "$app_args"
		} >"$work/memprobe.conf"
		mmd -i "$disk" ::/memprobe 2>/dev/null || true
		mcopy -o -i "$disk" "$work/memprobe.conf" ::/memprobe/memprobe.conf
	fi
fi

qemu=(qemu-system-x86_64 -machine "$machine" -accel tcg -m "${mem_mib}M" -smp "$smp"
	"${qemu_numa[@]}"
	-drive "if=pflash,format=raw,readonly=on,file=$ovmf_code"
	-drive "if=pflash,format=raw,file=$vars"
	"${devices[@]}" -display none -serial stdio -no-reboot)
if [ $no_disk -eq 0 ]; then
	qemu+=(-drive "if=virtio,format=raw,file=$disk$disk_mode")
fi
if [ -n "$linux" ]; then
	qemu+=(-kernel "$linux" -append "$append")
	[ -n "$initrd" ] && qemu+=(-initrd "$initrd")
fi
if [ $tpm -eq 1 ]; then
	qemu+=(-chardev "socket,id=tpmchr,path=$work/tpm.sock" -tpmdev emulator,id=tpm0,chardev=tpmchr
		-device tpm-tis,tpmdev=tpm0)
fi
qemu+=("${extra[@]}")

echo "run-qemu.sh: ${qemu[*]}" >&2
console="$work/console.log"
set +e
timeout "$timeout" "${qemu[@]}" </dev/null 2>"$work/qemu.err" |
	sed -u -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\x1bc//g' -e 's/\r//g' | tee "$console"
status=${PIPESTATUS[0]}
set -e
[ -n "$log" ] && cp "$console" "$log"

if [ "$status" -eq 124 ]; then
	echo "run-qemu.sh: error: QEMU did not finish within $timeout seconds (--timeout)" >&2
	exit 1
fi
if [ "$status" -ne 0 ]; then
	echo "run-qemu.sh: error: QEMU failed (exit status $status):" >&2
	sed 's/^/  /' "$work/qemu.err" >&2
	exit 1
fi
if [ -n "$linux" ]; then
	if ! grep -q '^\[ *[0-9.]*\] Kernel panic\|^\[ *[0-9.]*\] Linux version\|^sysview: end' "$console"; then
		echo "run-qemu.sh: error: Linux printed nothing recognisable on the serial console" >&2
		exit 1
	fi
	exit 0
fi
if grep -q '^usage: memprobe.efi' "$console"; then
	exit 0	# memprobe --help: no report by design
fi
if ! grep -q '^memprobe: report complete$' "$console"; then
	echo "run-qemu.sh: error: memprobe's report did not complete (no 'memprobe: report complete' line)" >&2
	exit 1
fi
if [ $shell -eq 1 ]; then
	if ! grep -q '^memprobe: back in the UEFI shell' "$console"; then
		echo "run-qemu.sh: error: memprobe did not return to the UEFI shell" >&2
		exit 1
	fi
elif ! grep -q '^memprobe: powering off$' "$console"; then
	echo "run-qemu.sh: error: memprobe did not power the VM off" >&2
	exit 1
fi
