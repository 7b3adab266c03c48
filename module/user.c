// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - users: whom the pages and swap slots of objects are charged to.
 *
 * An object is charged to its creator's euid (the f_cred of its file):
 * one struct ivma_user per uid with live objects, in a small hash table,
 * referenced by each of its objects and freed with the last one. Its
 * resident pages are counted by the page store (store.c), its swap slots
 * by the swap area (swap.c, under ivma_swap_lock).
 *
 * The page cap: the pages of a user's objects are on no LRU and nothing
 * reclaims them, and once unmapped they are in no process's RSS, where the
 * OOM killer looks. So a user may hold at most max_user_mb MiB of them
 * (default: half of the RAM); a fault that would go past it gets SIGBUS
 * (IVMA_EV_USER_CAP). Objects opened with CAP_SYS_RESOURCE are not bound:
 * their pages count, but nothing refuses them. Documentation/security.md
 * says why a cap and not a shrinker, and why SIGBUS and not VM_FAULT_OOM.
 * This file calls no other of ours.
 */
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "ivma.h"

#define IVMA_MAX_USER_MB_LIMIT	SZ_1M	/* MiB: 1 TiB */
/* max_user_mb not given at load: half of the RAM (ivma_user_init()) */
#define IVMA_MAX_USER_MB_AUTO	UINT_MAX

static unsigned int ivma_max_user_mb = IVMA_MAX_USER_MB_AUTO;

static int ivma_max_user_mb_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, IVMA_MAX_USER_MB_LIMIT);
}

static const struct kernel_param_ops ivma_max_user_mb_ops = {
	.set	= ivma_max_user_mb_set,
	.get	= param_get_uint,
};

module_param_cb(max_user_mb, &ivma_max_user_mb_ops, &ivma_max_user_mb, 0644);
MODULE_PARM_DESC(max_user_mb,
		 "Most MiB of object pages one user may hold resident (0: no limit; 0..1048576, default: half of the RAM)");

static DEFINE_HASHTABLE(ivma_users, 6);
static DEFINE_MUTEX(ivma_users_lock);	/* ivma_users, and the last put */

/**
 * ivma_user_init() - the default of max_user_mb, at load
 *
 * Return: 0.
 */
int ivma_user_init(void)
{
	unsigned long mb = totalram_pages() / 2 >> (20 - PAGE_SHIFT);

	if (ivma_max_user_mb == IVMA_MAX_USER_MB_AUTO)
		ivma_max_user_mb = clamp_t(unsigned long, mb, 1,
					   IVMA_MAX_USER_MB_LIMIT);
	return 0;
}

/**
 * ivma_user_max_pages() - the page cap of one user now
 *
 * Return: max_user_mb in pages; 0 for no limit.
 */
unsigned long ivma_user_max_pages(void)
{
	return (unsigned long)READ_ONCE(ivma_max_user_mb) <<
	       (20 - PAGE_SHIFT);
}

/**
 * ivma_user_get() - the user entry of @uid, made if it has none, for a new
 *	object
 * @uid: the object creator's euid
 * @unlimited: the object is not bound by the user's limits
 *
 * Takes ivma_users_lock: call with no lock of ours held.
 *
 * Return: the entry, with the object's reference; ERR_PTR(-ENOMEM).
 */
struct ivma_user *ivma_user_get(kuid_t uid, bool unlimited)
{
	struct ivma_user *user;

	mutex_lock(&ivma_users_lock);
	hash_for_each_possible(ivma_users, user, node, __kuid_val(uid)) {
		if (uid_eq(user->uid, uid)) {
			refcount_inc(&user->objects);
			goto found;
		}
	}
	user = kzalloc(sizeof(*user), GFP_KERNEL_ACCOUNT);
	if (!user) {
		mutex_unlock(&ivma_users_lock);
		return ERR_PTR(-ENOMEM);
	}
	user->uid = uid;
	refcount_set(&user->objects, 1);
	hash_add(ivma_users, &user->node, __kuid_val(uid));
found:
	if (unlimited)
		atomic_inc(&user->unlimited);
	mutex_unlock(&ivma_users_lock);
	return user;
}

/**
 * ivma_user_put() - an object of @user is gone
 * @user: its user
 * @unlimited: as given to ivma_user_get()
 *
 * The object gave back its pages and slots first: the last object's put
 * frees an entry that counts nothing. Takes ivma_users_lock for the last
 * one: call with no lock of ours held.
 */
void ivma_user_put(struct ivma_user *user, bool unlimited)
{
	if (unlimited)
		atomic_dec(&user->unlimited);
	if (!refcount_dec_and_mutex_lock(&user->objects, &ivma_users_lock))
		return;
	WARN_ON_ONCE(atomic_long_read(&user->pages) || READ_ONCE(user->slots));
	hash_del(&user->node);
	mutex_unlock(&ivma_users_lock);
	kfree(user);
}

/**
 * ivma_user_charge() - one more resident page for @user, if the cap allows
 * @user: the user
 * @unlimited: the page's object is not bound by the cap
 *
 * Exact under concurrency: the count never goes past the cap.
 *
 * Return: true when charged; false at the cap (nothing charged).
 */
bool ivma_user_charge(struct ivma_user *user, bool unlimited)
{
	unsigned long max = unlimited ? 0 : ivma_user_max_pages();
	long old = atomic_long_read(&user->pages);

	do {
		if (max && old >= max)
			return false;
	} while (!atomic_long_try_cmpxchg(&user->pages, &old, old + 1));
	return true;
}

/**
 * ivma_user_uncharge() - pages of @user left the store
 * @user: the user
 * @pages: how many
 */
void ivma_user_uncharge(struct ivma_user *user, long pages)
{
	WARN_ON_ONCE(atomic_long_sub_return(pages, &user->pages) < 0);
}

/**
 * ivma_user_walk() - call @fn for each user that has live objects
 * @fn: called under ivma_users_lock (it may sleep; it must take no lock
 *	of ours)
 * @arg: for @fn
 */
void ivma_user_walk(void (*fn)(const struct ivma_user *user, void *arg),
		    void *arg)
{
	struct ivma_user *user;
	unsigned int bkt;

	mutex_lock(&ivma_users_lock);
	hash_for_each(ivma_users, bkt, user, node)
		fn(user, arg);
	mutex_unlock(&ivma_users_lock);
}
