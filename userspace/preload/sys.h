/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw system calls for the preload library: they return the result or
 * -errno and never touch errno, so the hooks can run where the program's
 * mmap() may run (a signal handler, malloc, a child after fork) and leave
 * errno exactly as the native call would.
 */
#ifndef IVMA_PRELOAD_SYS_H
#define IVMA_PRELOAD_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
static inline long rsys6(long n, long a, long b, long c, long d, long e,
			 long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#else
# include <errno.h>
# include <unistd.h>
static inline long rsys6(long n, long a, long b, long c, long d, long e,
			 long f)
{
	int saved = errno;
	long ret = syscall(n, a, b, c, d, e, f);

	if (ret == -1) {
		ret = -errno;
		errno = saved;
	}
	return ret;
}
#endif

#define rsys(n, a, b, c)	rsys6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* an error result of a system call (-4095..-1) */
static inline int rsys_err(long r)
{
	return (unsigned long)r >= (unsigned long)-4095L;
}

static inline long sys_mmap(void *addr, size_t len, int prot, int flags,
			    int fd, long off)
{
	return rsys6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off);
}

static inline long sys_munmap(void *addr, size_t len)
{
	return rsys(SYS_munmap, addr, len, 0);
}

static inline long sys_mprotect(void *addr, size_t len, int prot)
{
	return rsys(SYS_mprotect, addr, len, prot);
}

static inline long sys_mremap(void *old, size_t old_len, size_t new_len,
			      int flags, void *new_addr)
{
	return rsys6(SYS_mremap, (long)old, (long)old_len, (long)new_len,
		     flags, (long)new_addr, 0);
}

static inline long sys_close(int fd)
{
	return rsys(SYS_close, fd, 0, 0);
}

static inline long sys_getpid(void)
{
	return rsys(SYS_getpid, 0, 0, 0);
}

static inline long sys_gettid(void)
{
	return rsys(SYS_gettid, 0, 0, 0);
}

#endif /* IVMA_PRELOAD_SYS_H */
