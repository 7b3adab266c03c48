// SPDX-License-Identifier: GPL-2.0
/*
 * bench: the policy lab (issue 16). "ivma sim" over a complete capture of
 * 1 million references to 10 000 distinct pages (quick: 200 000 to 2 000;
 * make bench-sim, the size: 10 million to 100 000, --sim-refs and
 * --sim-pages), every policy at the default frame counts, against one pass of
 * "ivma report" over the same capture: the ratio says what the four
 * policies cost beyond reading the capture. Both print to /dev/null.
 *
 * The reference string is made here, with a fixed seed, and written with
 * the tool's own capture writer: a first pass over every page (so that
 * all of them are distinct pages of the capture), then a working set of
 * 1/50 of the pages that drifts across the object, with one reference in
 * 16 anywhere. No two consecutive references are the same page, so every
 * record is a reference the simulator keeps.
 */
#include <sys/wait.h>

#include "bench.h"
#include "capture.h"

static char sim_cap[128];
uint64_t sim_refs, sim_pages;

static uint64_t sim_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* bench --sim-capture FILE REFS PAGES: the capture alone */
int sim_capture(const char *path, uint64_t nrefs, uint64_t npg)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL, t, last = UINT64_MAX;
	uint64_t ws = npg / 50 ? npg / 50 : 1, base = 0;
	struct ivma_record rec = {
		.object = 1, .kind = IVMA_EV_FILE_READ, .access = IVMA_ACCESS_READ,
		.outcome = IVMA_OUTCOME_OK, .version = IVMA_RECORD_VERSION,
		.pid = 1, .tid = 1,
	};
	struct cap_writer w;
	struct cap_meta m;
	char msg[256];
	FILE *f;

	if (!npg || nrefs < npg)
		return -1;
	f = fopen(path, "we");
	if (!f)
		return -1;
	cap_meta_host(&m, "bench: ivma sim's reference string");
	m.flags = CAP_FLAG_OBJECT | CAP_FLAG_COMPLETE;
	if (cap_create(&w, f, &m, msg, sizeof(msg)))
		goto fail;
	for (t = 0; t < nrefs; t++) {
		uint64_t p;

		if (t < npg) {
			p = t;
		} else {
			if (!(t % 4096))
				base = (base + ws / 8 + 1) % npg;
			do {
				uint64_t r = sim_rand(&seed);

				p = r % 16 ? (base + (r >> 8) % ws) % npg :
					     (r >> 8) % npg;
			} while (p == last);
		}
		rec.seq = t;
		rec.time_ns = m.start_ns + 1000 * t;	/* 1 per µs */
		rec.pgoff = p;
		rec.address = 0x10000000 + p * 4096;
		if (cap_write(&w, &rec, msg, sizeof(msg)))
			goto fail;
		last = p;
	}
	if (cap_finish(&w, msg, sizeof(msg)))
		goto fail;
	return fclose(f) ? -1 : 0;
fail:
	fclose(f);
	unlink(path);
	return -1;
}

/* arg 0: ivma report -i CAP; arg 1: ivma sim -i CAP */
int s_sim(struct bcase *c)
{
	char *const report[] = { "ivma", "report", "-i", sim_cap, NULL };
	char *const sim[] = { "ivma", "sim", "-i", sim_cap, NULL };
	const char *ivma = ivma_path();
	uint64_t t0;
	int st;

	if (access(ivma, X_OK))
		return skip("%s: not built", ivma);
	if (!sim_cap[0]) {
		snprintf(sim_cap, sizeof(sim_cap), "/tmp/ivma-bench-sim-%d",
			 getpid());
		if (!sim_refs)
			sim_refs = quick ? 200000 : 1000000;
		if (!sim_pages)
			sim_pages = quick ? 2000 : 10000;
		printf("the policy lab's capture: %llu references to %llu pages\n",
		       (unsigned long long)sim_refs,
		       (unsigned long long)sim_pages);
		if (sim_capture(sim_cap, sim_refs, sim_pages)) {
			sim_cap[0] = '\0';
			return fail("the capture: %s", strerror(errno));
		}
	}
	t0 = now_ns();
	st = wait_status(spawn_as(ivma, c->arg ? sim : report, "/dev/null",
				  "/dev/null", 0));
	if (st)
		return fail("ivma %s: exit status %d", c->arg ? "sim" : "report",
			    st);
	sample_push(c, now_ns() - t0, 1);
	return 0;
}

void sim_cleanup(void)
{
	if (sim_cap[0])
		unlink(sim_cap);
}
