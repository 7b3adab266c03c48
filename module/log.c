// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - the fault log: one ring buffer per reader, many producers.
 * Documentation/log.md is the reference for its records and readers.
 *
 * A reader is an anonymous-inode file opened by IVMA_IOC_LOG_OPEN, for one
 * object or (IVMA_LOG_SYSTEM) for all. Every event of an object is pushed,
 * as a fixed-size struct ivma_record, into the ring of each reader that
 * wants it. Faults on every CPU produce; the reader's read() (or a user
 * that mmap()s the ring) consumes.
 *
 * The ring is one vmalloc area (zeroed): page 0 holds the consumer position
 * (the only page a user may map writable), page 1 the producer position
 * and loss counters (read-only), then 2^n records (read-only):
 *
 *	cons (u64, written by the consumer)
 *	prod (u64, written by producers), lost, lost_seq, ...
 *	records[prod & mask] ...
 *
 * Positions only grow; the ring holds prod - cons records.
 *
 * Protocol and memory ordering:
 *  - Producers serialise on the reader's spinlock. A producer reads cons
 *    with smp_load_acquire(): pairs with the consumer's smp_store_release()
 *    of cons, so the consumer's reads of the slots it gave back are done
 *    before the producer overwrites them.
 *  - A producer writes the record into slot prod & mask, then publishes it
 *    with smp_store_release(&prod, prod + 1). The consumer reads prod with
 *    smp_load_acquire(), so every slot below prod is complete when read.
 *  - A full ring drops the new record: the fault path never waits for a
 *    reader. The drop is counted in lost; the next record pushed first
 *    writes an IVMA_EV_LOST record saying how many were lost (and the
 *    consumer writes it itself when it finds the ring empty), so a reader
 *    always learns of a loss before the record that follows it.
 *  - Every record offered to a reader takes the reader's next sequence
 *    number, delivered or not: a gap in seq is exactly a loss.
 *  - Wake-ups are batched: waking a reader costs more than a fault
 *    (try_to_wake_up, often an IPI), and a reader woken per record takes
 *    one or two records per read(). After publishing, a producer looks
 *    for a sleeper with wq_has_sleeper(), whose full barrier pairs with
 *    the sleeper's set_current_state() (wait_event, poll_wait): either
 *    the producer sees the sleeper, or the sleeper sees the new prod.
 *    Seeing one, it wakes it at once when the ring holds a quarter of its
 *    records (the watermark; a full ring too), and otherwise arms the
 *    reader's timer, which wakes it at the next tick (IVMA_LOG_WAKE_DELAY).
 *    So a sleeping reader learns of any record within a tick, and of a
 *    burst before it overflows, and a fault pays at most a timer_pending()
 *    test for the reader.
 *  - cons in page 0 may be written by user space at any time, to any
 *    value: the producer only compares it, never indexes with it, so a
 *    bogus value can only make the ring look full (records dropped).
 *
 * The reader lists (ivma_log_system and ivma_object.readers) change under
 * ivma_log_lock and are walked by producers under RCU; a reader is freed
 * only after synchronize_rcu().
 */
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/fadvise.h>
#include <linux/file.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "ivma.h"

static_assert(sizeof(struct ivma_record) == 64);

bool ivma_log_enabled = true;
unsigned long ivma_log_default_size = 1 << 20;

static DEFINE_SPINLOCK(ivma_log_lock);
static LIST_HEAD(ivma_log_system);
static LIST_HEAD(ivma_log_all);		/* every reader, for debugfs */

/* a sleeping reader with records below the watermark waits this long */
#define IVMA_LOG_WAKE_DELAY	1	/* jiffies: until the next tick */

/* page 1 of the ring area: written by producers, read-only to users */
struct ivma_ring_prod {
	u64 prod;		/* next slot to write */
	u64 lost;		/* dropped since the last LOST record */
	u64 lost_seq;		/* seq of the first of those */
	u64 lost_total;		/* dropped, ever */
	u64 produced;		/* records offered to this reader, ever */
};

/**
 * struct ivma_reader - one log reader (one IVMA_IOC_LOG_OPEN)
 * @node: in ivma_log_system or the object's readers list (RCU).
 * @all: in ivma_log_all, under ivma_log_lock, until release.
 * @linked: @node is on a list; under ivma_log_lock.
 * @lock: serialises producers (and the consumer's LOST flush).
 * @area: the ring area (__vmalloc, zeroed): cons page, prod page, records.
 * @cons: consumer position, in page 0 of @area.
 * @pp: producer state, in page 1 of @area.
 * @ring: the records.
 * @mask: records - 1.
 * @wakeup: records waiting that wake a sleeping reader at once.
 * @timer: wakes a sleeping reader for fewer records (IVMA_LOG_WAKE_DELAY).
 * @seq: next sequence number; under @lock.
 * @size: ring size in bytes.
 * @read_lock: one read() at a time.
 * @wait: readers waiting for records.
 * @object_id: the object's id; 0 for a system reader.
 * @system: reads every object's events.
 * @gone: the object was destroyed: end of file once the ring is empty.
 * @owner_tgid: the process that opened the reader.
 * @mm: the opener's mm, charged (locked_vm) for the ring's pages.
 * @charged: pages charged to @mm.
 */
struct ivma_reader {
	struct list_head node;
	struct list_head all;
	bool linked;
	spinlock_t lock;	/* producers; the consumer's LOST flush */
	void *area;
	u64 *cons;
	struct ivma_ring_prod *pp;
	struct ivma_record *ring;
	u64 mask;
	u64 wakeup;
	struct timer_list timer;
	u64 seq;
	u64 size;
	struct mutex read_lock;	/* one read() at a time */
	wait_queue_head_t wait;
	u64 object_id;
	bool system;
	bool gone;
	pid_t owner_tgid;
	struct mm_struct *mm;
	unsigned long charged;
};

bool ivma_log_size_valid(u64 size)
{
	return size >= IVMA_LOG_SIZE_MIN && size <= IVMA_LOG_SIZE_MAX &&
	       is_power_of_2(size);
}

/* Write the pending LOST record into the slot at pp->prod; under lock. */
static void ivma_reader_put_lost(struct ivma_reader *r, u64 time_ns)
{
	struct ivma_record *slot = &r->ring[r->pp->prod & r->mask];

	memset(slot, 0, sizeof(*slot));
	slot->seq = r->pp->lost_seq;
	slot->time_ns = time_ns;
	slot->object = r->object_id;
	slot->aux = r->pp->lost;
	slot->kind = IVMA_EV_LOST;
	slot->version = IVMA_RECORD_VERSION;
	r->pp->lost = 0;
}

static void ivma_reader_timer(struct timer_list *t)
{
	struct ivma_reader *r = container_of(t, struct ivma_reader, timer);

	wake_up_interruptible(&r->wait);
}

/*
 * A record is published (or lost) and @used records wait: wake a sleeping
 * reader now, or at the next tick (see "Wake-ups" above).
 */
static void ivma_reader_wake(struct ivma_reader *r, u64 used)
{
	if (!wq_has_sleeper(&r->wait))
		return;
	if (used >= r->wakeup)
		wake_up_interruptible(&r->wait);
	else if (!timer_pending(&r->timer))
		mod_timer(&r->timer, jiffies + IVMA_LOG_WAKE_DELAY);
}

/* Push one record into @r's ring, or count it lost. Never sleeps. */
static void ivma_reader_push(struct ivma_reader *r,
			     const struct ivma_record *rec)
{
	u64 prod, cons, need;
	struct ivma_record *slot;

	spin_lock(&r->lock);
	prod = r->pp->prod;
	/* pairs with smp_store_release() of *cons by the consumer */
	cons = smp_load_acquire(r->cons);
	need = r->pp->lost ? 2 : 1;
	r->pp->produced++;

	if (prod - cons > r->mask + 1 - need) {
		if (!r->pp->lost)
			r->pp->lost_seq = r->seq;
		r->pp->lost++;
		r->pp->lost_total++;
		r->seq++;
		spin_unlock(&r->lock);
		ivma_reader_wake(r, r->mask + 1);
		return;
	}

	if (r->pp->lost) {
		/* the LOST record, published with the next by the release */
		ivma_reader_put_lost(r, rec->time_ns);
		prod++;
	}
	slot = &r->ring[prod & r->mask];
	*slot = *rec;
	slot->seq = r->seq++;
	/* pairs with smp_load_acquire() of prod by the consumer */
	smp_store_release(&r->pp->prod, prod + 1);
	spin_unlock(&r->lock);

	ivma_reader_wake(r, prod + 1 - cons);
}

/**
 * ivma_log_wanted() - has @obj, or the whole system, a log reader now?
 * @obj: the object
 *
 * Lockless: a reader being opened or closed right now may or may not be
 * seen; one whose IVMA_IOC_LOG_OPEN has returned is.
 *
 * Return: true when the log is on and a reader would take @obj's records.
 */
bool ivma_log_wanted(struct ivma_object *obj)
{
	return READ_ONCE(ivma_log_enabled) &&
	       (!list_empty(&obj->readers) || !list_empty(&ivma_log_system));
}

/**
 * ivma_log_push() - give @rec to every reader of @obj and every system reader
 * @obj: the object the event belongs to
 * @rec: the record (seq is filled in per reader)
 *
 * Called from the fault path: never sleeps, never waits for a reader.
 */
void ivma_log_push(struct ivma_object *obj, const struct ivma_record *rec)
{
	struct ivma_reader *r;

	if (!READ_ONCE(ivma_log_enabled))
		return;

	rcu_read_lock();
	list_for_each_entry_rcu(r, &obj->readers, node)
		ivma_reader_push(r, rec);
	list_for_each_entry_rcu(r, &ivma_log_system, node)
		ivma_reader_push(r, rec);
	rcu_read_unlock();
}

/**
 * ivma_log_detach() - an object is going away: end its readers' streams
 * @obj: the object, after its last event (IVMA_EV_OBJ_DESTROY)
 *
 * Its readers keep the records they hold and then read end of file.
 */
void ivma_log_detach(struct ivma_object *obj)
{
	struct ivma_reader *r, *tmp;

	spin_lock(&ivma_log_lock);
	list_for_each_entry_safe(r, tmp, &obj->readers, node) {
		list_del_rcu(&r->node);
		r->linked = false;
		WRITE_ONCE(r->gone, true);
		wake_up_interruptible(&r->wait);
	}
	spin_unlock(&ivma_log_lock);
	/*
	 * No synchronize_rcu() needed: only events of @obj walk its list, and
	 * it has none left. Each reader is freed after its own grace period.
	 */
}

/* Records waiting, and whether a loss is waiting to be reported. */
static bool ivma_reader_ready(struct ivma_reader *r)
{
	/* pairs with smp_store_release() of prod by producers */
	return smp_load_acquire(&r->pp->prod) != READ_ONCE(*r->cons) ||
	       READ_ONCE(r->pp->lost) || READ_ONCE(r->gone);
}

/* The ring is empty: report a pending loss now. Returns true if it did. */
static bool ivma_reader_flush_lost(struct ivma_reader *r)
{
	bool done = false;

	spin_lock(&r->lock);
	if (r->pp->lost && r->pp->prod == READ_ONCE(*r->cons)) {
		ivma_reader_put_lost(r, ktime_get_ns());
		/* publishes the LOST record, as a producer would */
		smp_store_release(&r->pp->prod, r->pp->prod + 1);
		done = true;
	}
	spin_unlock(&r->lock);
	return done;
}

static ssize_t ivma_reader_read(struct file *filp, char __user *buf,
				size_t count, loff_t *ppos)
{
	struct ivma_reader *r = filp->private_data;
	const size_t rsz = sizeof(struct ivma_record);
	u64 prod, cons, n, i, done = 0;
	ssize_t ret;

	if (count < rsz)
		return -EINVAL;
	if (mutex_lock_interruptible(&r->read_lock))
		return -ERESTARTSYS;

	for (;;) {
		/* pairs with smp_store_release() of prod by producers */
		prod = smp_load_acquire(&r->pp->prod);
		cons = READ_ONCE(*r->cons);
		if (prod != cons)
			break;
		if (ivma_reader_flush_lost(r))
			continue;
		if (READ_ONCE(r->gone)) {
			ret = 0;
			goto out;
		}
		if (filp->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		ret = wait_event_interruptible(r->wait, ivma_reader_ready(r));
		if (ret)
			goto out;
	}

	/* a user who mmap()ed page 0 may have moved cons anywhere */
	n = prod - cons;
	if (n > r->mask + 1) {
		ret = -EIO;
		goto out;
	}
	n = min_t(u64, n, count / rsz);
	for (i = 0; i < n; i++, done++) {
		if (copy_to_user(buf + i * rsz, &r->ring[(cons + i) & r->mask],
				 rsz))
			break;
	}
	if (!done) {
		ret = -EFAULT;
		goto out;
	}
	/* pairs with smp_load_acquire() of cons by producers */
	smp_store_release(r->cons, cons + done);
	ret = done * rsz;
out:
	mutex_unlock(&r->read_lock);
	return ret;
}

static __poll_t ivma_reader_poll(struct file *filp, poll_table *pt)
{
	struct ivma_reader *r = filp->private_data;
	__poll_t mask = 0;

	poll_wait(filp, &r->wait, pt);
	/*
	 * Queued on r->wait before looking at prod: pairs with the barrier
	 * in the producer's wq_has_sleeper() (as sock_poll_wait() does).
	 */
	smp_mb();
	/* pairs with smp_store_release() of prod by producers */
	if (smp_load_acquire(&r->pp->prod) != READ_ONCE(*r->cons) ||
	    READ_ONCE(r->pp->lost))
		mask |= EPOLLIN | EPOLLRDNORM;
	else if (READ_ONCE(r->gone))
		mask |= EPOLLHUP;
	return mask;
}

static long ivma_reader_ioctl(struct file *filp, unsigned int cmd,
			      unsigned long arg)
{
	struct ivma_reader *r = filp->private_data;
	struct ivma_log_stats st = { };

	if (cmd != IVMA_IOC_LOG_STATS)
		return -ENOTTY;

	spin_lock(&r->lock);
	st.size = r->size;
	st.used = r->pp->prod - READ_ONCE(*r->cons);
	st.produced = r->pp->produced;
	st.lost = r->pp->lost_total;
	spin_unlock(&r->lock);
	/* consumed records, LOST markers included */
	st.delivered = READ_ONCE(*r->cons);
	if (copy_to_user((void __user *)arg, &st, sizeof(st)))
		return -EFAULT;
	return 0;
}

/*
 * The ring is allocated with __vmalloc(__GFP_NOWARN), not vmalloc_user():
 * a reader's open that fails for want of memory gets ENOMEM without the
 * warn_alloc() stack dump. Such an area is not VM_USERMAP, which
 * remap_vmalloc_range() requires (and find_vm_area() is not exported to
 * mark it), so its pages are inserted here, as remap_vmalloc_range() does.
 */
static int ivma_reader_map_pages(struct vm_area_struct *vma, void *kaddr,
				 unsigned long pages)
{
	unsigned long uaddr = vma->vm_start, i;
	int ret;

	for (i = 0; i < pages; i++) {
		ret = vm_insert_page(vma, uaddr, vmalloc_to_page(kaddr));
		if (ret)
			return ret;
		uaddr += PAGE_SIZE;
		kaddr += PAGE_SIZE;
	}
	ivma_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	return 0;
}

/*
 * A ring page whose PTE is gone (madvise(MADV_DONTNEED) zapped it): the same
 * page again. Without vm_ops the core would take the VMA for anonymous
 * memory and fill it with a zeroed page of the process's own (or SIGBUS a
 * shared mapping), so the reader would lose sight of the ring.
 */
static vm_fault_t ivma_reader_fault(struct vm_fault *vmf)
{
	struct ivma_reader *r = vmf->vma->vm_file->private_data;
	struct page *page;

	if (vmf->pgoff >= 2 + (r->size >> PAGE_SHIFT))
		return VM_FAULT_SIGBUS;
	page = vmalloc_to_page(r->area + (vmf->pgoff << PAGE_SHIFT));
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct ivma_reader_vm_ops = {
	.fault		= ivma_reader_fault,
};

/*
 * mmap of the ring: offset 0, one page: the consumer position, writable;
 * from offset PAGE_SIZE: producer page and records, read-only.
 */
static int ivma_reader_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct ivma_reader *r = filp->private_data;
	unsigned long pages = vma_pages(vma);
	unsigned long total = 2 + (r->size >> PAGE_SHIFT);

	if (vma->vm_pgoff >= total || pages > total - vma->vm_pgoff)
		return -EINVAL;
	if (vma->vm_pgoff != 0 || pages != 1) {
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
		ivma_vm_flags_clear(vma, VM_MAYWRITE);
	}
	vma->vm_ops = &ivma_reader_vm_ops;
	return ivma_reader_map_pages(vma, r->area +
				     (vma->vm_pgoff << PAGE_SHIFT), pages);
}

/*
 * The ring is kernel memory that user space can pin at will, like a perf
 * or io_uring ring: it is charged to the opener's locked_vm and bounded by
 * RLIMIT_MEMLOCK (CAP_IPC_LOCK lifts the limit).
 */
static int ivma_reader_charge(struct ivma_reader *r, unsigned long pages)
{
	int ret;

	if (!current->mm)
		return 0;
	ret = account_locked_vm(current->mm, pages, true);
	if (ret)
		return ret;
	mmgrab(current->mm);
	r->mm = current->mm;
	r->charged = pages;
	return 0;
}

static void ivma_reader_uncharge(struct ivma_reader *r)
{
	if (!r->mm)
		return;
	account_locked_vm(r->mm, r->charged, false);
	mmdrop(r->mm);
	r->mm = NULL;
}

static int ivma_reader_release(struct inode *inode, struct file *filp)
{
	struct ivma_reader *r = filp->private_data;

	spin_lock(&ivma_log_lock);
	if (r->linked) {
		list_del_rcu(&r->node);
		r->linked = false;
	}
	list_del(&r->all);
	spin_unlock(&ivma_log_lock);
	synchronize_rcu();	/* no producer holds @r now, nor arms its timer */
	timer_delete_sync(&r->timer);

	ivma_reader_uncharge(r);
	vfree(r->area);
	kfree(r);
	return 0;
}

/**
 * ivma_fadvise() - posix_fadvise(2) of an object or a log reader
 *
 * Here, a leaf, so that main.c (objects) and this file (readers) share it.
 * @filp: the file
 * @offset: start of the range (any value)
 * @len: its length, 0 for "to the end"
 * @advice: POSIX_FADV_*
 *
 * Also reached by madvise(MADV_WILLNEED) on a mapping of the file, with
 * mmap_lock dropped. Without it the kernel's generic_fadvise() would act on
 * the file's f_mapping according to the backing device of the filesystem
 * that holds the device node: nothing on devtmpfs or tmpfs, readahead on a
 * disk filesystem or 9p. Every advice is accepted and ignored here, as the
 * kernel ignores it for a file without a backing device, wherever the node
 * lives: an object's pages come in only through faults, which is what ivma
 * observes (WILLNEED reading ahead would hide them), and they go out only
 * through its write-back and eviction (DONTNEED has no page cache to drop).
 * The errors are generic_fadvise()'s.
 *
 * Return: 0, or -EINVAL for a negative @len or an unknown @advice.
 */
int ivma_fadvise(struct file *filp, loff_t offset, loff_t len, int advice)
{
	if (len < 0)
		return -EINVAL;
	switch (advice) {
	case POSIX_FADV_NORMAL:
	case POSIX_FADV_RANDOM:
	case POSIX_FADV_SEQUENTIAL:
	case POSIX_FADV_WILLNEED:
	case POSIX_FADV_NOREUSE:
	case POSIX_FADV_DONTNEED:
		return 0;
	default:
		return -EINVAL;
	}
}

static const struct file_operations ivma_reader_fops = {
	.owner		= THIS_MODULE,
	.read		= ivma_reader_read,
	.poll		= ivma_reader_poll,
	.unlocked_ioctl	= ivma_reader_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= ivma_reader_mmap,
	.fadvise	= ivma_fadvise,
	.release	= ivma_reader_release,
	.llseek		= noop_llseek,
};

/**
 * ivma_log_show() - the debugfs "log" table: one row per reader
 * @m: the seq_file
 *
 * Columns: reader owner, object id (0 = system-wide), size in bytes,
 * records waiting, produced, delivered (consumed, LOST records included),
 * lost, and whether the object is gone.
 */
void ivma_log_show(struct seq_file *m)
{
	struct ivma_reader *r;

	seq_puts(m, "pid object size used produced delivered lost state\n");
	spin_lock(&ivma_log_lock);
	list_for_each_entry(r, &ivma_log_all, all) {
		u64 prod, cons;

		spin_lock(&r->lock);
		prod = r->pp->prod;
		cons = READ_ONCE(*r->cons);
		seq_printf(m, "%d %llu %llu %llu %llu %llu %llu %s\n",
			   r->owner_tgid, r->object_id, r->size, prod - cons,
			   r->pp->produced, cons, r->pp->lost_total,
			   r->system ? "system" :
			   READ_ONCE(r->gone) ? "gone" : "live");
		spin_unlock(&r->lock);
	}
	spin_unlock(&ivma_log_lock);
}

/**
 * ivma_log_open() - open a log reader (IVMA_IOC_LOG_OPEN)
 * @obj: the object of the fd the ioctl was made on
 * @req: the request, reserved fields already checked
 *
 * Return: the new fd, or -EINVAL (bad flags or size), -EPERM (a system
 * reader without CAP_PERFMON or CAP_SYS_ADMIN), -ENOMEM (no memory, or
 * the ring would pass the opener's RLIMIT_MEMLOCK), -EMFILE.
 */
int ivma_log_open(struct ivma_object *obj, const struct ivma_log_open *req)
{
	struct ivma_reader *r;
	struct file *file;
	u64 size = req->size;
	int fd, flags = O_RDWR | O_CLOEXEC;	/* RDWR: page 0 is mapped writable */

	if (req->flags & ~IVMA_LOG_FLAGS_ALL)
		return -EINVAL;
	if (!size)
		size = READ_ONCE(ivma_log_default_size);
	if (!ivma_log_size_valid(size))
		return -EINVAL;
	if ((req->flags & IVMA_LOG_SYSTEM) && !perfmon_capable())
		return -EPERM;
	if (req->flags & IVMA_LOG_NONBLOCK)
		flags |= O_NONBLOCK;

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	fd = ivma_reader_charge(r, 2 + (size >> PAGE_SHIFT));
	if (fd) {
		kfree(r);
		return fd;
	}
	/*
	 * Charged to the opener's memory cgroup, like the pages it pins; a
	 * ring past the cgroup's limit (or the memory left) is ENOMEM for the
	 * opener, not an OOM kill of whoever is there (__GFP_RETRY_MAYFAIL).
	 */
	r->area = __vmalloc(2 * PAGE_SIZE + size,
			    GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN |
			    __GFP_RETRY_MAYFAIL);
	if (!r->area) {
		ivma_reader_uncharge(r);
		kfree(r);
		return -ENOMEM;
	}
	r->cons = r->area;
	r->pp = r->area + PAGE_SIZE;
	r->ring = r->area + 2 * PAGE_SIZE;
	r->size = size;
	r->mask = size / sizeof(struct ivma_record) - 1;
	r->wakeup = (r->mask + 1) / 4;
	timer_setup(&r->timer, ivma_reader_timer, 0);
	spin_lock_init(&r->lock);
	mutex_init(&r->read_lock);
	init_waitqueue_head(&r->wait);
	r->system = req->flags & IVMA_LOG_SYSTEM;
	r->owner_tgid = task_tgid_nr(current);
	r->object_id = r->system ? 0 : obj->id;

	fd = get_unused_fd_flags(flags);
	if (fd < 0)
		goto err;
	file = anon_inode_getfile("[ivma-log]", &ivma_reader_fops, r, flags);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		fd = PTR_ERR(file);
		goto err;
	}

	spin_lock(&ivma_log_lock);
	list_add_tail_rcu(&r->node, r->system ? &ivma_log_system :
			  &obj->readers);
	list_add_tail(&r->all, &ivma_log_all);
	r->linked = true;
	spin_unlock(&ivma_log_lock);

	fd_install(fd, file);
	return fd;
err:
	ivma_reader_uncharge(r);
	vfree(r->area);
	kfree(r);
	return fd;
}
