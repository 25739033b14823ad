package dev.flat.bpf;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The loaded native libraries (libbpf.so.1 and libc), loaded once per process, plus the errno
 * helpers every caller uses to build "operation interface: ENAME" messages.
 */
final class Native {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int E2BIG = 7;
    static final int EOPNOTSUPP = 95;

    /** libbpf's own error numbers (libbpf.h enum libbpf_errno), from LIBBPF_ERRNO__START = 4000. */
    private static final String[] LIBBPF_ERRNOS = {
        "LIBELF", "FORMAT", "KVERSION", "ENDIAN", "INTERNAL", "RELOC", "LOAD", "VERIFY",
        "PROG2BIG", "KVER", "PROGTYPE", "WRNGPID", "INVSEQ", "NLPARSE",
    };
    private static final int LIBBPF_ERRNO_START = 4000;

    private static Native instance;
    private static Throwable failure;

    final LibBpf bpf;
    final LibC libc;
    final Runtime runtime;

    private Native(LibBpf bpf, LibC libc) {
        this.bpf = bpf;
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
    }

    /** Loads the libraries on first use; a one-line hint when libbpf is not installed. */
    static synchronized Native get() throws LiveCaptureException {
        if (instance == null && failure == null) {
            try {
                LibC libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
                LibBpf bpf = LibraryLoader.create(LibBpf.class).failImmediately().load("libbpf.so.1");
                instance = new Native(bpf, libc);
            } catch (LinkageError | RuntimeException e) {
                failure = e;
            }
        }
        if (instance == null) {
            throw new LiveCaptureException("load libbpf.so.1: " + failure.getMessage()
                    + " (flat needs libbpf 1.x; Debian/Ubuntu: apt-get install libbpf1)", failure);
        }
        return instance;
    }

    /** errno of the last native call on this thread (libbpf functions that return NULL set it). */
    int lastErrno() {
        return LastError.getLastError(runtime);
    }

    /** Zeroed native memory, freed when the returned pointer becomes unreachable. */
    Pointer allocate(int bytes) {
        Pointer p = Memory.allocateDirect(runtime, bytes);
        p.setMemory(0, bytes, (byte) 0);
        return p;
    }

    /** "EPERM" for 1; works for positive and negative (libbpf-style) numbers. */
    String errnoName(int errno) {
        int e = Math.abs(errno);
        if (e >= LIBBPF_ERRNO_START && e < LIBBPF_ERRNO_START + LIBBPF_ERRNOS.length) {
            return "LIBBPF_ERRNO__" + LIBBPF_ERRNOS[e - LIBBPF_ERRNO_START];
        }
        try {
            String name = libc.strerrorname_np(e);
            if (name != null) {
                return name;
            }
        } catch (LinkageError notGlibc) {
            // musl and glibc < 2.32 lack strerrorname_np: the fallback table below covers the
            // numbers flat's own messages depend on.
        }
        return switch (e) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case E2BIG -> "E2BIG";
            case EAGAIN -> "EAGAIN";
            case EACCES -> "EACCES";
            case EEXIST -> "EEXIST";
            case EINVAL -> "EINVAL";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            default -> "errno " + e;
        };
    }
}
