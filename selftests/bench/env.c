// SPDX-License-Identifier: GPL-2.0
/*
 * The guest environment of the native paging counterparts: RAM disks.
 */
#include "bench.h"

/* the guest environment of the native paging counterparts */

/*
 * Two RAM disks (brd: synchronous, no compression, a memcpy per page, like
 * the module's tmpfs swap area and tmpfs backing files): /dev/ram0 as swap,
 * so MADV_PAGEOUT swaps an anonymous page out; /dev/ram1 with ext2, a page
 * cache backed by a block device, so MADV_PAGEOUT evicts a file page. Host
 * binaries and modules load over 9p: this takes tens of seconds under TCG,
 * so --quick skips it (the native paging cases are then skipped).
 */
void env_setup(void)
{
	int ret;

	ret = system("modprobe brd rd_nr=2 rd_size=65536 >/dev/null 2>&1");
	if (ret) {
		snprintf(env_note, sizeof(env_note),
			 "native paging: no brd RAM disk (modprobe brd failed)");
		return;
	}
	ret = system("{ mkswap /dev/ram0 && swapon /dev/ram0; } >/dev/null 2>&1");
	have_swap = ret == 0;
	ret = system("{ modprobe ext4 && mkfs.ext2 -q -F /dev/ram1 &&"
		     " mkdir -p /tmp/ivma-bench-mnt &&"
		     " mount -t ext2 /dev/ram1 /tmp/ivma-bench-mnt; } >/dev/null 2>&1");
	if (ret == 0)
		snprintf(ext2_dir, sizeof(ext2_dir), "/tmp/ivma-bench-mnt");
	snprintf(env_note, sizeof(env_note),
		 "native paging: swap on brd /dev/ram0 %s, ext2 on brd /dev/ram1 %s",
		 have_swap ? "on" : "unavailable",
		 ext2_dir[0] ? "mounted" : "unavailable");
}

void env_teardown(void)
{
	if (have_swap && system("swapoff /dev/ram0 >/dev/null 2>&1"))
		fprintf(stderr, "bench: swapoff failed\n");
	if (ext2_dir[0] && system("umount /tmp/ivma-bench-mnt >/dev/null 2>&1"))
		fprintf(stderr, "bench: umount failed\n");
}
