// SPDX-License-Identifier: GPL-2.0
/*
 * Log throughput: children fault on resident pages as fast as they can;
 * records/s and records lost with 1 and 2 faulting CPUs.
 */
#include "bench.h"

/* log throughput: children fault on resident pages as fast as they can */

struct tput tputs[] = {
	{ .name = "tput_1cpu_noreader", .faulters = 1, .reader = 0 },
	{ .name = "tput_1cpu_reader", .faulters = 1, .reader = 1 },
	{ .name = "tput_2cpu_noreader", .faulters = 2, .reader = 0 },
	{ .name = "tput_2cpu_reader", .faulters = 2, .reader = 1 },
	{ .name = "tput_1cpu_batched", .faulters = 1, .reader = 2 },
	{ .name = "tput_2cpu_batched", .faulters = 2, .reader = 2 },
	/* the same faults natively: the scaling figure's counterpart */
	{ .name = "tput_1cpu_native", .faulters = 1, .native = 1 },
	{ .name = "tput_2cpu_native", .faulters = 2, .native = 1 },
};

#define TPUT_PAGES 256

const size_t ntput = sizeof(tputs) / sizeof(tputs[0]);

/* a child: fault pages [k*256, k*256+256) again and again for @secs */
static void tput_child(int objfd, int k, int go, int res, double secs)
{
	size_t len = TPUT_PAGES * psz;
	uint64_t n = 0, t0, end;
	char c;
	char *p;

	pin_cpu(k);
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, objfd,
		 (off_t)k * TPUT_PAGES * psz);
	if (p == MAP_FAILED)
		_exit(3);
	touch(p, 0, TPUT_PAGES, 0);	/* resident from now on */
	madvise(p, len, MADV_DONTNEED);
	if (read(go, &c, 1) != 1)
		_exit(4);
	t0 = now_ns();
	end = t0 + (uint64_t)(secs * 1e9);
	do {
		touch(p, 0, TPUT_PAGES, 0);
		madvise(p, len, MADV_DONTNEED);
		n += TPUT_PAGES;
	} while (now_ns() < end);
	t0 = now_ns() - t0;
	{
		/* one write (< PIPE_BUF): the two children's never interleave */
		uint64_t msg[2] = { n, t0 };

		if (write(res, msg, sizeof(msg)) != sizeof(msg))
			_exit(5);
	}
	_exit(0);
}

int run_tput(struct tput *t)
{
	int fd, go[2], res[2], k, ret = 0, status;
	struct ivma_log_stats st0 = { 0 }, st1 = { 0 };
	struct reader r;
	uint64_t t0;
	pid_t pid[2];
	double rate = 0;

	set_log(1);
	if (t->native) {
		char path[256];

		fd = ivma_make_file("tput", (size_t)t->faulters * TPUT_PAGES,
				    0, O_RDWR, path, sizeof(path));
		if (fd >= 0)
			unlink(path);
		ret = fd < 0 ? fd : set_fault_around(4096);
		if (ret) {
			if (fd >= 0)
				close(fd);
			return fail("tmpfs file: %s", strerror(-ret));
		}
	} else {
		fd = ivma_new_anon((size_t)t->faulters * TPUT_PAGES * psz);
	}
	if (fd < 0)
		return fail("new object: %s", strerror(-fd));
	if (t->reader) {
		/* 1 faulter: the reader has CPU 1; 2: it shares */
		ret = reader_start(&r, fd, t->faulters == 1 ? 1 : -1,
				   t->reader == 2);
		if (ret) {
			close(fd);
			return ret;
		}
	}
	if (pipe(go) || pipe(res)) {
		ret = fail("pipe: %s", strerror(errno));
		goto out;
	}
	for (k = 0; k < t->faulters; k++) {
		pid[k] = fork();
		if (pid[k] == 0)
			tput_child(fd, k, go[0], res[1], tput_secs);
	}
	usleep(100000);		/* children mapped and ready */
	if (t->reader && log_stats(r.fd, &st0))
		ret = fail("IVMA_IOC_LOG_STATS: %s", strerror(errno));
	t0 = now_ns();
	if (write(go[1], "gg", t->faulters) != t->faulters)
		ret = fail("pipe write");
	for (k = 0; k < t->faulters; k++) {
		uint64_t msg[2], n, ns;

		if (read(res[0], msg, sizeof(msg)) != sizeof(msg)) {
			ret = fail("faulting child died");
			break;
		}
		n = msg[0];
		ns = msg[1];
		t->faults += n;
		rate += n / (ns / 1e9);
	}
	t->wall += (now_ns() - t0) / 1e9;
	if (t->reader && log_stats(r.fd, &st1))
		ret = fail("IVMA_IOC_LOG_STATS: %s", strerror(errno));
	t->st.produced += st1.produced - st0.produced;
	t->st.delivered += st1.delivered - st0.delivered;
	t->st.lost += st1.lost - st0.lost;
	for (k = 0; k < t->faulters; k++) {
		if (waitpid(pid[k], &status, 0) == pid[k] &&
		    !(WIFEXITED(status) && WEXITSTATUS(status) == 0) && !ret)
			ret = fail("faulting child: status %#x", status);
	}
	if (t->rounds < 16)
		t->rates[t->rounds++] = rate;
	close(go[0]);
	close(go[1]);
	close(res[0]);
	close(res[1]);
out:
	close(fd);
	if (t->native)
		set_fault_around(atol(fault_around_saved));
	if (t->reader) {
		int r2 = reader_stop(&r);

		t->read_records += r.records;
		t->reads += r.reads;
		if (!ret)
			ret = r2;
	}
	return ret;
}

/* Every selected configuration, rounds round-robin, then the median rate
 * of each. */
void run_tputs(void)
{
	size_t i;
	int k, ret, any_tput = 0;

	for (i = 0; i < NTPUT; i++)
		any_tput |= tputs[i].selected;
	for (k = 0; any_tput && k < (quick ? 1 : 3); k++) {
		uint64_t t0 = now_ns();

		for (i = 0; i < NTPUT; i++) {
			struct tput *t = &tputs[i];

			if (!t->selected || t->failed)
				continue;
			errbuf[0] = 0;
			ret = run_tput(t);
			if (ret) {
				t->failed = 1;
				snprintf(t->why, sizeof(t->why), "%s", errbuf);
				fprintf(stderr, "bench: %s: FAILED: %s\n",
					t->name, t->why);
				failures++;
			}
		}
		fprintf(stderr, "bench: log throughput round %d done in %.1f s\n",
			k + 1, (now_ns() - t0) / 1e9);
	}
	for (i = 0; i < NTPUT; i++) {
		struct tput *t = &tputs[i];

		if (t->rounds) {
			qsort(t->rates, t->rounds, sizeof(double), cmp_double);
			t->rate_med = quantile(t->rates, t->rounds, 0.5);
		}
	}
}
