// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ivma: opening it and its ioctls.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "dev.h"
#include "uapinames.h"

const char *ivma_device_path(const char *opt)
{
	const char *env;

	if (opt)
		return opt;
	env = getenv(IVMA_DEVICE_ENV);
	if (env && *env)
		return env;
	return IVMA_DEFAULT_DEVICE;
}

int ivma_errno_status(int errnum)
{
	switch (errnum) {
	case EACCES:
	case EPERM:
		return IVMA_EXIT_PERM;
	}
	return IVMA_EXIT_FAILURE;
}

int ivma_open_status(int errnum)
{
	switch (errnum) {
	case ENOENT:	/* no device node */
	case ENXIO:	/* a node without a driver */
	case ENODEV:
		return IVMA_EXIT_NODEV;
	}
	return ivma_errno_status(errnum);
}

void ivma_dev_open(struct ivma_dev *dev, const char *path)
{
	struct stat st;
	int fd;

	dev->path = path;
	dev->fd = -1;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int status = ivma_open_status(errno);

		if (status == IVMA_EXIT_NODEV)
			errx(status, "%s: no such device: is the ivma module "
			     "loaded? (modprobe ivma)", path);
		if (status == IVMA_EXIT_PERM)
			errx(status, "%s: permission denied", path);
		err(status, "%s: cannot open", path);
	}
	if (fstat(fd, &st))
		err(IVMA_EXIT_FAILURE, "%s: stat failed", path);
	if (!S_ISCHR(st.st_mode))
		errx(IVMA_EXIT_NODEV, "%s: not a character device", path);
	dev->fd = fd;
}

/* Exits after a failed ioctl @req. */
static void ioctl_failed(const struct ivma_dev *dev, unsigned long req)
{
	int e = errno;

	if (e == ENOTTY)
		errx(IVMA_EXIT_FAILURE, "%s: %s: %s (not an ivma device?)",
		     dev->path, ivma_ioctl_name(req), strerror(e));
	if (e == EINVAL && req == IVMA_IOC_API)
		errx(IVMA_EXIT_FAILURE, "%s: %s: %s (the module does not "
		     "speak API version %d?)", dev->path,
		     ivma_ioctl_name(req), strerror(e), IVMA_API_VERSION);
	errno = e;
	err(ivma_errno_status(e), "%s: %s", dev->path, ivma_ioctl_name(req));
}

void ivma_dev_api(struct ivma_dev *dev, uint64_t features,
		  struct ivma_api *api)
{
	memset(api, 0, sizeof(*api));
	api->api = IVMA_API_VERSION;
	api->features = features;
	if (ioctl(dev->fd, IVMA_IOC_API, api))
		ioctl_failed(dev, IVMA_IOC_API);
}

void ivma_dev_configure(struct ivma_dev *dev, const struct ivma_config *cfg)
{
	if (ioctl(dev->fd, IVMA_IOC_CONFIGURE, cfg))
		ioctl_failed(dev, IVMA_IOC_CONFIGURE);
}

void ivma_dev_query(struct ivma_dev *dev, struct ivma_info *info)
{
	memset(info, 0, sizeof(*info));
	if (ioctl(dev->fd, IVMA_IOC_QUERY, info))
		ioctl_failed(dev, IVMA_IOC_QUERY);
}

void ivma_dev_set_budget(struct ivma_dev *dev, uint64_t frames,
			 uint32_t policy)
{
	struct ivma_budget b = { .frames = frames, .policy = policy };

	if (ioctl(dev->fd, IVMA_IOC_SET_BUDGET, &b))
		ioctl_failed(dev, IVMA_IOC_SET_BUDGET);
}

void ivma_dev_set_refs(struct ivma_dev *dev)
{
	struct ivma_budget b = { .flags = IVMA_BUDGET_REFS };

	if (ioctl(dev->fd, IVMA_IOC_SET_BUDGET, &b))
		ioctl_failed(dev, IVMA_IOC_SET_BUDGET);
}

void ivma_dev_close(struct ivma_dev *dev)
{
	if (dev->fd >= 0 && close(dev->fd))
		warn("%s: close failed", dev->path);
	dev->fd = -1;
}

int ivma_policy_parse(const char *s)
{
	if (!strcmp(s, "fifo"))
		return IVMA_POLICY_FIFO;
	if (!strcmp(s, "clock"))
		return IVMA_POLICY_CLOCK;
	if (!strcmp(s, "lru"))
		return IVMA_POLICY_LRU;
	return -1;
}
