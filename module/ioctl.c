// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - the ioctls of an object: copy in, validate, dispatch, copy out.
 * Documentation/uapi.md lists every field and errno.
 */
#include <linux/overflow.h>
#include <linux/uaccess.h>

#include "ivma.h"

static bool ivma_reserved_zero(const __u64 *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i])
			return false;
	return true;
}

static int ivma_ioctl_api(struct ivma_object *obj, void __user *uarg)
{
	struct ivma_api api;
	int ret = 0;

	if (copy_from_user(&api, uarg, sizeof(api)))
		return -EFAULT;
	if (api.api != IVMA_API_VERSION || api.reserved0 || api.reserved1 ||
	    !ivma_reserved_zero(api.reserved, ARRAY_SIZE(api.reserved)))
		return -EINVAL;
	if (api.features & ~IVMA_FEATURE_ALL)
		return -EINVAL;

	/* answer first: a handshake whose answer was lost did not happen */
	memset(&api, 0, sizeof(api));
	api.api = IVMA_API_VERSION;
	api.features = IVMA_FEATURE_ALL;
	api.ioctls = BIT_ULL(IVMA_IOC_NR_API) | BIT_ULL(IVMA_IOC_NR_CONFIGURE) |
		     BIT_ULL(IVMA_IOC_NR_QUERY) | BIT_ULL(IVMA_IOC_NR_LOG_OPEN) |
		     BIT_ULL(IVMA_IOC_NR_LOG_STATS) |
		     BIT_ULL(IVMA_IOC_NR_SET_BUDGET) |
		     BIT_ULL(IVMA_IOC_NR_SET_SWAP) |
		     BIT_ULL(IVMA_IOC_NR_SWAP_INFO);
	api.max_size = ivma_max_size();
	api.page_size = PAGE_SIZE;

	mutex_lock(&obj->lock);
	if (obj->state & IVMA_STATE_API)
		ret = -EBUSY;
	mutex_unlock(&obj->lock);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &api, sizeof(api)))
		return -EFAULT;

	mutex_lock(&obj->lock);
	if (obj->state & IVMA_STATE_API)
		ret = -EBUSY;	/* a concurrent handshake won */
	else
		obj->state |= IVMA_STATE_API;
	mutex_unlock(&obj->lock);
	return ret;
}

/* The configuration's form, before any state or file is looked at. */
static int ivma_config_check(const struct ivma_config *cfg)
{
	u64 end;

	if (!ivma_reserved_zero(cfg->reserved, ARRAY_SIZE(cfg->reserved)))
		return -EINVAL;
	if (cfg->flags & ~IVMA_CONFIG_FLAGS_ALL)
		return -EINVAL;
	if (!cfg->size || !PAGE_ALIGNED(cfg->size) ||
	    cfg->size > ivma_max_size())
		return -EINVAL;

	if (!(cfg->flags & IVMA_CONFIG_FILE)) {
		if (cfg->fd != -1 || cfg->file_offset || cfg->section_len)
			return -EINVAL;
		return 0;
	}

	if (cfg->fd < 0)
		return -EBADF;
	if (!PAGE_ALIGNED(cfg->file_offset))
		return -EINVAL;
	if (!cfg->section_len || cfg->section_len > cfg->size)
		return -EINVAL;
	if (check_add_overflow(cfg->file_offset, cfg->section_len, &end) ||
	    end > (u64)MAX_LFS_FILESIZE)
		return -EOVERFLOW;
	return 0;
}

static int ivma_ioctl_configure(struct ivma_object *obj, void __user *uarg)
{
	struct ivma_config cfg;
	int ret;

	if (copy_from_user(&cfg, uarg, sizeof(cfg)))
		return -EFAULT;
	ret = ivma_config_check(&cfg);
	if (ret)
		return ret;
	return ivma_object_configure(obj, &cfg);
}

static int ivma_ioctl_log_open(struct ivma_object *obj, void __user *uarg)
{
	struct ivma_log_open req;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.reserved0 ||
	    !ivma_reserved_zero(req.reserved, ARRAY_SIZE(req.reserved)))
		return -EINVAL;
	if (!(READ_ONCE(obj->state) & IVMA_STATE_API))
		return -EINVAL;
	return ivma_log_open(obj, &req);
}

static int ivma_ioctl_set_budget(struct ivma_object *obj, void __user *uarg)
{
	struct ivma_budget b;

	if (copy_from_user(&b, uarg, sizeof(b)))
		return -EFAULT;
	if ((b.flags & ~IVMA_BUDGET_FLAGS_ALL) ||
	    !ivma_reserved_zero(b.reserved, ARRAY_SIZE(b.reserved)) ||
	    b.policy >= IVMA_POLICY_NR || b.frames > ULONG_MAX / 2)
		return -EINVAL;
	/* reference tracing evicts nothing: no budget with it */
	if ((b.flags & IVMA_BUDGET_REFS) && b.frames)
		return -EINVAL;
	if (!(READ_ONCE(obj->state) & IVMA_STATE_API))
		return -EINVAL;
	return ivma_object_set_budget(obj, &b);
}

static int ivma_ioctl_set_swap(void __user *uarg)
{
	struct ivma_swap sw;

	if (copy_from_user(&sw, uarg, sizeof(sw)))
		return -EFAULT;
	if (sw.reserved0 || sw.used ||
	    !ivma_reserved_zero(sw.reserved, ARRAY_SIZE(sw.reserved)))
		return -EINVAL;
	if (sw.fd < -1)
		return -EBADF;
	return ivma_swap_set(&sw);
}

static int ivma_ioctl_swap_info(void __user *uarg)
{
	struct ivma_swap sw;

	ivma_swap_info(&sw);
	if (copy_to_user(uarg, &sw, sizeof(sw)))
		return -EFAULT;
	return 0;
}

static int ivma_ioctl_query(struct ivma_object *obj, void __user *uarg)
{
	struct ivma_info info;

	ivma_object_query(obj, &info);
	if (copy_to_user(uarg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

/**
 * ivma_ioctl() - unlocked_ioctl of /dev/ivma
 * @filp: an object's file
 * @cmd: IVMA_IOC_*
 * @arg: user pointer to the command's structure
 *
 * Return: 0 or a negative errno; -ENOTTY for an unknown command.
 */
long ivma_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct ivma_object *obj = filp->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case IVMA_IOC_API:
		return ivma_ioctl_api(obj, uarg);
	case IVMA_IOC_CONFIGURE:
		return ivma_ioctl_configure(obj, uarg);
	case IVMA_IOC_QUERY:
		return ivma_ioctl_query(obj, uarg);
	case IVMA_IOC_LOG_OPEN:
		return ivma_ioctl_log_open(obj, uarg);
	case IVMA_IOC_SET_BUDGET:
		return ivma_ioctl_set_budget(obj, uarg);
	case IVMA_IOC_SET_SWAP:
		return ivma_ioctl_set_swap(uarg);
	case IVMA_IOC_SWAP_INFO:
		return ivma_ioctl_swap_info(uarg);
	default:
		return -ENOTTY;
	}
}
