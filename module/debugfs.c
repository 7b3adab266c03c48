// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - debugfs: /sys/kernel/debug/ivma/, root only. The log knobs, the
 * fault-injection knobs (inject.c), and the tables objects, users, stats,
 * log and obj/<id>/{pages,vmas}: a header line, then one row per line, columns
 * separated by one space, words that may hold spaces escaped (see
 * ivma_seq_word()). A reader of the module's state only: pages through
 * the store's iterator, objects through ivma_object_query().
 * Documentation/debugfs.md has every file and column.
 *
 * Lifetimes (debugfs.md, "Objects coming and going"). The objects table
 * finds objects on ivma_dev.objects under ivma_dev.lock and takes a
 * reference with refcount_inc_not_zero() (zero: being destroyed, skipped);
 * it drops it with no lock held, since that may be the last one and
 * destroy the object here. The files of obj/<id>/ take no reference:
 * they are made by debugfs_create_file() (not _unsafe), so their open,
 * read and llseek run between debugfs_file_get() and _put(), and the
 * debugfs_remove() of the directory in ivma_release(), before the file's
 * reference goes, waits for them and makes later ones fail (open: ENOENT,
 * read: EIO). Until it returns the object is whole, so they use
 * inode->i_private as it is. Their release (seq_release*) never touches
 * the object: debugfs calls it unprotected, maybe after the object is gone.
 */
#include <linux/debugfs.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string_helpers.h>
#include <linux/user_namespace.h>

#include "compat.h"
#include "ivma.h"

static struct dentry *ivma_debugfs_root;
/* obj/: the directories of the objects */
static struct dentry *ivma_debugfs_obj;

/* Event kinds by the names the tables give them (as ev_<name>). */
#define IVMA_DEBUGFS_KIND(name, str, desc) \
	[IVMA_EV_##name] = str,
static const char * const ivma_debugfs_kinds[IVMA_EV_MAX] = {
	IVMA_EVENT_KINDS(IVMA_DEBUGFS_KIND)
};

/* the kinds that are columns of objects: how faults were answered */
static const enum ivma_event_kind ivma_debugfs_fault_kinds[] = {
	IVMA_EV_ZERO_FILL, IVMA_EV_FILE_READ, IVMA_EV_ZERO_PAD,
	IVMA_EV_SWAP_IN, IVMA_EV_RESIDENT, IVMA_EV_COW, IVMA_EV_DIRTY,
	IVMA_EV_WRITEBACK,
};

static const char * const ivma_debugfs_policies[IVMA_POLICY_NR] = {
	[IVMA_POLICY_FIFO]	= "fifo",
	[IVMA_POLICY_CLOCK]	= "clock",
	[IVMA_POLICY_LRU]	= "lru",
};

/*
 * One column value that may hold any byte: everything but printable ASCII,
 * and space and backslash too, as \ooo (three octal digits), so that the
 * value is one word; an empty string is "-".
 */
static void ivma_seq_word(struct seq_file *m, const char *s)
{
	if (!*s) {
		seq_putc(m, '-');
		return;
	}
	seq_escape_mem(m, s, strlen(s),
		       ESCAPE_OCTAL | ESCAPE_NAP | ESCAPE_APPEND, " \\");
}

/* The path of @file as one word ("?" when it cannot be had). */
static void ivma_seq_file_path(struct seq_file *m, struct file *file)
{
	char *buf = __getname();
	char *path;

	if (!buf) {
		seq_putc(m, '?');
		return;
	}
	path = file_path(file, buf, PATH_MAX);
	if (IS_ERR(path))
		seq_putc(m, '?');
	else
		ivma_seq_word(m, path);
	__putname(buf);
}

/*
 * The first live object after @pos on ivma_dev.objects (after the head
 * when @pos is NULL), with a reference; NULL at the end. @pos, if any, is
 * one the caller holds a reference to, so it is still on the list.
 */
static struct ivma_object *ivma_debugfs_next_object(struct ivma_object *pos)
{
	struct ivma_object *obj = pos;

	mutex_lock(&ivma_dev.lock);
	obj = list_prepare_entry(obj, &ivma_dev.objects, node);
	list_for_each_entry_continue(obj, &ivma_dev.objects, node) {
		/* zero: being destroyed; it leaves the list under our lock */
		if (refcount_inc_not_zero(&obj->ref)) {
			mutex_unlock(&ivma_dev.lock);
			return obj;
		}
	}
	mutex_unlock(&ivma_dev.lock);
	return NULL;
}

static void ivma_objects_row(struct seq_file *m, struct ivma_object *obj)
{
	struct ivma_info info;
	const char *kind, *policy;
	unsigned int i;

	/* the same snapshot IVMA_IOC_QUERY gives */
	ivma_object_query(obj, &info);
	if (!(info.state & IVMA_STATE_CONFIGURED))
		kind = "none";
	else if (info.flags & IVMA_CONFIG_FILE)
		kind = "file";
	else
		kind = "anon";

	seq_printf(m, "%llu %d ", info.id, obj->owner_tgid);
	ivma_seq_word(m, obj->owner_comm);
	seq_printf(m, " %u", from_kuid_munged(&init_user_ns, obj->user->uid));
	seq_printf(m, " %s %llu %llu %llu %llu %llu %llu %u %llu", kind,
		   info.file_offset, info.section_len, info.size,
		   info.resident, info.dirty, info.swapped, info.vmas,
		   info.faults);
	for (i = 0; i < ARRAY_SIZE(ivma_debugfs_fault_kinds); i++)
		seq_printf(m, " %llu",
			   info.events[ivma_debugfs_fault_kinds[i]]);
	/* no budget: nothing is ever replaced, whatever the policy */
	if (!info.frames)
		policy = "none";
	else if (info.policy < IVMA_POLICY_NR)
		policy = ivma_debugfs_policies[info.policy];
	else
		policy = "?";
	seq_printf(m, " %llu %s ", info.frames, policy);
	/*
	 * The query saw the object configured with a file under obj->lock,
	 * after configure set obj->backing under it; it stays until the
	 * object is destroyed, which our reference prevents.
	 */
	if (info.flags & IVMA_CONFIG_FILE)
		ivma_seq_file_path(m, obj->backing);
	else
		seq_putc(m, '-');
	seq_putc(m, '\n');
}

static int ivma_objects_show(struct seq_file *m, void *unused)
{
	struct ivma_object *obj, *next;
	unsigned int i;

	seq_puts(m, "id pid comm uid kind offset length size");
	seq_puts(m, " resident dirty swapped vmas faults");
	for (i = 0; i < ARRAY_SIZE(ivma_debugfs_fault_kinds); i++)
		seq_printf(m, " ev_%s",
			   ivma_debugfs_kinds[ivma_debugfs_fault_kinds[i]]);
	seq_puts(m, " frames policy path\n");

	for (obj = ivma_debugfs_next_object(NULL); obj; obj = next) {
		ivma_objects_row(m, obj);
		next = ivma_debugfs_next_object(obj);
		/* unlocked: it may be the last reference */
		ivma_object_put(obj);
	}
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(ivma_objects);

/* the limits of every user now, for ivma_users_row() */
struct ivma_users_limits {
	struct seq_file *m;
	unsigned long max_pages;
	unsigned long max_slots;
};

static void ivma_users_row(const struct ivma_user *user, void *arg)
{
	const struct ivma_users_limits *l = arg;

	seq_printf(l->m, "%u %u %d %ld %lu %lu %lu %lld %lld\n",
		   from_kuid_munged(&init_user_ns, user->uid),
		   refcount_read(&user->objects),
		   atomic_read(&user->unlimited),
		   atomic_long_read(&user->pages), l->max_pages,
		   READ_ONCE(user->slots), l->max_slots,
		   (s64)atomic64_read(&user->cap_hits),
		   (s64)atomic64_read(&user->quota_hits));
}

static int ivma_users_show(struct seq_file *m, void *unused)
{
	struct ivma_users_limits l = {
		.m = m,
		.max_pages = ivma_user_max_pages(),
		.max_slots = ivma_swap_quota(),
	};

	seq_puts(m, "uid objects unlimited pages max_pages slots max_slots");
	seq_printf(m, " ev_%s ev_%s\n", ivma_debugfs_kinds[IVMA_EV_USER_CAP],
		   ivma_debugfs_kinds[IVMA_EV_SWAP_QUOTA]);
	ivma_user_walk(ivma_users_row, &l);
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(ivma_users);

static int ivma_stats_show(struct seq_file *m, void *unused)
{
	unsigned int i;
	s64 n;

	seq_puts(m, "name value\n");
	seq_printf(m, "objects_live %ld\n",
		   atomic_long_read(&ivma_dev.nr_objects));
	/* ids are handed out from 1 on: the last one is how many there were */
	seq_printf(m, "objects_ever %llu\n",
		   (u64)atomic64_read(&ivma_dev.next_id));
	seq_printf(m, "pages %ld\n", atomic_long_read(&ivma_dev.nr_pages));
	/* every kind the module emits, in enum order (LOST is the log's own) */
	for (i = 0; i < ARRAY_SIZE(ivma_debugfs_kinds); i++) {
		if (!ivma_debugfs_kinds[i] || i == IVMA_EV_LOST)
			continue;
		n = atomic64_read(&ivma_dev.events[i]);
		seq_printf(m, "ev_%s %llu\n", ivma_debugfs_kinds[i], (u64)n);
	}
	seq_printf(m, "bytes_read %llu\n",
		   (u64)atomic64_read(&ivma_dev.bytes_read));
	seq_printf(m, "bytes_written %llu\n",
		   (u64)atomic64_read(&ivma_dev.bytes_written));
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(ivma_stats);

static int ivma_log_table_show(struct seq_file *m, void *unused)
{
	ivma_log_show(m);
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(ivma_log_table);

/*
 * obj/<id>/pages, streamed: position 0 is the header, position n + 1 the
 * first store entry at an index >= n, so a read that stops at a full
 * buffer goes on at the right page even if the store changed meanwhile.
 */
struct ivma_pages_iter {
	struct ivma_object *obj;
	struct ivma_store_iter it;
};

static void *ivma_pages_find(struct ivma_pages_iter *pi, loff_t *pos)
{
	pi->it.index = *pos - 1;
	if (!ivma_store_next(pi->obj, &pi->it, ULONG_MAX, 0))
		return NULL;
	*pos = (loff_t)pi->it.index + 1;
	return pi;
}

static void *ivma_pages_start(struct seq_file *m, loff_t *pos)
{
	if (!*pos)
		return SEQ_START_TOKEN;
	return ivma_pages_find(m->private, pos);
}

static void *ivma_pages_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct ivma_pages_iter *pi = m->private;

	*pos = v == SEQ_START_TOKEN ? 1 : (loff_t)pi->it.index + 2;
	return ivma_pages_find(pi, pos);
}

static void ivma_pages_stop(struct seq_file *m, void *v)
{
}

static int ivma_pages_show(struct seq_file *m, void *v)
{
	struct ivma_pages_iter *pi = v;
	const struct ivma_store_iter *it = &pi->it;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "pgoff state mapcount\n");
		return 0;
	}
	seq_printf(m, "%lu %s %d\n", it->index,
		   !it->page ? "swapped" : it->dirty ? "dirty" : "clean",
		   it->mapcount);
	return 0;
}

static const struct seq_operations ivma_pages_sops = {
	.start	= ivma_pages_start,
	.next	= ivma_pages_next,
	.stop	= ivma_pages_stop,
	.show	= ivma_pages_show,
};

static int ivma_pages_open(struct inode *inode, struct file *file)
{
	struct ivma_pages_iter *pi;

	pi = __seq_open_private(file, &ivma_pages_sops, sizeof(*pi));
	if (!pi)
		return -ENOMEM;
	pi->obj = inode->i_private;
	return 0;
}

static const struct file_operations ivma_pages_fops = {
	.owner		= THIS_MODULE,
	.open		= ivma_pages_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= seq_release_private,
};

/*
 * The process of @mm: the thread group of mm->owner (CONFIG_MEMCG), an
 * RCU-protected task pointer; -1 when unknown (no owner any more, or no
 * CONFIG_MEMCG). The caller keeps @mm alive: its VMA is in i_mmap.
 */
static pid_t ivma_mm_pid(struct mm_struct *mm)
{
	pid_t pid = -1;
#ifdef CONFIG_MEMCG
	struct task_struct *task;

	rcu_read_lock();
	task = rcu_dereference(mm->owner);
	if (task)
		pid = task_tgid_nr(task);
	rcu_read_unlock();
#endif
	return pid;
}

static int ivma_vmas_show(struct seq_file *m, void *unused)
{
	struct ivma_object *obj = m->private;
	struct vm_area_struct *vma;
	struct rb_node *node;

	seq_puts(m, "pid start-end flags prot pgoff\n");
	/*
	 * i_mmap_rwsem keeps every VMA of the tree, and their start, end and
	 * pgoff (splits and moves change them under its write side). vm_flags
	 * changes under mmap_lock only (mprotect of a whole VMA): read once.
	 *
	 * The whole tree is wanted, in order: an in-order walk of the
	 * interval tree's rbtree (vma->shared.rb, ordered by first pgoff),
	 * because vma_interval_tree_iter_*() are not exported to modules.
	 */
	i_mmap_lock_read(&obj->mapping);
	for (node = rb_first_cached(&obj->mapping.i_mmap); node;
	     node = rb_next(node)) {
		unsigned long flags;

		vma = rb_entry(node, struct vm_area_struct, shared.rb);
		flags = READ_ONCE(vma->vm_flags);

		seq_printf(m, "%d %lx-%lx %s %c%c%c %lu\n",
			   ivma_mm_pid(vma->vm_mm), vma->vm_start, vma->vm_end,
			   flags & VM_MAYSHARE ? "shared" : "private",
			   flags & VM_READ ? 'r' : '-',
			   flags & VM_WRITE ? 'w' : '-',
			   flags & VM_EXEC ? 'x' : '-', vma->vm_pgoff);
	}
	i_mmap_unlock_read(&obj->mapping);
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(ivma_vmas);

static int ivma_log_size_get(void *data, u64 *val)
{
	*val = READ_ONCE(ivma_log_default_size);
	return 0;
}

static int ivma_log_size_set(void *data, u64 val)
{
	if (!ivma_log_size_valid(val))
		return -EINVAL;
	WRITE_ONCE(ivma_log_default_size, val);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(ivma_log_size_fops, ivma_log_size_get,
			 ivma_log_size_set, "%llu\n");

/**
 * ivma_debugfs_init() - create /sys/kernel/debug/ivma
 *
 * A kernel without debugfs is not an error: the module works without it.
 *
 * Return: 0.
 */
int ivma_debugfs_init(void)
{
	struct dentry *dir;

	dir = debugfs_create_dir("ivma", NULL);
	if (IS_ERR(dir))
		return 0;
	ivma_debugfs_root = dir;

	ivma_inject_debugfs(dir);
	debugfs_create_bool("log_enabled", 0600, dir, &ivma_log_enabled);
	debugfs_create_file_unsafe("log_default_size", 0600, dir, NULL,
				   &ivma_log_size_fops);

	debugfs_create_file("objects", 0400, dir, NULL, &ivma_objects_fops);
	debugfs_create_file("users", 0400, dir, NULL, &ivma_users_fops);
	debugfs_create_file("stats", 0400, dir, NULL, &ivma_stats_fops);
	debugfs_create_file("log", 0400, dir, NULL, &ivma_log_table_fops);
	ivma_debugfs_obj = debugfs_create_dir("obj", dir);
	return 0;
}

/**
 * ivma_debugfs_object_add() - the object's directory obj/<id>/
 * @obj: a new object, not yet visible to user space
 *
 * Without debugfs, or when the directory cannot be made, the object has
 * none.
 */
void ivma_debugfs_object_add(struct ivma_object *obj)
{
	struct dentry *dir;
	char name[24];

	obj->debugfs = NULL;
	if (IS_ERR_OR_NULL(ivma_debugfs_obj))
		return;
	snprintf(name, sizeof(name), "%llu", obj->id);
	dir = debugfs_create_dir(name, ivma_debugfs_obj);
	if (IS_ERR(dir))
		return;
	/* the lifetime argument is at the top of this file */
	debugfs_create_file("pages", 0400, dir, obj, &ivma_pages_fops);
	debugfs_create_file("vmas", 0400, dir, obj, &ivma_vmas_fops);
	obj->debugfs = dir;
}

/**
 * ivma_debugfs_object_remove() - remove the object's directory
 * @obj: an object being destroyed
 *
 * Waits for running calls into its files to finish; later ones fail.
 * Called by ivma_release() before it drops the file's reference, so
 * before anything of the object is torn down, with no lock held.
 */
void ivma_debugfs_object_remove(struct ivma_object *obj)
{
	debugfs_remove(obj->debugfs);
	obj->debugfs = NULL;
}

/**
 * ivma_debugfs_exit() - remove /sys/kernel/debug/ivma and all below it
 */
void ivma_debugfs_exit(void)
{
	debugfs_remove(ivma_debugfs_root);
	ivma_debugfs_root = NULL;
	ivma_debugfs_obj = NULL;
}
