// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of the backing file hold through an object
 * (Documentation/security.md): its exec policy (a noexec mount, an IMA
 * appraisal rule), its immutable and append-only flags; and write-back
 * keeps its promises (reliability.md): a write-back error is reported by
 * close(2) and loses nothing, a write through a pin taken before a
 * write-back is written back too, a fault inside write(2) does not wait for
 * a pending freeze of the filesystem it is writing.
 */
#include <linux/fs.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())
#define NOBODY 65534
#define NOEXEC_DIR "/tmp/ivma-noexec"
#define EXT4_DIR "/tmp/ivma-sweep-ext4"	/* shared with sweep_test */

/* x86-64: mov $42, %eax; ret */
static const unsigned char code[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };

/* a tmpfs mounted noexec at NOEXEC_DIR (once per boot): 0 or -1 */
static int noexec_mount(void)
{
	struct stat a, b;

	if (!stat(NOEXEC_DIR, &a) && !stat("/tmp", &b) && a.st_dev != b.st_dev)
		return 0;
	if (mkdir(NOEXEC_DIR, 0755) && errno != EEXIST)
		return -1;
	return mount("tmpfs", NOEXEC_DIR, "tmpfs", MS_NOEXEC | MS_NOSUID,
		     "mode=1777");
}

/* a new file @dir/code-PID holding the code, mode 0755: 0 or -1 */
static int code_file(const char *dir, char *path, size_t len)
{
	int fd, ok;

	snprintf(path, len, "%s/code-%d", dir, getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0)
		return -1;
	ok = write(fd, code, sizeof(code)) == (ssize_t)sizeof(code);
	return close(fd) || !ok ? -1 : 0;
}

/*
 * What an object backed by @path lets its user do, as the kernel does for
 * the file itself, whose own mmap(PROT_EXEC) answer is @err (0: allowed):
 * returns 0 when every answer matched, else the number of the first check
 * that did not (run in a child as root or nobody, so codes, not asserts).
 */
static int exec_rules(const char *path, int err)
{
	int file = open(path, O_RDONLY | O_CLOEXEC), fd;
	struct ivma_info info;
	unsigned char *p;
	void *q;

	if (file < 0)
		return 1;
	/* the kernel's own answer for the file */
	q = mmap(NULL, PSZ, PROT_READ | PROT_EXEC, MAP_PRIVATE, file, 0);
	if (err ? q != MAP_FAILED || errno != err : q == MAP_FAILED)
		return 2;
	if (q != MAP_FAILED)
		munmap(q, PSZ);
	fd = ivma_open();
	if (fd < 0 || ivma_configure_file(fd, PSZ, file, 0, sizeof(code)))
		return 3;
	close(file);
	/* PROT_EXEC: the same answer, shared or private */
	q = mmap(NULL, PSZ, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (err ? q != MAP_FAILED || errno != err : q == MAP_FAILED)
		return 4;
	if (!err)
		return ((int (*)(void))q)() == 42 ? 0 : 5;
	if (mmap(NULL, PSZ, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0) !=
	    MAP_FAILED || errno != err)
		return 6;
	/* a refused mmap leaves no VMA and no MMAP event */
	if (ivma_query(fd, &info) || info.vmas || info.events[IVMA_EV_MMAP] ||
	    (info.state & IVMA_STATE_MAPPED))
		return 7;
	/* PROT_READ works, and reads the code */
	p = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED || memcmp(p, code, sizeof(code)))
		return 8;
	/* and can never become executable: VM_MAYEXEC is clear */
	if (!mprotect(p, PSZ, PROT_READ | PROT_EXEC) || errno != EACCES)
		return 9;
	q = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (q == MAP_FAILED ||
	    !mprotect(q, PSZ, PROT_READ | PROT_EXEC) || errno != EACCES)
		return 10;
	if (ivma_query(fd, &info) || info.exec_faults)
		return 11;
	munmap(p, PSZ);
	munmap(q, PSZ);
	close(fd);
	return 0;
}

static int run_exec_rules(uid_t uid, const char *path, int err)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (uid && ivma_as_user(uid))
			_exit(100);
		_exit(exec_rules(path, err));
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/*
 * exec_rules() for a code file made in @dir, as root and as nobody: 0, or
 * the first failed check (plus 20 for nobody's).
 */
static int exec_rules_in(const char *dir, int err)
{
	char path[256];
	int root, nobody;

	if (code_file(dir, path, sizeof(path)))
		return -1;
	root = run_exec_rules(0, path, err);
	nobody = run_exec_rules(NOBODY, path, err);
	unlink(path);
	return root ? root : nobody ? 20 + nobody : 0;
}

TEST(noexec_mount_of_the_backing_file)
{
#if !defined(__x86_64__)
	SKIP(return, "machine code for x86-64 only");
#endif
	ASSERT_EQ(0, noexec_mount());
	EXPECT_EQ(0, exec_rules_in(NOEXEC_DIR, EPERM));
	/* the same file where exec is allowed runs, for both */
	EXPECT_EQ(0, exec_rules_in("/tmp", 0));
}

/* an anonymous object has no file whose rules could apply */
TEST(anonymous_object_still_executes)
{
	struct ivma_info info;
	unsigned char *p;
	int fd;

#if !defined(__x86_64__)
	SKIP(return, "machine code for x86-64 only");
#endif
	fd = ivma_new_anon(PSZ);
	ASSERT_LE(0, fd);
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	memcpy(p, code, sizeof(code));
	ASSERT_EQ(0, mprotect(p, PSZ, PROT_READ | PROT_EXEC));
	/* drop the PTE, so that the call is an instruction fetch fault */
	ASSERT_EQ(0, madvise(p, PSZ, MADV_DONTNEED));
	EXPECT_EQ(42, ((int (*)(void))p)());
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(1, info.exec_faults);
	munmap(p, PSZ);
	close(fd);
}

/*
 * IMA, the LSM hook: a policy rule appraises every PROT_EXEC mapping of a
 * file on one filesystem of our own (by its UUID, so nothing else in the
 * guest is touched); files there carry no security.ima signature, so the
 * kernel refuses such mappings with EACCES, and so does an object.
 */
#define IMA_DIR "/tmp/ivma-ima"
#define IMA_UUID "1f0e5a2c-7d1b-4c35-9a8e-1d5c0ffee001"
#define IMA_POLICY "/sys/kernel/security/ima/policy"

static int ima_setup(void)
{
	static const char rule[] =
		"appraise func=MMAP_CHECK mask=MAY_EXEC fsuuid=" IMA_UUID "\n";
	struct stat a, b;
	int fd, ok;

	if (!stat(IMA_DIR, &a) && !stat("/tmp", &b) && a.st_dev != b.st_dev)
		return 0;	/* made earlier in this boot, policy in force */
	mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL);
	if (access(IMA_POLICY, W_OK))
		return 1;
	if (system("{ modprobe loop && modprobe ext4 && "
		   "truncate -s 16M /tmp/ivma-ima.img && "
		   "mkfs.ext4 -q -F -U " IMA_UUID " /tmp/ivma-ima.img && "
		   "mkdir -p " IMA_DIR " && "
		   "mount -o loop /tmp/ivma-ima.img " IMA_DIR " && "
		   "chmod 1777 " IMA_DIR "; } >/dev/null 2>&1"))
		return -1;
	/* the policy can be written once per boot (no IMA_WRITE_POLICY) */
	fd = open(IMA_POLICY, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = write(fd, rule, sizeof(rule) - 1) == (ssize_t)sizeof(rule) - 1;
	return close(fd) || !ok ? -1 : 0;
}

TEST(ima_appraisal_of_the_backing_file)
{
	int ret;

#if !defined(__x86_64__)
	SKIP(return, "machine code for x86-64 only");
#endif
	ret = ima_setup();
	if (ret == 1)
		SKIP(return, "no IMA policy to write (no IMA, or written already)");
	ASSERT_EQ(0, ret);
	EXPECT_EQ(0, exec_rules_in(IMA_DIR, EACCES));
}

TEST_HARNESS_MAIN
