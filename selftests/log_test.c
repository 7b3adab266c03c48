// SPDX-License-Identifier: GPL-2.0
/*
 * The fault log: exact record sequences, loss accounting, blocking and
 * non-blocking reads, poll, several readers, system-wide readers and
 * their permission, end of stream, mmap of the ring, tracepoints.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())
#define REC sizeof(struct ivma_record)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t events_total(int fd)
{
	struct ivma_info info;
	uint64_t sum = 0;
	int i;

	if (ivma_query(fd, &info))
		return 0;
	for (i = 0; i < IVMA_EV_MAX; i++)
		sum += info.events[i];
	return sum;
}

TEST(exact_record_sequence)
{
	struct ivma_record rec[32];
	struct ivma_info info;
	unsigned char *p;
	uint64_t t0, t1;
	int fd, lfd, i;
	ssize_t n;

	fd = ivma_new_anon(4 * PSZ);
	ASSERT_LE(0, fd);
	lfd = ivma_log_open(fd, 0, 0);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, ivma_query(fd, &info));

	t0 = now_ns();
	p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[PSZ + 3] = 1;			/* zero-fill 1 (write) + dirty 1 */
	(void)*(volatile unsigned char *)(p + 2 * PSZ);	/* zero-fill 2 */
	p[2 * PSZ] = 2;			/* dirty 2 */
	ASSERT_EQ(0, munmap(p, 4 * PSZ));
	t1 = now_ns();

	n = ivma_log_drain(lfd, rec, 32);
	ASSERT_EQ(6, n);
	{
		static const struct { uint8_t kind; uint64_t pgoff; uint8_t access; }
		want[] = {
			{ IVMA_EV_MMAP, 0, IVMA_ACCESS_READ | IVMA_ACCESS_WRITE |
					   IVMA_ACCESS_SHARED },
			{ IVMA_EV_ZERO_FILL, 1, IVMA_ACCESS_WRITE | IVMA_ACCESS_USER },
			{ IVMA_EV_DIRTY, 1, IVMA_ACCESS_WRITE },
			{ IVMA_EV_ZERO_FILL, 2, IVMA_ACCESS_READ | IVMA_ACCESS_USER },
			{ IVMA_EV_DIRTY, 2, IVMA_ACCESS_WRITE },
			{ IVMA_EV_VMA_CLOSE, 0, IVMA_ACCESS_READ | IVMA_ACCESS_WRITE |
						IVMA_ACCESS_SHARED },
		};
		for (i = 0; i < 6; i++) {
			EXPECT_EQ(want[i].kind, rec[i].kind) TH_LOG("record %d", i);
			EXPECT_EQ(want[i].pgoff, rec[i].pgoff) TH_LOG("record %d", i);
			EXPECT_EQ(want[i].access, rec[i].access) TH_LOG("record %d", i);
			EXPECT_EQ((uint64_t)i, rec[i].seq);
			EXPECT_EQ(info.id, rec[i].object);
			EXPECT_EQ((uint32_t)getpid(), rec[i].pid);
			EXPECT_EQ((uint32_t)syscall(SYS_gettid), rec[i].tid);
			EXPECT_EQ(IVMA_OUTCOME_OK, rec[i].outcome);
			EXPECT_EQ(IVMA_RECORD_VERSION, rec[i].version);
			EXPECT_LE(t0, rec[i].time_ns);
			EXPECT_GE(t1, rec[i].time_ns);
			if (i)
				EXPECT_LE(rec[i - 1].time_ns, rec[i].time_ns);
		}
	}
	/* VMA records: start address and length; faults: the exact address */
	EXPECT_EQ((uint64_t)(uintptr_t)p, rec[0].address);
	EXPECT_EQ(4, rec[0].aux);
	EXPECT_EQ((uint64_t)(uintptr_t)(p + PSZ + 3), rec[1].address);
	EXPECT_EQ((uint64_t)(uintptr_t)(p + 2 * PSZ), rec[3].address);
	EXPECT_LT(0, rec[1].latency_ns);
	close(lfd);
	close(fd);
}

TEST(file_and_writeback_records)
{
	struct ivma_record rec[16];
	unsigned char *p;
	char path[256];
	int file, fd, lfd;

	file = ivma_make_file("logwb", 1, 100, O_RDWR, path, sizeof(path));
	ASSERT_LE(0, file);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, 3 * PSZ, file, 0, PSZ + 100));
	lfd = ivma_log_open(fd, 0, 0);
	ASSERT_LE(0, lfd);
	p = mmap(NULL, 3 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[PSZ] = 9;		/* file-read (short page) + dirty */
	(void)*(volatile unsigned char *)(p + 2 * PSZ);	/* zero-pad */
	ASSERT_EQ(0, msync(p, 3 * PSZ, MS_SYNC));	/* writeback 100 bytes */
	ASSERT_EQ(5, ivma_log_drain(lfd, rec, 16));
	EXPECT_EQ(IVMA_EV_MMAP, rec[0].kind);
	EXPECT_EQ(IVMA_EV_FILE_READ, rec[1].kind);
	EXPECT_EQ(1, rec[1].pgoff);
	EXPECT_EQ(IVMA_EV_DIRTY, rec[2].kind);
	EXPECT_EQ(IVMA_EV_ZERO_PAD, rec[3].kind);
	EXPECT_EQ(2, rec[3].pgoff);
	EXPECT_EQ(IVMA_EV_WRITEBACK, rec[4].kind);
	EXPECT_EQ(1, rec[4].pgoff);
	EXPECT_EQ(100, rec[4].aux);
	EXPECT_EQ(IVMA_OUTCOME_OK, rec[4].outcome);
	munmap(p, 3 * PSZ);
	close(lfd);
	close(fd);
	close(file);
	unlink(path);
}

TEST(lost_records_are_counted)
{
	/* a 64-record ring, 1 + 200 events, nothing read meanwhile */
	const int pages = 200;
	struct ivma_record rec[300];
	struct ivma_log_stats st;
	uint64_t before, produced, lost = 0, delivered = 0;
	unsigned char *p;
	int fd, lfd, i;
	ssize_t n;

	fd = ivma_new_anon(pages * PSZ);
	ASSERT_LE(0, fd);
	lfd = ivma_log_open(fd, 0, IVMA_LOG_SIZE_MIN);
	ASSERT_LE(0, lfd);
	before = events_total(fd);
	p = mmap(NULL, pages * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ivma_touch(p, pages, 0, 0);
	produced = events_total(fd) - before;
	ASSERT_EQ(1 + pages, produced);

	ASSERT_EQ(0, ivma_ioctl(lfd, IVMA_IOC_LOG_STATS, &st));
	EXPECT_EQ(IVMA_LOG_SIZE_MIN, st.size);
	EXPECT_EQ(64, st.used);
	EXPECT_EQ(produced, st.produced);
	EXPECT_EQ(produced - 64, st.lost);

	n = ivma_log_drain(lfd, rec, 300);
	ASSERT_EQ(65, n);	/* the ring, then the loss report */
	for (i = 0; i < n; i++) {
		if (rec[i].kind == IVMA_EV_LOST) {
			EXPECT_EQ(delivered + lost, rec[i].seq);
			lost += rec[i].aux;
		} else {
			EXPECT_EQ(delivered + lost, rec[i].seq);
			delivered++;
		}
	}
	EXPECT_EQ(IVMA_EV_LOST, rec[64].kind);
	EXPECT_EQ(produced, delivered + lost);

	/* the stream goes on after the loss with the next number */
	munmap(p, pages * PSZ);
	ASSERT_EQ(1, ivma_log_drain(lfd, rec, 300));
	EXPECT_EQ(IVMA_EV_VMA_CLOSE, rec[0].kind);
	EXPECT_EQ(produced, rec[0].seq);
	ASSERT_EQ(0, ivma_ioctl(lfd, IVMA_IOC_LOG_STATS, &st));
	EXPECT_EQ(produced + 1, st.produced);
	EXPECT_EQ(0, st.used);
	close(lfd);
	close(fd);
}

TEST(loss_reported_before_next_record)
{
	struct ivma_record rec[80];
	unsigned char *p;
	int fd, lfd;

	fd = ivma_new_anon(100 * PSZ);
	ASSERT_LE(0, fd);
	lfd = ivma_log_open(fd, 0, IVMA_LOG_SIZE_MIN);
	ASSERT_LE(0, lfd);
	p = mmap(NULL, 100 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ivma_touch(p, 70, 0, 0);	/* 71 events: 7 lost */
	/* read 10 only: room for more, and a loss pending */
	ASSERT_EQ(10 * (ssize_t)REC, read(lfd, rec, 10 * REC));
	(void)*(volatile unsigned char *)(p + 80 * PSZ);
	ASSERT_EQ(56, ivma_log_drain(lfd, rec, 80));
	/* 54 old records, then LOST 7, then the new fault */
	EXPECT_EQ(IVMA_EV_LOST, rec[54].kind);
	EXPECT_EQ(7, rec[54].aux);
	EXPECT_EQ(64, rec[54].seq);
	EXPECT_EQ(IVMA_EV_ZERO_FILL, rec[55].kind);
	EXPECT_EQ(80, rec[55].pgoff);
	EXPECT_EQ(71, rec[55].seq);
	munmap(p, 100 * PSZ);
	close(lfd);
	close(fd);
}

TEST(read_sizes_and_nonblock)
{
	char buf[3 * REC / 2];
	int fd = ivma_new_anon(PSZ), lfd, lfd2;
	unsigned char *p;

	ASSERT_LE(0, fd);
	lfd = ivma_log_open(fd, IVMA_LOG_NONBLOCK, 0);
	ASSERT_LE(0, lfd);
	EXPECT_TRUE(fcntl(lfd, F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(lfd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_RDWR, fcntl(lfd, F_GETFL) & O_ACCMODE);
	/* empty: EAGAIN */
	EXPECT_EQ(-1, read(lfd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	p = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	(void)*(volatile unsigned char *)p;
	/* smaller than a record: EINVAL; a record and a half: one record */
	EXPECT_EQ(-1, read(lfd, buf, REC - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, read(lfd, buf, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ((ssize_t)REC, read(lfd, buf, sizeof(buf)));
	EXPECT_EQ((ssize_t)REC, read(lfd, buf, sizeof(buf)));
	EXPECT_EQ(-1, read(lfd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, write(lfd, buf, REC));
	EXPECT_EQ(EINVAL, errno);
	/* a bad buffer: EFAULT, and the record is still there */
	(void)*(volatile unsigned char *)p;
	munmap(p, PSZ);
	{
		void *none = mmap(NULL, PSZ, PROT_NONE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		ASSERT_NE(MAP_FAILED, none);
		EXPECT_EQ(-1, read(lfd, none, REC));
		EXPECT_EQ(EFAULT, errno);
		munmap(none, PSZ);
	}
	EXPECT_EQ((ssize_t)REC, read(lfd, buf, REC));
	/* the reader fd takes no other ioctl */
	EXPECT_EQ(-ENOTTY, ivma_ioctl(lfd, IVMA_IOC_QUERY, buf));
	lfd2 = ivma_log_open(lfd, 0, 0);
	EXPECT_EQ(-ENOTTY, lfd2);
	close(lfd);
	close(fd);
}

TEST(bad_open_requests)
{
	struct ivma_log_open req;
	int fd = open(IVMA_DEV, O_RDWR), i;

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, ivma_log_open(fd, 0, 0));	/* before the handshake */
	ASSERT_EQ(0, ivma_api(fd, NULL));
	EXPECT_EQ(-EINVAL, ivma_log_open(fd, 1U << 31, 0));
	EXPECT_EQ(-EINVAL, ivma_log_open(fd, ~(uint32_t)IVMA_LOG_FLAGS_ALL, 0));
	EXPECT_EQ(-EINVAL, ivma_log_open(fd, 0, IVMA_LOG_SIZE_MIN / 2));
	EXPECT_EQ(-EINVAL, ivma_log_open(fd, 0, IVMA_LOG_SIZE_MIN + 64));
	EXPECT_EQ(-EINVAL, ivma_log_open(fd, 0, 3 * IVMA_LOG_SIZE_MIN));
	EXPECT_EQ(-EINVAL, ivma_log_open(fd, 0, 2ULL * IVMA_LOG_SIZE_MAX));
	EXPECT_EQ(-EINVAL, ivma_log_open(fd, 0, 1ULL << 63));
	req = (struct ivma_log_open){ .reserved0 = 1 };
	EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_LOG_OPEN, &req));
	for (i = 0; i < 4; i++) {
		req = (struct ivma_log_open){ 0 };
		req.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_LOG_OPEN, &req));
	}
	EXPECT_EQ(-EFAULT, ivma_ioctl(fd, IVMA_IOC_LOG_OPEN, NULL));
	/* the limits themselves are fine */
	i = ivma_log_open(fd, 0, IVMA_LOG_SIZE_MIN);
	EXPECT_LE(0, i);
	close(i);
	i = ivma_log_open(fd, 0, IVMA_LOG_SIZE_MAX);
	EXPECT_LE(0, i);
	close(i);
	close(fd);
}

static void *touch_later(void *arg)
{
	volatile unsigned char *p = arg;

	usleep(100 * 1000);
	(void)*p;
	return NULL;
}

TEST(blocking_read_and_poll_wake)
{
	struct ivma_record rec;
	struct pollfd pfd;
	pthread_t th;
	unsigned char *p;
	int fd, lfd;

	fd = ivma_new_anon(2 * PSZ);
	ASSERT_LE(0, fd);
	p = mmap(NULL, 2 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	lfd = ivma_log_open(fd, 0, 0);
	ASSERT_LE(0, lfd);

	pfd = (struct pollfd){ .fd = lfd, .events = POLLIN };
	EXPECT_EQ(0, poll(&pfd, 1, 0));

	/* a blocking read waits for the other thread's fault */
	ASSERT_EQ(0, pthread_create(&th, NULL, touch_later, p));
	ASSERT_EQ((ssize_t)REC, read(lfd, &rec, REC));
	EXPECT_EQ(IVMA_EV_ZERO_FILL, rec.kind);
	EXPECT_NE((uint32_t)syscall(SYS_gettid), rec.tid);
	EXPECT_EQ((uint32_t)getpid(), rec.pid);
	pthread_join(th, NULL);

	/* poll sleeps until a record comes */
	ASSERT_EQ(0, pthread_create(&th, NULL, touch_later, p + PSZ));
	pfd.revents = 0;
	EXPECT_EQ(1, poll(&pfd, 1, 10000));
	EXPECT_TRUE(pfd.revents & POLLIN);
	pthread_join(th, NULL);
	munmap(p, 2 * PSZ);
	close(lfd);
	close(fd);
}

TEST(two_readers_see_all)
{
	struct ivma_record a[16], b[16];
	unsigned char *p;
	int fd, la, lb, i;

	fd = ivma_new_anon(8 * PSZ);
	ASSERT_LE(0, fd);
	la = ivma_log_open(fd, 0, 0);
	lb = ivma_log_open(fd, 0, IVMA_LOG_SIZE_MIN);
	ASSERT_LE(0, la);
	ASSERT_LE(0, lb);
	p = mmap(NULL, 8 * PSZ, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ivma_touch(p, 8, 0, 0);
	ASSERT_EQ(9, ivma_log_drain(la, a, 16));
	ASSERT_EQ(9, ivma_log_drain(lb, b, 16));
	for (i = 0; i < 9; i++) {
		EXPECT_EQ(a[i].kind, b[i].kind);
		EXPECT_EQ(a[i].pgoff, b[i].pgoff);
		EXPECT_EQ(a[i].time_ns, b[i].time_ns);
		EXPECT_EQ(a[i].seq, b[i].seq);
	}
	/* one reader closing does not disturb the other */
	close(la);
	munmap(p, 8 * PSZ);
	ASSERT_EQ(1, ivma_log_drain(lb, b, 16));
	EXPECT_EQ(IVMA_EV_VMA_CLOSE, b[0].kind);
	close(lb);
	close(fd);
}

TEST(end_of_stream_when_object_goes)
{
	struct ivma_record rec[8];
	struct pollfd pfd;
	unsigned char *p;
	int fd, lfd;

	fd = ivma_new_anon(PSZ);
	ASSERT_LE(0, fd);
	lfd = ivma_log_open(fd, 0, 0);
	ASSERT_LE(0, lfd);
	p = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	(void)*(volatile unsigned char *)p;
	munmap(p, PSZ);
	close(fd);
	/* everything up to obj-destroy, then end of file (blocking read) */
	ASSERT_EQ(4 * (ssize_t)REC, read(lfd, rec, sizeof(rec)));
	EXPECT_EQ(IVMA_EV_MMAP, rec[0].kind);
	EXPECT_EQ(IVMA_EV_ZERO_FILL, rec[1].kind);
	EXPECT_EQ(IVMA_EV_VMA_CLOSE, rec[2].kind);
	EXPECT_EQ(IVMA_EV_OBJ_DESTROY, rec[3].kind);
	EXPECT_EQ(0, read(lfd, rec, sizeof(rec)));
	pfd = (struct pollfd){ .fd = lfd, .events = POLLIN };
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_TRUE(pfd.revents & POLLHUP);
	close(lfd);
}

TEST(system_reader_sees_every_object)
{
	struct ivma_record rec[64];
	struct ivma_info ia, ib;
	int carrier, lfd, a, b, i, seen_a = 0, seen_b = 0;
	ssize_t n;

	carrier = ivma_open();
	ASSERT_LE(0, carrier);
	lfd = ivma_log_open(carrier, IVMA_LOG_SYSTEM, 0);
	ASSERT_LE(0, lfd);
	a = ivma_new_anon(PSZ);
	b = ivma_new_anon(PSZ);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, ivma_query(a, &ia));
	ASSERT_EQ(0, ivma_query(b, &ib));
	close(a);
	close(b);
	n = ivma_log_drain(lfd, rec, 64);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		if (rec[i].object == ia.id && (rec[i].kind == IVMA_EV_OBJ_CREATE ||
					       rec[i].kind == IVMA_EV_OBJ_DESTROY))
			seen_a++;
		if (rec[i].object == ib.id && (rec[i].kind == IVMA_EV_OBJ_CREATE ||
					       rec[i].kind == IVMA_EV_OBJ_DESTROY))
			seen_b++;
	}
	EXPECT_EQ(2, seen_a);
	EXPECT_EQ(2, seen_b);
	close(lfd);
	close(carrier);
}

static int unprivileged_open(void *arg)
{
	int fd, lfd;

	(void)arg;
	if (setgid(65534) || setuid(65534))
		return 10;
	fd = ivma_open();
	if (fd < 0)
		return 11;
	/* no system-wide reader without CAP_PERFMON / CAP_SYS_ADMIN */
	lfd = ivma_log_open(fd, IVMA_LOG_SYSTEM, 0);
	if (lfd != -EPERM)
		return 12;
	/* its own object's log: fine */
	lfd = ivma_log_open(fd, 0, 0);
	if (lfd < 0)
		return 13;
	return 0;
}

TEST(system_reader_needs_capability)
{
	int status = ivma_in_child(unprivileged_open, NULL);

	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(fork_and_child_faults)
{
	struct ivma_record rec[16];
	volatile unsigned char *p;
	int fd, lfd, status, n, i, child_faults = 0;
	pid_t pid;

	fd = ivma_new_anon(2 * PSZ);
	ASSERT_LE(0, fd);
	lfd = ivma_log_open(fd, 0, 0);
	ASSERT_LE(0, lfd);
	p = mmap(NULL, 2 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		(void)p[PSZ];
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	n = ivma_log_drain(lfd, rec, 16);
	/* mmap, vma-open (by the parent), child's fault, child's vma-close */
	ASSERT_EQ(4, n);
	EXPECT_EQ(IVMA_EV_VMA_OPEN, rec[1].kind);
	EXPECT_EQ((uint32_t)getpid(), rec[1].pid);
	for (i = 0; i < n; i++)
		if (rec[i].kind == IVMA_EV_ZERO_FILL) {
			EXPECT_EQ((uint32_t)pid, rec[i].pid);
			child_faults++;
		}
	EXPECT_EQ(1, child_faults);
	EXPECT_EQ(IVMA_EV_VMA_CLOSE, rec[3].kind);
	EXPECT_EQ((uint32_t)pid, rec[3].pid);
	munmap((void *)p, 2 * PSZ);
	close(lfd);
	close(fd);
}

TEST(mmap_of_the_ring)
{
	struct ivma_record *ring;
	volatile uint64_t *cons;
	const uint64_t *pp;	/* prod, lost, lost_seq, lost_total, produced */
	unsigned char *p;
	int fd, lfd;
	void *w;

	fd = ivma_new_anon(4 * PSZ);
	ASSERT_LE(0, fd);
	lfd = ivma_log_open(fd, 0, IVMA_LOG_SIZE_MIN);
	ASSERT_LE(0, lfd);
	cons = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, lfd, 0);
	ASSERT_NE(MAP_FAILED, cons);
	pp = mmap(NULL, PSZ + IVMA_LOG_SIZE_MIN, PROT_READ, MAP_SHARED, lfd, PSZ);
	ASSERT_NE(MAP_FAILED, pp);
	ring = (struct ivma_record *)((char *)pp + PSZ);
	/* data pages are read-only; the area ends where it ends */
	w = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, lfd, PSZ);
	EXPECT_EQ(MAP_FAILED, w);
	EXPECT_EQ(EPERM, errno);
	w = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, lfd, 3 * PSZ);
	EXPECT_EQ(MAP_FAILED, w);
	EXPECT_EQ(EINVAL, errno);

	p = mmap(NULL, 4 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ivma_touch(p, 3, 0, 0);
	EXPECT_EQ(0, *cons);
	ASSERT_EQ(4, __atomic_load_n(&pp[0], __ATOMIC_ACQUIRE));
	EXPECT_EQ(IVMA_EV_MMAP, ring[0].kind);
	EXPECT_EQ(IVMA_EV_ZERO_FILL, ring[3].kind);
	EXPECT_EQ(2, ring[3].pgoff);
	/* consume two through the mapping: read() goes on from there */
	__atomic_store_n(cons, 2, __ATOMIC_RELEASE);
	{
		struct ivma_record rec[4];

		ASSERT_EQ(2, ivma_log_drain(lfd, rec, 4));
		EXPECT_EQ(2, rec[0].seq);
		EXPECT_EQ(3, rec[1].seq);
	}
	EXPECT_EQ(4, *cons);
	munmap(p, 4 * PSZ);
	munmap((void *)cons, PSZ);
	munmap((void *)pp, PSZ + IVMA_LOG_SIZE_MIN);
	close(lfd);
	close(fd);
}

TEST(log_enabled_knob)
{
	struct ivma_record rec[4];
	unsigned char *p;
	int fd, lfd;

	if (ivma_debugfs_read("log_enabled") == -ENOENT)
		SKIP(return, "no debugfs");
	fd = ivma_new_anon(PSZ);
	ASSERT_LE(0, fd);
	lfd = ivma_log_open(fd, 0, 0);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, ivma_debugfs_write("log_enabled", 0));
	p = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	(void)*(volatile unsigned char *)p;
	ASSERT_EQ(0, ivma_debugfs_write("log_enabled", 1));
	EXPECT_EQ(0, ivma_log_drain(lfd, rec, 4));
	/* counters do not depend on the log */
	EXPECT_EQ(1, ivma_event_count(fd, IVMA_EV_ZERO_FILL));
	munmap(p, PSZ);
	EXPECT_EQ(1, ivma_log_drain(lfd, rec, 4));
	close(lfd);
	close(fd);
}

TEST(tracepoint_fault)
{
	const char *t = "/sys/kernel/tracing";
	char path[256], line[512], want[64];
	struct ivma_info info;
	unsigned char *p;
	int fd, count = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/events/ivma/fault/enable", t);
	if (access(path, W_OK))
		SKIP(return, "no tracefs or no ivma:fault");
	fd = ivma_new_anon(4 * PSZ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_query(fd, &info));
	snprintf(path, sizeof(path), "%s/trace", t);
	ASSERT_EQ(0, ivma_write_str(path, ""));
	snprintf(path, sizeof(path), "%s/events/ivma/fault/enable", t);
	ASSERT_EQ(0, ivma_write_str(path, "1"));
	p = mmap(NULL, 4 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ivma_touch(p, 3, 0, 0);
	ivma_touch(p, 3, 0, 0);		/* mapped: no more faults */
	ASSERT_EQ(0, ivma_write_str(path, "0"));

	snprintf(path, sizeof(path), "%s/trace", t);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	snprintf(want, sizeof(want), "fault: object=%llu kind=zero-fill",
		 (unsigned long long)info.id);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, want))
			count++;
	fclose(f);
	EXPECT_EQ(3, count);
	munmap(p, 4 * PSZ);
	close(fd);
}

TEST_HARNESS_MAIN
