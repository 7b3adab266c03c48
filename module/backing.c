// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - I/O on the backing file of a file-backed object.
 *
 * The object never hands out the backing file's page-cache pages: its VMAs
 * are not in that file's rmap, so truncation and write-back of the file
 * would never see them. Instead a page is copied in from the file on first
 * touch (ivma_backing_read) and copied out when it is written back
 * (ivma_backing_write), through the file's own read and write paths.
 * Documentation/object-model.md (section 3) says why.
 */
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pagemap.h>

#include "ivma.h"

/**
 * ivma_backing_open() - the object's own open file of the fd in @cfg
 * @cfg: a configuration with IVMA_CONFIG_FILE
 *
 * The object does not share the caller's open file description: flags the
 * caller sets on it later (O_APPEND, O_DIRECT, O_NONBLOCK) must not change
 * how pages are read and written back. It opens the same path again with
 * the same access mode and the original opener's credentials, which grants
 * nothing the fd did not already give (do_dentry_open() checks no
 * permission, and clearing O_APPEND is what fcntl() allows anyway;
 * append-only inodes are refused for writing).
 *
 * Return: the new file, or ERR_PTR: -EBADF (no such fd, or O_PATH),
 * -EINVAL (not a regular file the kernel can read with kernel_read()),
 * -EACCES (not open for reading), -EPERM (open for writing, and the inode
 * is immutable or append-only).
 */
struct file *ivma_backing_open(const struct ivma_config *cfg)
{
	struct file *file, *own;

	file = fget(cfg->fd);
	if (!file)
		return ERR_PTR(-EBADF);

	if (!S_ISREG(file_inode(file)->i_mode))
		own = ERR_PTR(-EINVAL);
	else if (!(file->f_mode & FMODE_READ))
		own = ERR_PTR(-EACCES);
	/* kernel_read() needs ->read_iter (and no ->read beside it) */
	else if (!file->f_op->read_iter || file->f_op->read)
		own = ERR_PTR(-EINVAL);
	/*
	 * Open for writing, the object writes pages back in place: refuse
	 * an inode that forbids that now, rather than fail every write-back
	 * later (an fd opened before chattr +i or +a, or O_APPEND).
	 */
	else if ((file->f_mode & FMODE_WRITE) &&
		 (IS_IMMUTABLE(file_inode(file)) || IS_APPEND(file_inode(file))))
		own = ERR_PTR(-EPERM);
	else
		own = dentry_open(&file->f_path,
				  (file->f_flags & O_ACCMODE) | O_LARGEFILE,
				  file->f_cred);
	fput(file);
	return own;
}

/**
 * ivma_backing_exec_check() - may the object's pages be mapped PROT_EXEC?
 * @file: the object's own open file of the backing file
 *
 * For an mmap(PROT_EXEC) of a file the kernel asks security_mmap_file()
 * (the LSMs, and IMA, which may take the file's i_rwsem to measure or
 * appraise it) before it takes mmap_lock, and refuses a file on a noexec
 * mount (path_noexec()) in do_mmap(). The object's mmap() runs under
 * mmap_lock, on /dev/ivma, and security_mmap_file() is not exported to
 * modules: so the question is asked here, once, at configure, with no lock
 * held, by the caller, through the one exported path that makes exactly
 * those checks: a probe mapping of the file's first page, PROT_READ |
 * PROT_EXEC and MAP_PRIVATE, in the caller's address space, unmapped at
 * once. It is a mapping the caller could have made itself, and nothing
 * reads it; a profiler may see its mmap event.
 *
 * Return: 0 when the kernel would let the caller map the file PROT_EXEC;
 * else the mapping's errno, which mmap() of the object gives for PROT_EXEC:
 * -EPERM (noexec mount), -EACCES (refused by an LSM or IMA), -ENODEV (the
 * file cannot be mapped at all), or any other reason it could not be made
 * (-ENOMEM: no room left in the address space).
 */
int ivma_backing_exec_check(struct file *file)
{
	unsigned long addr;

	if (!current->mm)
		return -EPERM;
	addr = vm_mmap(file, 0, PAGE_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE,
		       0);
	if (IS_ERR_VALUE(addr))
		return (int)addr;
	vm_munmap(addr, PAGE_SIZE);
	return 0;
}

/**
 * ivma_backing_writable() - can write-back write @file in place?
 * @file: the object's backing file
 *
 * Return: true when it is open for writing and has ->write_iter (and no
 * ->write beside it, for kernel_write()). An immutable or append-only
 * inode open for writing was refused by ivma_backing_open().
 */
bool ivma_backing_writable(struct file *file)
{
	return (file->f_mode & FMODE_WRITE) && file->f_op->write_iter &&
	       !file->f_op->write;
}

/* Bytes of the section in object page @index (PAGE_SIZE but for the last). */
static size_t ivma_section_bytes(struct ivma_object *obj, pgoff_t index)
{
	u64 start = (u64)index << PAGE_SHIFT;

	if (start >= obj->section_len)
		return 0;
	return min_t(u64, PAGE_SIZE, obj->section_len - start);
}

/*
 * Copy the section's bytes of page @index between @buf and the file, in as
 * many kernel_read()/ivma_write_held() calls as the file needs (a writer
 * holds the filesystem's freeze protection already, see the lock order in
 * ivma.h). A read that meets the end of the file stops there (*@done tells
 * where); a write that makes no progress is -EIO. Counts bytes and errors.
 */
static int ivma_backing_io(struct ivma_object *obj, pgoff_t index, void *buf,
			   bool write, size_t *donep)
{
	size_t len = ivma_section_bytes(obj, index);
	loff_t pos = obj->file_offset + ((loff_t)index << PAGE_SHIFT);
	atomic_t *inject = write ? &ivma_inject.write : &ivma_inject.read;
	size_t done = 0;
	int ret = 0;

	if (ivma_inject_fail(inject))
		ret = -EIO;

	while (!ret && done < len) {
		ssize_t n;

		if (write)
			n = ivma_write_held(obj->backing, buf + done,
					    len - done, &pos);
		else
			n = kernel_read(obj->backing, buf + done, len - done,
					&pos);
		if (n <= 0) {
			/* end of file: a short read is fine, a short write not */
			ret = n < 0 ? n : write ? -EIO : 0;
			break;
		}
		done += n;
	}

	atomic64_add(done, write ? &obj->bytes_written : &obj->bytes_read);
	atomic64_add(done, write ? &ivma_dev.bytes_written : &ivma_dev.bytes_read);
	if (ret)
		atomic64_inc(write ? &obj->write_errors : &obj->read_errors);
	*donep = done;
	return ret;
}

/*
 * The page-cache hit of ivma_backing_read(): copy the file's page at
 * @index straight from its page-cache folio, without a kernel_read()
 * (read_iter, the LSM's file_permission, atime, fsnotify). The object's
 * file was opened with its configurer's credentials, and what it reads is
 * what a mapping of the file would see, the page cache; a read(2) has no
 * more to check. The page-cache page itself never leaves this function:
 * @page is the object's own (object-model.md, section 3).
 *
 * Return: 0 with *@donep set (the file's bytes in the page; zeroes after
 * them), or -EAGAIN when there is no uptodate folio to copy from (missing,
 * being read, poisoned, past the end of the file): then kernel_read()
 * does the work, and fills the page cache for the next time.
 */
static int ivma_backing_read_cached(struct ivma_object *obj, pgoff_t index,
				    struct page *page, size_t *donep)
{
	struct address_space *mapping = obj->backing->f_mapping;
	loff_t pos = obj->file_offset + ((loff_t)index << PAGE_SHIFT);
	size_t len = ivma_section_bytes(obj, index);
	struct folio *folio;
	struct page *src;
	loff_t isize;

	folio = __filemap_get_folio(mapping, pos >> PAGE_SHIFT, FGP_ACCESSED,
				    0);
	if (IS_ERR_OR_NULL(folio))	/* NULL on 6.1, -ENOENT from 6.4 */
		return -EAGAIN;
	src = folio_file_page(folio, pos >> PAGE_SHIFT);
	/* as filemap_read(): the size is read after the folio is found */
	isize = i_size_read(mapping->host);
	if (!folio_test_uptodate(folio) || PageHWPoison(src) || pos >= isize) {
		folio_put(folio);
		return -EAGAIN;
	}
	len = min_t(u64, len, isize - pos);
	copy_highpage(page, src);
	folio_put(folio);
	if (len < PAGE_SIZE)
		memzero_page(page, len, PAGE_SIZE - len);
	flush_dcache_page(page);
	*donep = len;
	return 0;
}

/**
 * ivma_backing_read() - fill @page with the section's bytes at @index
 * @obj: a file-backed object
 * @index: object page offset, inside the section
 * @page: a new page, not yet visible to anyone, not zeroed
 *
 * Every byte of the page is written: the section's bytes from the file,
 * zeroes for the rest (past the section in its last page, past the end of
 * a file shorter than the section or truncated after configure). Only
 * those are zeroed: zeroing the whole page first would cost as much as
 * the copy.
 *
 * Return: 0 or the read's negative errno (the page's contents are then
 * undefined: the caller frees it unseen).
 */
int ivma_backing_read(struct ivma_object *obj, pgoff_t index,
		      struct page *page)
{
	void *kaddr;
	size_t done;
	int ret;

	/* an injected read failure is kernel_read()'s to consume */
	if (!atomic_read(&ivma_inject.read) &&
	    !ivma_backing_read_cached(obj, index, page, &done)) {
		atomic64_add(done, &obj->bytes_read);
		atomic64_add(done, &ivma_dev.bytes_read);
		return 0;
	}
	kaddr = kmap_local_page(page);
	ret = ivma_backing_io(obj, index, kaddr, false, &done);
	if (!ret && done < PAGE_SIZE)
		memset(kaddr + done, 0, PAGE_SIZE - done);
	kunmap_local(kaddr);
	/* written through the kernel's alias, about to be mapped to users */
	flush_dcache_page(page);
	return ret;
}

/**
 * ivma_backing_write() - write a page's section bytes back to the file
 * @obj: a file-backed object whose backing file is writable
 * @index: object page offset, inside the section
 * @buf: a copy of the page (PAGE_SIZE bytes)
 *
 * Only the bytes inside the section are written: a short last page never
 * extends the section. A file truncated meanwhile grows back to hold them.
 * The caller holds the filesystem's freeze protection (file_start_write(),
 * see ivma_write_held()) and wb_lock, no other lock of the object: the
 * file's own locks (i_rwsem) are taken inside, and a writer to the file
 * may be faulting on one of our pages meanwhile.
 *
 * Return: 0, or a negative errno (-EIO for a short write).
 */
int ivma_backing_write(struct ivma_object *obj, pgoff_t index,
		       const void *buf)
{
	size_t done;

	return ivma_backing_io(obj, index, (void *)buf, true, &done);
}

/**
 * ivma_backing_sync() - make written-back pages of a range durable
 * @obj: a file-backed object
 * @first: first object page offset
 * @last: last object page offset (inclusive)
 * @datasync: as for fsync
 *
 * Return: the result of vfs_fsync_range() on the backing file.
 */
int ivma_backing_sync(struct ivma_object *obj, pgoff_t first, pgoff_t last,
		      int datasync)
{
	loff_t start = obj->file_offset + ((loff_t)first << PAGE_SHIFT);
	loff_t end = obj->file_offset + ((loff_t)(last + 1) << PAGE_SHIFT) - 1;

	return vfs_fsync_range(obj->backing, start, end, datasync);
}
