// SPDX-License-Identifier: MIT
/*
 * The init of a tiny initramfs for the Linux differential test: print the
 * node views Linux exposes, in memprobe's node-view format, then power off.
 *   nodeN/cpulist, nodeN/distance      from /sys/devices/system/node
 *   Node N, zone Z: spanned, present, start_pfn   from /proc/zoneinfo
 *   DirectMap4k/2M/1G                           from /proc/meminfo
 * It runs in the boot whose log the test compares, so it first quiets the
 * kernel's console.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <unistd.h>

#define SYSLOG_ACTION_CONSOLE_LEVEL 8

/*
 * The kernel's own messages stop reaching the console (the boot may have
 * ignore_loglevel), so none can land inside the view's lines.
 */
static void quiet_console(void)
{
	int fd = open("/sys/module/printk/parameters/ignore_loglevel", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "N", 1) != 1)
			perror("sysview: ignore_loglevel");
		close(fd);
	}
	if (klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 1))
		perror("sysview: console loglevel");
}

static void print_file(int node, const char *name)
{
	char path[128], line[4096] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/%s", node, name);
	f = fopen(path, "r");
	if (f && fgets(line, sizeof(line), f))
		line[strcspn(line, "\n")] = '\0';
	if (f)
		fclose(f);
	printf("node%d/%s: %s\n", node, name, line);
}

static void zoneinfo(void)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[512], zone[32] = "";
	int node = -1;
	unsigned long long spanned = 0, present = 0, start = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		int n;
		char z[32];

		if (sscanf(line, "Node %d, zone %31s", &n, z) == 2) {
			node = n;
			snprintf(zone, sizeof(zone), "%s", z);
			spanned = present = start = 0;
		} else if (sscanf(line, " spanned %llu", &spanned) == 1 ||
			   sscanf(line, " present %llu", &present) == 1) {
		} else if (sscanf(line, " start_pfn: %llu", &start) == 1 && spanned) {
			printf("Node %d, zone %8s: spanned %llu, present %llu, start_pfn 0x%llx\n", node,
			       zone, spanned, present, start);
		}
	}
	fclose(f);
}

static void direct_map(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "DirectMap", 9))
			fputs(line, stdout);
	fclose(f);
}

int main(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	quiet_console();
	/* one write at the end: the view reaches the console whole */
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	printf("sysview: begin\n");
	for (int node = 0; node < 1024; node++) {
		char path[64];

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", node);
		if (access(path, F_OK))
			continue;
		print_file(node, "cpulist");
		print_file(node, "distance");
	}
	zoneinfo();
	direct_map();
	printf("sysview: end\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
