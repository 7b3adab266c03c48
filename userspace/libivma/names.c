// SPDX-License-Identifier: GPL-2.0
/*
 * libivma: names of the uapi's event kinds (from its IVMA_EVENT_KINDS()
 * list), access bits, outcomes, policies and ioctls.
 */
#include <string.h>

#include "internal.h"

#define KIND(name_, str, desc) { IVMA_EV_##name_, str, desc },
static const struct ivma_kind kinds[] = {
	IVMA_EVENT_KINDS(KIND)
};
#undef KIND

IVMA_EXPORT const struct ivma_kind *ivma_kind_table(size_t *n)
{
	*n = IVMA_LIB_ARRAY_SIZE(kinds);
	return kinds;
}

IVMA_EXPORT const struct ivma_kind *ivma_kind_get(unsigned int kind)
{
	size_t i;

	for (i = 0; i < IVMA_LIB_ARRAY_SIZE(kinds); i++)
		if (kinds[i].kind == kind)
			return &kinds[i];
	return NULL;
}

IVMA_EXPORT const char *ivma_kind_name(unsigned int kind)
{
	const struct ivma_kind *k = ivma_kind_get(kind);

	return k ? k->name : NULL;
}

IVMA_EXPORT const char *ivma_kind_desc(unsigned int kind)
{
	const struct ivma_kind *k = ivma_kind_get(kind);

	return k ? k->desc : NULL;
}

IVMA_EXPORT int ivma_kind_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < IVMA_LIB_ARRAY_SIZE(kinds); i++)
		if (strcmp(kinds[i].name, name) == 0)
			return (int)kinds[i].kind;
	return -1;
}

IVMA_EXPORT int ivma_kind_is_fault(unsigned int kind)
{
	return kind == IVMA_EV_ZERO_FILL || kind == IVMA_EV_FILE_READ ||
	       kind == IVMA_EV_ZERO_PAD || kind == IVMA_EV_RESIDENT;
}

IVMA_EXPORT int ivma_kind_is_vma(unsigned int kind)
{
	return kind == IVMA_EV_MMAP || kind == IVMA_EV_VMA_OPEN ||
	       kind == IVMA_EV_VMA_CLOSE;
}

IVMA_EXPORT int ivma_kind_is_object(unsigned int kind)
{
	return kind == IVMA_EV_OBJ_CREATE || kind == IVMA_EV_OBJ_DESTROY;
}

IVMA_EXPORT char *ivma_access_str(unsigned int access,
				  char buf[IVMA_ACCESS_STR_LEN])
{
	static const char letters[] = "rwxus";
	unsigned int i;

	for (i = 0; i < 5; i++)
		buf[i] = (access & (1U << i)) ? letters[i] : '-';
	buf[5] = '\0';
	return buf;
}

static const char *const outcomes[] = {
	[IVMA_OUTCOME_OK] = "ok",
	[IVMA_OUTCOME_SIGBUS] = "sigbus",
	[IVMA_OUTCOME_OOM] = "oom",
	[IVMA_OUTCOME_RETRY] = "retry",
	[IVMA_OUTCOME_IO_ERROR] = "io-error",
};

IVMA_EXPORT const char *ivma_outcome_name(unsigned int outcome)
{
	return outcome < IVMA_LIB_ARRAY_SIZE(outcomes) ? outcomes[outcome] : NULL;
}

static const char *const policies[IVMA_POLICY_NR] = {
	[IVMA_POLICY_FIFO] = "fifo",
	[IVMA_POLICY_CLOCK] = "clock",
	[IVMA_POLICY_LRU] = "lru",
};

IVMA_EXPORT const char *ivma_policy_name(unsigned int policy)
{
	return policy < IVMA_POLICY_NR ? policies[policy] : NULL;
}

IVMA_EXPORT int ivma_policy_from_name(const char *name)
{
	int i;

	for (i = 0; i < IVMA_POLICY_NR; i++)
		if (strcmp(policies[i], name) == 0)
			return i;
	return -1;
}

#define IOCTL(req) { req, #req }
static const struct {
	unsigned long req;
	const char *name;
} ioctls[] = {
	IOCTL(IVMA_IOC_API), IOCTL(IVMA_IOC_CONFIGURE), IOCTL(IVMA_IOC_QUERY),
	IOCTL(IVMA_IOC_LOG_OPEN), IOCTL(IVMA_IOC_LOG_STATS),
	IOCTL(IVMA_IOC_SET_BUDGET), IOCTL(IVMA_IOC_SET_SWAP),
	IOCTL(IVMA_IOC_SWAP_INFO),
};
#undef IOCTL

IVMA_EXPORT const char *ivma_ioctl_name(unsigned long req)
{
	size_t i;

	for (i = 0; i < IVMA_LIB_ARRAY_SIZE(ioctls); i++)
		if (ioctls[i].req == req)
			return ioctls[i].name;
	return "ioctl";
}
