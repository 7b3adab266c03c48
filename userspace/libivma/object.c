// SPDX-License-Identifier: GPL-2.0
/*
 * libivma: objects (open, handshake, configure, map) and their counters,
 * budget and swap area.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

long ivma_lib_ioctl(int fd, unsigned long req, void *arg)
{
	int saved = errno;
	long r = ioctl(fd, req, arg);

	if (r < 0)
		r = -errno;
	errno = saved;
	return r;
}

IVMA_EXPORT const char *ivma_device_path(const char *path)
{
	const char *env;

	if (path)
		return path;
	env = getenv(IVMA_LIB_DEVICE_ENV);
	if (env && *env)
		return env;
	return IVMA_LIB_DEVICE;
}

IVMA_EXPORT int ivma_open(const char *path)
{
	int saved = errno, fd, r = 0;
	struct stat st;

	fd = open(ivma_device_path(path), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		r = -errno;
	else if (fstat(fd, &st))
		r = -errno;
	else if (!S_ISCHR(st.st_mode))
		r = -ENOTTY;
	if (r && fd >= 0)
		close(fd);
	errno = saved;
	return r ? r : fd;
}

IVMA_EXPORT int ivma_handshake(int fd, uint64_t features, struct ivma_api *api)
{
	struct ivma_api a;
	long r;

	memset(&a, 0, sizeof(a));
	a.api = IVMA_API_VERSION;
	a.features = features;
	r = ivma_lib_ioctl(fd, IVMA_IOC_API, &a);
	if (!r && api)
		*api = a;
	return (int)r;
}

IVMA_EXPORT int ivma_configure(int fd, const struct ivma_config *cfg)
{
	return (int)ivma_lib_ioctl(fd, IVMA_IOC_CONFIGURE, (void *)cfg);
}

IVMA_EXPORT int ivma_configure_anon(int fd, uint64_t size)
{
	struct ivma_config cfg = { .size = size, .fd = -1 };

	return ivma_configure(fd, &cfg);
}

IVMA_EXPORT int ivma_configure_file(int fd, uint64_t size, int file_fd,
				    uint64_t offset, uint64_t len)
{
	struct ivma_config cfg = {
		.size = size, .flags = IVMA_CONFIG_FILE, .fd = file_fd,
		.file_offset = offset, .section_len = len,
	};

	return ivma_configure(fd, &cfg);
}

IVMA_EXPORT int ivma_create(const char *path, uint64_t size)
{
	int fd = ivma_open(path), r;

	if (fd < 0)
		return fd;
	r = ivma_handshake(fd, 0, NULL);
	if (!r)
		r = ivma_configure_anon(fd, size);
	if (r) {
		close(fd);
		return r;
	}
	return fd;
}

IVMA_EXPORT int ivma_map(int fd, uint64_t offset, size_t length, int prot,
			 int flags, void **addr)
{
	int saved = errno, r = 0;
	void *p;

	if (offset > (uint64_t)INT64_MAX)
		return -EINVAL;
	p = mmap(NULL, length, prot, flags, fd, (off_t)offset);
	if (p == MAP_FAILED)
		r = -errno;
	else
		*addr = p;
	errno = saved;
	return r;
}

IVMA_EXPORT int ivma_query(int fd, struct ivma_info *info)
{
	memset(info, 0, sizeof(*info));
	return (int)ivma_lib_ioctl(fd, IVMA_IOC_QUERY, info);
}

IVMA_EXPORT int ivma_set_budget_flags(int fd, uint64_t frames,
				      unsigned int policy, unsigned int flags)
{
	struct ivma_budget b = {
		.frames = frames, .policy = policy, .flags = flags,
	};

	return (int)ivma_lib_ioctl(fd, IVMA_IOC_SET_BUDGET, &b);
}

IVMA_EXPORT int ivma_set_budget(int fd, uint64_t frames, unsigned int policy)
{
	return ivma_set_budget_flags(fd, frames, policy, 0);
}

IVMA_EXPORT int ivma_set_swap(int fd, int swap_fd, uint64_t size)
{
	struct ivma_swap s = { .fd = swap_fd, .size = size };

	return (int)ivma_lib_ioctl(fd, IVMA_IOC_SET_SWAP, &s);
}

IVMA_EXPORT int ivma_swap_info(int fd, struct ivma_swap *swap)
{
	memset(swap, 0, sizeof(*swap));
	swap->fd = -1;
	return (int)ivma_lib_ioctl(fd, IVMA_IOC_SWAP_INFO, swap);
}
