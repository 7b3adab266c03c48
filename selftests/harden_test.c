// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of the backing file hold through an object
 * (Documentation/security.md): its exec policy (a noexec mount, an IMA
 * appraisal rule), its immutable and append-only flags; and write-back
 * keeps its promises (reliability.md): a write-back error is reported by
 * close(2) and loses nothing, a write through a pin taken before a
 * write-back is written back too, a fault inside write(2) does not wait for
 * a pending freeze of the filesystem it is writing. And a log reader's ring
 * is charged to the opener's memory cgroup.
 */
#include <linux/aio_abi.h>
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

/* ------------------------------------------------------------------ */
/* The backing file's inode flags */

static int set_iflags(int fd, int set, int clear)
{
	int flags;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags))
		return -1;
	flags = (flags | set) & ~clear;
	return ioctl(fd, FS_IOC_SETFLAGS, &flags);
}

/*
 * A one-page file on ext4 whose bytes are 'f': the path; 0, -1, or 1 when
 * this kernel has no RAM disk or no ext4 (the debug kernel: skip).
 */
static int ext4_file(const char *name, char *path, size_t len)
{
	char buf[4096];
	int fd, ok;

	if (ivma_ext4_mount(EXT4_DIR))
		return ivma_ext4_missing() ? 1 : -1;
	snprintf(path, len, EXT4_DIR "/%s-%d", name, getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	memset(buf, 'f', sizeof(buf));
	ok = write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf);
	return close(fd) || !ok ? -1 : 0;
}

/*
 * Open for writing, an immutable or append-only backing file is EPERM at
 * configure (the object would write it in place); open for reading it
 * configures, and the object cannot be mapped shared and writable.
 */
TEST(immutable_and_append_only_backing_file)
{
	static const int flag[] = { FS_IMMUTABLE_FL, FS_APPEND_FL };
	struct ivma_info info;
	char path[256];
	unsigned char *p;
	int i, fw, fr, fa, fd, ret;

	ret = ext4_file("iflags", path, sizeof(path));
	if (ret == 1)
		SKIP(return, "no RAM disk or no ext4 in this kernel");
	ASSERT_EQ(0, ret);
	for (i = 0; i < 2; i++) {
		fw = open(path, O_RDWR | O_CLOEXEC);	/* opened before the flag */
		ASSERT_LE(0, fw);
		ASSERT_EQ(0, set_iflags(fw, flag[i], 0));
		fd = ivma_open();
		ASSERT_LE(0, fd);
		EXPECT_EQ(-EPERM, ivma_configure_file(fd, PSZ, fw, 0, PSZ));
		ASSERT_EQ(0, ivma_query(fd, &info));
		EXPECT_EQ(0, info.state & IVMA_STATE_CONFIGURED);
		if (flag[i] == FS_APPEND_FL) {
			/* the only writable open the kernel allows: O_APPEND */
			fa = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
			ASSERT_LE(0, fa);
			EXPECT_EQ(-EPERM, ivma_configure_file(fd, PSZ, fa, 0, PSZ));
			close(fa);
		}
		fr = open(path, O_RDONLY | O_CLOEXEC);
		ASSERT_LE(0, fr);
		ASSERT_EQ(0, ivma_configure_file(fd, PSZ, fr, 0, PSZ));
		EXPECT_EQ(MAP_FAILED, mmap(NULL, PSZ, PROT_READ | PROT_WRITE,
					   MAP_SHARED, fd, 0));
		EXPECT_EQ(EACCES, errno);
		p = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, fd, 0);
		ASSERT_NE(MAP_FAILED, p);
		EXPECT_EQ('f', p[0]);
		munmap(p, PSZ);
		close(fd);
		close(fr);
		EXPECT_EQ(0, set_iflags(fw, 0, flag[i]));
		close(fw);
	}
	unlink(path);
}

/*
 * Made immutable after configure: every write-back fails (EPERM from the
 * filesystem), the page stays dirty and nothing is lost; once the flag is
 * gone, fsync writes it.
 */
TEST(immutable_after_configure_loses_nothing)
{
	struct ivma_info info;
	char path[256], c;
	unsigned char *p;
	int fw, fd, ret;

	ret = ext4_file("iflags2", path, sizeof(path));
	if (ret == 1)
		SKIP(return, "no RAM disk or no ext4 in this kernel");
	ASSERT_EQ(0, ret);
	fw = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fw);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, PSZ, fw, 0, PSZ));
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 'w';
	ASSERT_EQ(0, set_iflags(fw, FS_IMMUTABLE_FL, 0));
	EXPECT_EQ(-1, fsync(fd));
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(1, info.dirty);
	EXPECT_EQ(1, info.write_errors);
	EXPECT_EQ(0, info.bytes_written);
	ASSERT_EQ(0, set_iflags(fw, 0, FS_IMMUTABLE_FL));
	EXPECT_EQ(0, fsync(fd));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(0, info.dirty);
	ASSERT_EQ(1, pread(fw, &c, 1, 0));
	EXPECT_EQ('w', c);
	munmap(p, PSZ);
	close(fd);
	close(fw);
	unlink(path);
}

/* ------------------------------------------------------------------ */
/* close(2) reports a write-back error */

/* a file-backed object of one page over a fresh 'f' file: its fd */
static int small_object(const char *tag, char *path, size_t len, int *file)
{
	int fd;

	*file = ivma_make_file(tag, 1, 0, O_RDWR, path, len);
	if (*file < 0)
		return -1;
	fd = ivma_open();
	if (fd < 0 || ivma_configure_file(fd, PSZ, *file, 0, PSZ))
		return -1;
	return fd;
}

TEST(close_reports_a_writeback_error)
{
	struct ivma_info info;
	char path[256], c;
	unsigned char *p;
	int file, fd, fd2;

	if (ivma_debugfs_read("fail_write") < 0)
		SKIP(return, "no debugfs knob fail_write");
	fd = small_object("flush", path, sizeof(path), &file);
	ASSERT_LE(0, fd);
	fd2 = dup(fd);
	ASSERT_LE(0, fd2);
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);

	/* a close with nothing dirty writes nothing */
	ASSERT_EQ(0, close(dup(fd)));
	EXPECT_EQ(0, ivma_event_count(fd, IVMA_EV_WRITEBACK));

	p[0] = 'x';
	ASSERT_EQ(0, ivma_debugfs_write("fail_write", 1));
	EXPECT_EQ(-1, close(fd));
	EXPECT_EQ(EIO, errno);
	ASSERT_EQ(0, ivma_query(fd2, &info));
	EXPECT_EQ(1, info.dirty);
	EXPECT_EQ(1, info.write_errors);
	EXPECT_EQ(1, info.events[IVMA_EV_WRITEBACK]);
	ASSERT_EQ(1, pread(file, &c, 1, 0));
	EXPECT_EQ(ivma_file_byte(0), c);
	/* the next fsync writes it */
	EXPECT_EQ(0, fsync(fd2));
	ASSERT_EQ(1, pread(file, &c, 1, 0));
	EXPECT_EQ('x', c);

	/* a close that works writes too */
	p[1] = 'y';
	ASSERT_EQ(0, close(dup(fd2)));
	ASSERT_EQ(1, pread(file, &c, 1, 1));
	EXPECT_EQ('y', c);

	/*
	 * The last close: the error is reported, and the object's
	 * destruction, which comes right after, tries the page again.
	 */
	p[2] = 'z';
	munmap(p, PSZ);
	ASSERT_EQ(0, ivma_debugfs_write("fail_write", 1));
	EXPECT_EQ(-1, close(fd2));
	EXPECT_EQ(EIO, errno);
	ASSERT_EQ(1, pread(file, &c, 1, 2));
	EXPECT_EQ('z', c);
	EXPECT_EQ(0, ivma_debugfs_read("fail_write"));
	close(file);
	unlink(path);
}

/* ------------------------------------------------------------------ */
/* Writes through a pin */

/*
 * A page referenced beyond the object at its write-back (vmsplice() takes
 * such references, as get_user_pages() does for O_DIRECT) may be written
 * through them later, with no fault: it stays dirty, and each write-back
 * writes it again, until one finds it no longer referenced.
 */
TEST(referenced_page_stays_dirty)
{
	struct ivma_info info;
	struct iovec iov;
	char path[256], buf[64];
	unsigned char *p;
	int file, fd, pipefd[2];

	fd = small_object("pin", path, sizeof(path), &file);
	ASSERT_LE(0, fd);
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 'A';
	ASSERT_EQ(0, pipe(pipefd));
	iov = (struct iovec){ .iov_base = p, .iov_len = sizeof(buf) };
	ASSERT_EQ((ssize_t)sizeof(buf), vmsplice(pipefd[1], &iov, 1, 0));

	EXPECT_EQ(0, fsync(fd));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(1, info.events[IVMA_EV_WRITEBACK]);
	EXPECT_EQ(PSZ, info.bytes_written);
	EXPECT_EQ(1, info.dirty);
	EXPECT_EQ(0, fsync(fd));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.events[IVMA_EV_WRITEBACK]);
	EXPECT_EQ(1, info.dirty);

	ASSERT_EQ((ssize_t)sizeof(buf), read(pipefd[0], buf, sizeof(buf)));
	EXPECT_EQ('A', buf[0]);
	/* not referenced any more: written once more, then clean */
	EXPECT_EQ(0, fsync(fd));
	EXPECT_EQ(0, fsync(fd));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(3, info.events[IVMA_EV_WRITEBACK]);
	EXPECT_EQ(3 * PSZ, info.bytes_written);
	EXPECT_EQ(0, info.dirty);
	EXPECT_EQ(0, info.write_errors);
	close(pipefd[0]);
	close(pipefd[1]);
	munmap(p, PSZ);
	close(fd);
	close(file);
	unlink(path);
}

static long sys_io(long nr, long a, long b, long c, long d)
{
	return syscall(nr, a, b, c, d);
}

/*
 * An O_DIRECT read into a shared mapping, held in flight by a suspended
 * device-mapper device: the object's page is pinned (and dirty: the pin
 * took a write fault) when fsync writes it back, and the read's data lands
 * afterwards, through the pin, without a fault. The next fsync must write
 * that data to the backing file.
 */
#define PIN_IMG "/tmp/ivma-pin.img"
#define PIN_DM "ivma-pin"

TEST(write_through_a_pin_after_writeback_is_written_back)
{
	aio_context_t ctx = 0;
	struct iocb cb, *cbs[1] = { &cb };
	struct io_event ev;
	char path[256], loopdev[64] = "", cmd[512], c;
	unsigned char *p, img[4096];
	FILE *f;
	int file, fd, dev, img_fd;

	memset(img, 'N', sizeof(img));
	img_fd = open(PIN_IMG, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT_LE(0, img_fd);
	ASSERT_EQ(0, ftruncate(img_fd, 1 << 20));
	ASSERT_EQ((ssize_t)sizeof(img), pwrite(img_fd, img, sizeof(img), 0));
	close(img_fd);
	f = popen("modprobe loop && modprobe dm-mod && losetup -f --show "
		  PIN_IMG " 2>/dev/null", "r");
	ASSERT_NE(NULL, f);
	if (!fgets(loopdev, sizeof(loopdev), f))
		loopdev[0] = 0;
	pclose(f);
	loopdev[strcspn(loopdev, "\n")] = 0;
	if (!loopdev[0] || access("/dev/mapper/control", F_OK))
		SKIP(return, "no loop or device-mapper in this kernel");
	snprintf(cmd, sizeof(cmd),
		 "DM_DISABLE_UDEV=1 dmsetup create --noudevsync " PIN_DM
		 " --table '0 2048 linear %s 0' && "
		 "DM_DISABLE_UDEV=1 dmsetup suspend --noudevsync " PIN_DM, loopdev);
	ASSERT_EQ(0, system(cmd));

	fd = small_object("dio", path, sizeof(path), &file);
	ASSERT_LE(0, fd);
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	dev = open("/dev/mapper/" PIN_DM, O_RDONLY | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, dev);
	ASSERT_EQ(0, sys_io(SYS_io_setup, 1, (long)&ctx, 0, 0));
	memset(&cb, 0, sizeof(cb));
	cb.aio_fildes = dev;
	cb.aio_lio_opcode = IOCB_CMD_PREAD;
	cb.aio_buf = (uintptr_t)p;
	cb.aio_nbytes = PSZ;
	/* queued: the device is suspended; the page is pinned, for writing */
	ASSERT_EQ(1, sys_io(SYS_io_submit, ctx, 1, (long)cbs, 0));
	EXPECT_EQ(1, ivma_event_count(fd, IVMA_EV_DIRTY));
	/* the page's bytes as they are now reach the file */
	EXPECT_EQ(0, fsync(fd));
	ASSERT_EQ(1, pread(file, &c, 1, 0));
	EXPECT_EQ(ivma_file_byte(0), c);

	/* the read lands through the pin */
	ASSERT_EQ(0, system("DM_DISABLE_UDEV=1 dmsetup resume --noudevsync " PIN_DM));
	ASSERT_EQ(1, sys_io(SYS_io_getevents, ctx, 1, 1, (long)&ev));
	EXPECT_EQ((long)PSZ, (long)ev.res);
	EXPECT_EQ('N', p[0]);
	EXPECT_EQ('N', p[PSZ - 1]);
	/* and the next fsync writes it */
	EXPECT_EQ(0, fsync(fd));
	ASSERT_EQ(1, pread(file, &c, 1, 0));
	EXPECT_EQ('N', c);
	ASSERT_EQ(1, pread(file, &c, 1, PSZ - 1));
	EXPECT_EQ('N', c);

	sys_io(SYS_io_destroy, ctx, 0, 0, 0);
	close(dev);
	munmap(p, PSZ);
	close(fd);
	close(file);
	unlink(path);
	snprintf(cmd, sizeof(cmd),
		 "DM_DISABLE_UDEV=1 dmsetup remove --noudevsync " PIN_DM
		 " && losetup -d %s", loopdev);
	EXPECT_EQ(0, system(cmd));
	unlink(PIN_IMG);
}

/* ------------------------------------------------------------------ */
/* A fault inside write(2) while a freeze of that filesystem is pending */

struct freeze {
	int dirfd;		/* the ext4 filesystem */
	int uffd;
	unsigned long page;	/* the userfaultfd page */
	pid_t tid;		/* the freezer's */
	int freeze_ret, freeze_errno, handler_ret;
	pthread_t freezer;
};

static void *freezer(void *arg)
{
	struct freeze *z = arg;

	z->tid = gettid();
	z->freeze_ret = ioctl(z->dirfd, FIFREEZE, 0);
	z->freeze_errno = errno;
	return NULL;
}

/*
 * Has thread @tid gone to sleep in percpu_down_write(), waiting for the
 * writers (sb->s_writers.rw_sem[SB_FREEZE_WRITE - 1] blocked for new ones)?
 * Its kernel stack shows freeze_super() on top: the rwsem's own functions
 * are __sched and left out, and the step before, rcu_sync_enter(), shows
 * itself above freeze_super() while it waits for a grace period.
 */
static int waits_for_writers(pid_t tid)
{
	char path[64], buf[4096] = "";
	int fd, n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stack", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 && !strncmp(buf, "[<0>] freeze_super+", 19);
}

/*
 * The userfaultfd handler: the write(2) is now stopped inside
 * generic_perform_write(), holding the filesystem's freeze protection.
 * Start a freeze, wait until it is pending (the freezer sleeps in
 * percpu_down_write(), waiting for that writer: new writers are held off),
 * then let the write go on, into the object's page.
 */
static void *handler(void *arg)
{
	struct freeze *z = arg;
	struct uffd_msg msg;
	struct uffdio_copy copy;
	static char src[65536];
	struct pollfd pfd = { .fd = z->uffd, .events = POLLIN };
	unsigned int i;

	z->handler_ret = -1;
	if (poll(&pfd, 1, 30000 * ivma_time_scale()) != 1 ||
	    read(z->uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		return NULL;
	if (pthread_create(&z->freezer, NULL, freezer, z))
		return NULL;
	for (i = 0; i < 3000 * ivma_time_scale(); i++) {
		if (z->tid && waits_for_writers(z->tid))
			break;
		usleep(10000);
	}
	if (!z->tid || !waits_for_writers(z->tid))
		z->handler_ret = -2;
	memset(src, 'u', PSZ);
	copy = (struct uffdio_copy){ .dst = z->page, .src = (uintptr_t)src,
				     .len = PSZ };
	if (ioctl(z->uffd, UFFDIO_COPY, &copy))
		return NULL;
	if (z->handler_ret == -1)
		z->handler_ret = 0;
	return NULL;
}

TEST(fault_in_write_does_not_wait_for_a_pending_freeze)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct freeze z = { .dirfd = -1 };
	struct ivma_info info;
	char fpath[256], gpath[256], c;
	unsigned char *p, *buf;
	pthread_t h;
	int file, g, fd, ret;
	ssize_t n;

	if (ivma_ext4_mount(EXT4_DIR) && ivma_ext4_missing())
		SKIP(return, "no RAM disk or no ext4 in this kernel");
	z.dirfd = open(EXT4_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, z.dirfd);
	z.uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (z.uffd < 0)
		SKIP(return, "no userfaultfd");
	ASSERT_EQ(0, ioctl(z.uffd, UFFDIO_API, &api));

	/* F: the object's backing file; G: the file write(2) writes; both on ext4 */
	ret = ext4_file("freeze-f", fpath, sizeof(fpath));
	if (ret == 1)
		SKIP(return, "no RAM disk or no ext4 in this kernel");
	ASSERT_EQ(0, ret);
	ret = ext4_file("freeze-g", gpath, sizeof(gpath));
	if (ret == 1)
		SKIP(return, "no RAM disk or no ext4 in this kernel");
	ASSERT_EQ(0, ret);
	file = open(fpath, O_RDWR | O_CLOEXEC);
	g = open(gpath, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, file);
	ASSERT_LE(0, g);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, 2 * PSZ, file, 0, 2 * PSZ));
	ASSERT_EQ(0, ivma_set_budget(fd, 1, IVMA_POLICY_FIFO));
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 'd';		/* page 0: resident, dirty: the victim */

	/* the write's source: a userfaultfd page, then object page 1 */
	buf = mmap(NULL, 2 * PSZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_NE(MAP_FAILED, mmap(buf + PSZ, PSZ, PROT_READ, MAP_SHARED |
				   MAP_FIXED, fd, PSZ));
	z.page = (uintptr_t)buf;
	reg.range = (struct uffdio_range){ .start = z.page, .len = PSZ };
	ASSERT_EQ(0, ioctl(z.uffd, UFFDIO_REGISTER, &reg));
	ASSERT_EQ(0, pthread_create(&h, NULL, handler, &z));

	/* 16 bytes from each page: one chunk of generic_perform_write() */
	n = pwrite(g, buf + PSZ - 16, 32, 0);
	ASSERT_EQ(0, pthread_join(h, NULL));
	EXPECT_EQ(0, z.handler_ret);
	EXPECT_EQ(32, n);
	ASSERT_EQ(0, pthread_join(z.freezer, NULL));
	EXPECT_EQ(0, z.freeze_ret) TH_LOG("FIFREEZE: %s", strerror(z.freeze_errno));
	/* counted while frozen; thawed before anything may stop the test */
	ret = ivma_query(fd, &info);
	EXPECT_EQ(0, ioctl(z.dirfd, FITHAW, 0));

	/* the fault could not write the victim out: over the budget */
	ASSERT_EQ(0, ret);
	EXPECT_EQ(2, info.resident);
	EXPECT_EQ(1, info.dirty);
	EXPECT_EQ(0, info.events[IVMA_EV_WRITEBACK]);
	EXPECT_EQ(0, info.events[IVMA_EV_EVICT]);
	EXPECT_EQ(0, info.write_errors);

	/* thawed: write-back works again, and nothing was lost */
	EXPECT_EQ(0, fsync(fd));
	ASSERT_EQ(1, pread(file, &c, 1, 0));
	EXPECT_EQ('d', c);
	ASSERT_EQ(1, pread(g, &c, 1, 0));
	EXPECT_EQ('u', c);
	ASSERT_EQ(1, pread(g, &c, 1, 16));
	EXPECT_EQ(0, c);	/* object page 1: past the end of F, zeros */
	munmap(buf, 2 * PSZ);
	munmap(p, PSZ);
	close(fd);
	close(file);
	close(g);
	close(z.uffd);
	close(z.dirfd);
	unlink(fpath);
	unlink(gpath);
}

/* ------------------------------------------------------------------ */
/* A log reader's ring is charged to the opener's memory cgroup */

#define CG "/sys/fs/cgroup/ivma-ring"

/* the "vmalloc" bytes of the cgroup's memory.stat, or -1 */
static long long cg_vmalloc(void)
{
	return ivma_file_key(CG "/memory.stat", "vmalloc");
}

/* in the cgroup (memory.max 8 MiB): codes, not asserts */
static int rings_in_cgroup(void *arg)
{
	long before, with, after;
	int fd, lfd;

	(void)arg;
	fd = ivma_open();
	if (fd < 0)
		return 1;
	before = cg_vmalloc();
	/* a 16 MiB ring is past the limit: ENOMEM, no OOM kill */
	if (ivma_log_open(fd, 0, 16 << 20) != -ENOMEM)
		return 2;
	lfd = ivma_log_open(fd, 0, 2 << 20);
	if (lfd < 0)
		return 3;
	with = cg_vmalloc();
	close(lfd);
	/* the reader is freed after an RCU grace period: give it time */
	usleep(200000);
	after = cg_vmalloc();
	fprintf(stderr, "# vmalloc bytes: %ld before, %ld with a 2 MiB ring, %ld after\n",
		before, with, after);
	/* the ring and its two control pages, exactly */
	if (before < 0 || with - before != (2 << 20) + 2 * (long)PSZ)
		return 4;
	if (after != before)
		return 5;
	return 0;
}

TEST(reader_ring_charged_to_memcg)
{
	char pid[32];
	int st;
	pid_t child;

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) &&
	    mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL))
		SKIP(return, "no cgroup2");
	if (ivma_write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory"))
		SKIP(return, "no memory controller");
	rmdir(CG);
	ASSERT_EQ(0, mkdir(CG, 0755));
	ASSERT_EQ(0, ivma_write_str(CG "/memory.max", "8M"));
	ASSERT_EQ(0, ivma_write_str(CG "/memory.swap.max", "0"));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		snprintf(pid, sizeof(pid), "%d", getpid());
		if (ivma_write_str(CG "/cgroup.procs", pid))
			_exit(100);
		_exit(rings_in_cgroup(NULL));
	}
	ASSERT_EQ(child, waitpid(child, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	rmdir(CG);
}

TEST_HARNESS_MAIN
