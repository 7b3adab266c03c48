// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ivma: opening it and its ioctls, through libivma, with the
 * tool's messages and exit statuses.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "dev.h"
#include "strutils.h"
#include "uapinames.h"

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
	int fd = ivma_open(path);

	dev->path = path;
	dev->fd = -1;
	if (fd == -ENOTTY)
		errx(IVMA_EXIT_NODEV, "%s: not a character device", path);
	if (fd < 0) {
		int status = ivma_open_status(-fd);

		/*
		 * The default node missing, or any node without a driver,
		 * is the module; a path the user named (-d, $IVMA_DEVICE)
		 * that does not exist is just that.
		 */
		if (-fd == ENOENT && strcmp(path, IVMA_LIB_DEVICE))
			errx(status, "%s: no such device node (the path of "
			     "-d or $" IVMA_LIB_DEVICE_ENV "; the module's "
			     "is " IVMA_LIB_DEVICE ")", path);
		if (status == IVMA_EXIT_NODEV)
			errx(status, "%s: no such device: is the ivma module "
			     "loaded? (modprobe ivma)", path);
		if (status == IVMA_EXIT_PERM)
			errx(status, "%s: permission denied", path);
		errno = -fd;
		err(status, "%s: cannot open", path);
	}
	dev->fd = fd;
}

/* Exits after ioctl @req failed with -@r (a libivma result). */
static void ioctl_failed(const struct ivma_dev *dev, unsigned long req, int r)
{
	int e = -r;

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
	int r = ivma_handshake(dev->fd, features, api);

	if (r)
		ioctl_failed(dev, IVMA_IOC_API, r);
}

void ivma_dev_configure(struct ivma_dev *dev, const struct ivma_config *cfg)
{
	int r = ivma_configure(dev->fd, cfg);

	if (r)
		ioctl_failed(dev, IVMA_IOC_CONFIGURE, r);
}

void ivma_dev_query(struct ivma_dev *dev, struct ivma_info *info)
{
	int r = ivma_query(dev->fd, info);

	if (r)
		ioctl_failed(dev, IVMA_IOC_QUERY, r);
}

void ivma_dev_set_budget(struct ivma_dev *dev, uint64_t frames,
			 uint32_t policy)
{
	int r = ivma_set_budget(dev->fd, frames, policy);

	if (r)
		ioctl_failed(dev, IVMA_IOC_SET_BUDGET, r);
}

void ivma_dev_set_refs(struct ivma_dev *dev)
{
	int r = ivma_set_budget_flags(dev->fd, 0, 0, IVMA_BUDGET_REFS);

	if (r)
		ioctl_failed(dev, IVMA_IOC_SET_BUDGET, r);
}

void ivma_dev_set_swap(struct ivma_dev *dev, uint64_t size)
{
	char h1[HUMAN_SIZE_LEN], h2[HUMAN_SIZE_LEN];
	struct ivma_swap old;
	int r;

	r = ivma_swap_info(dev->fd, &old);
	if (r)
		ioctl_failed(dev, IVMA_IOC_SWAP_INFO, r);
	r = ivma_set_swap(dev->fd, -1, size);
	if (r == -EPERM)
		errx(IVMA_EXIT_PERM, "--swap: the swap area is the module's, "
		     "for every object: replacing it needs CAP_SYS_ADMIN");
	if (r == -EBUSY)
		errx(IVMA_EXIT_FAILURE, "--swap: the swap area holds %s of "
		     "other objects' pages: it can be replaced only when "
		     "empty", size_to_human(old.used, h1, sizeof(h1)));
	if (r == -EINVAL || r == -ENOSPC || r == -EFBIG || r == -ENOMEM)
		errx(IVMA_EXIT_FAILURE, "--swap: the module refused an area "
		     "of %s: %s", size_to_human(size, h1, sizeof(h1)),
		     strerror(-r));
	if (r)
		ioctl_failed(dev, IVMA_IOC_SET_SWAP, r);
	fprintf(stderr, "%s: the module's swap area is now %s (it was %s), "
		"for every object until it is set again\n",
		program_invocation_short_name,
		size_to_human(size, h1, sizeof(h1)),
		size_to_human(old.size, h2, sizeof(h2)));
}

void ivma_dev_close(struct ivma_dev *dev)
{
	if (dev->fd >= 0 && close(dev->fd))
		warn("%s: close failed", dev->path);
	dev->fd = -1;
}

int ivma_policy_parse(const char *s)
{
	return ivma_policy_from_name(s);
}
