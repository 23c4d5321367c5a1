package dev.tandem.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few C library calls Tandem needs, bound with the FFM API (no JNI).
 * Each returns the C result; errno of the calling thread is read with
 * {@link #errno()} right after a call that failed. Linux x86-64 and aarch64.
 */
final class Libc {

    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int POLLIN = 1;
    static final int POLLOUT = 4;
    static final int MSG_DONTWAIT = 0x40;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_MARK = 36;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    static final int IPPROTO_RAW = 255;
    static final int SOL_UDP = 17;
    static final int UDP_SEGMENT = 103;
    static final int UDP_GRO = 104;
    static final int MSG_CTRUNC = 0x8;
    static final int MSG_TRUNC = 0x20;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int EFAULT = 14;
    static final int EINVAL = 22;
    static final int ENOTSOCK = 88;
    static final int EMSGSIZE = 90;
    static final int ENOPROTOOPT = 92;
    static final int ENOBUFS = 105;
    static final int EADDRNOTAVAIL = 99;
    static final int O_RDONLY = 0;
    static final int AF_NETLINK = 16;
    static final int AF_PACKET = 17;
    static final int NETLINK_ROUTE = 0;
    static final int SO_BINDTODEVICE = 25;
    static final int IPPROTO_IP = 0;
    static final int IP_PKTINFO = 8;
    static final int IPV6_PKTINFO = 50;
    static final int ENETUNREACH = 101;
    static final int IP_TOS = 1;
    static final int IP_TTL = 2;
    static final int IP_MTU_DISCOVER = 10;
    static final int IP_PMTUDISC_DO = 2;
    static final int IP_MULTICAST_IF = 32;
    static final int IP_MULTICAST_TTL = 33;
    static final int IP_MULTICAST_LOOP = 34;
    static final int IP_ADD_MEMBERSHIP = 35;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;
    /** struct ifreq: 16-byte name, then a union (flags, ifindex, sockaddr) at offset 16; 40 bytes on LP64. */
    static final int IFREQ_SIZE = 40;
    static final long SIOCGIFADDR = 0x8915;
    static final long SIOCGIFHWADDR = 0x8927;
    static final long SIOCGIFINDEX = 0x8933;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static final MethodHandle OPEN = bind("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), true, 2);
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), true, -1);
    private static final MethodHandle READ = bind("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), true, -1);
    private static final MethodHandle WRITE = bind("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), true, -1);
    private static final MethodHandle IOCTL = bind("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), true, 2);
    private static final MethodHandle SOCKET = bind("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), true, -1);
    private static final MethodHandle BIND = bind("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), true, -1);
    private static final MethodHandle SETSOCKOPT = bind("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), true, -1);
    private static final MethodHandle SENDTO = bind("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), true, -1);
    private static final MethodHandle RECVFROM = bind("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), true, -1);
    private static final MethodHandle GETSOCKOPT = bind("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), true, -1);
    private static final MethodHandle GETSOCKNAME = bind("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), true, -1);
    private static final MethodHandle SENDMSG = bind("sendmsg",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), true, -1);
    private static final MethodHandle RECVMSG = bind("recvmsg",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), true, -1);
    private static final MethodHandle POLL = bind("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), true, -1);
    private static final MethodHandle EVENTFD = bind("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), true, -1);
    private static final MethodHandle SETNS = bind("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), true, -1);
    private static final MethodHandle STRERROR = bind("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT), false, -1);

    private Libc() {
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd, boolean errno, int firstVariadic) {
        MemorySegment sym = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        java.util.List<Linker.Option> opts = new java.util.ArrayList<>();
        if (errno) {
            opts.add(CAPTURE_ERRNO);
        }
        if (firstVariadic >= 0) {
            opts.add(Linker.Option.firstVariadicArg(firstVariadic));
        }
        // with errno capture the handle takes the capture segment as its first argument
        return LINKER.downcallHandle(sym, fd, opts.toArray(Linker.Option[]::new));
    }

    /** errno as the last failed call on this thread left it. */
    static int errno() {
        return (int) ERRNO.get(STATE.get(), 0L);
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "error " + errno;
        }
    }

    static int open(MemorySegment path, int flags, int mode) {
        try {
            return (int) OPEN.invokeExact(STATE.get(), path, flags, mode);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(STATE.get(), fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long read(int fd, MemorySegment buf, long len) {
        try {
            return (long) READ.invokeExact(STATE.get(), fd, buf, len);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long write(int fd, MemorySegment buf, long len) {
        try {
            return (long) WRITE.invokeExact(STATE.get(), fd, buf, len);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int ioctl(int fd, long request, MemorySegment arg) {
        try {
            return (int) IOCTL.invokeExact(STATE.get(), fd, request, arg);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(STATE.get(), domain, type, protocol);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int bind(int fd, MemorySegment addr, int len) {
        try {
            return (int) BIND.invokeExact(STATE.get(), fd, addr, len);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** setsockopt with an int value. */
    static int setsockopt(int fd, int level, int name, int value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            return (int) SETSOCKOPT.invokeExact(STATE.get(), fd, level, name, v, 4);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** setsockopt with a structure (ip_mreqn, a device name): {@code value}'s whole size is passed. */
    static int setsockopt(int fd, int level, int name, MemorySegment value) {
        try {
            return (int) SETSOCKOPT.invokeExact(STATE.get(), fd, level, name, value, (int) value.byteSize());
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** An eventfd: a counter another thread writes to wake a poll(). */
    static int eventfd(int initial, int flags) {
        try {
            return (int) EVENTFD.invokeExact(STATE.get(), initial, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Moves the calling thread (only it) into the namespace {@code fd} refers to. */
    static int setns(int fd, int nstype) {
        try {
            return (int) SETNS.invokeExact(STATE.get(), fd, nstype);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * poll() over {@code count} struct pollfd (8 bytes each: fd, events, revents)
     * already filled in {@code pollfds}: how many have events, 0 on timeout or
     * EINTR, -1 with errno set on other errors.
     */
    static int poll(MemorySegment pollfds, int count, int timeoutMillis) {
        int r;
        try {
            r = (int) POLL.invokeExact(STATE.get(), pollfds, (long) count, timeoutMillis);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        return r < 0 && errno() == EINTR ? 0 : r;
    }

    /** getsockopt with an int value: the value, or -1 with errno set. */
    static int getsockoptInt(int fd, int level, int name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 4);
            int r = (int) GETSOCKOPT.invokeExact(STATE.get(), fd, level, name, v, len);
            return r < 0 ? -1 : v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** getsockname into {@code addr}; {@code addrLen} holds its size before and the address length after. */
    static int getsockname(int fd, MemorySegment addr, MemorySegment addrLen) {
        try {
            return (int) GETSOCKNAME.invokeExact(STATE.get(), fd, addr, addrLen);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long sendmsg(int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) SENDMSG.invokeExact(STATE.get(), fd, msghdr, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long recvmsg(int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) RECVMSG.invokeExact(STATE.get(), fd, msghdr, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long sendto(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
        try {
            return (long) SENDTO.invokeExact(STATE.get(), fd, buf, len, flags, addr, addrLen);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long recvfrom(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, MemorySegment addrLen) {
        try {
            return (long) RECVFROM.invokeExact(STATE.get(), fd, buf, len, flags, addr, addrLen);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Waits up to {@code timeoutMillis} for {@code fd} to become readable; true when it is. */
    static boolean pollIn(int fd, MemorySegment pollfd, int timeoutMillis) throws OsException {
        return poll(fd, pollfd, POLLIN, timeoutMillis);
    }

    /** Waits up to {@code timeoutMillis} for room to write on {@code fd}; true when there is. */
    static boolean pollOut(int fd, MemorySegment pollfd, int timeoutMillis) throws OsException {
        return poll(fd, pollfd, POLLOUT, timeoutMillis);
    }

    private static boolean poll(int fd, MemorySegment pollfd, int events, int timeoutMillis) throws OsException {
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, (short) events);
        pollfd.set(JAVA_SHORT, 6, (short) 0);
        int r;
        try {
            r = (int) POLL.invokeExact(STATE.get(), pollfd, 1L, timeoutMillis);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r < 0) {
            int e = errno();
            if (e == EINTR) {
                return false;
            }
            throw new OsException("poll", e);
        }
        return r > 0;
    }
}
