package dev.flat.bpf;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.types.size_t;

/**
 * The kernel's own run-time accounting of BPF programs (kernel 5.1+): while enabled, every run
 * adds its duration to the program's {@code run_time_ns} and one to {@code run_cnt}, which
 * BPF_OBJ_GET_INFO_BY_FD reports (and {@code bpftool prog show} prints).
 *
 * <p>Enabled through BPF_ENABLE_STATS rather than the {@code kernel.bpf_stats_enabled} sysctl:
 * the kernel counts stats as enabled while the returned fd is open, and closes it when this
 * process exits by whatever path (SIGKILL too), so nothing global is left switched on and a
 * setting someone else made is never overwritten (kernel/bpf/syscall.c bpf_enable_runtime_stats).
 * Public only because jnr-ffi implements the nested interface in another class loader.
 */
public final class BpfRunStats implements AutoCloseable {
    /** enum bpf_stats_type, linux/bpf.h. */
    private static final int BPF_STATS_RUN_TIME = 0;
    /** struct bpf_prog_info (linux/bpf.h): run_time_ns and run_cnt since kernel 5.1. */
    private static final int PROG_INFO_SIZE = 232;
    private static final int RUN_TIME_NS_OFFSET = 192;
    private static final int RUN_CNT_OFFSET = 200;

    /** BPF_PROG_TYPE_SCHED_CLS, linux/bpf.h. */
    private static final int SCHED_CLS = 3;
    /** {@code r0 = -1 (TC_ACT_UNSPEC); exit}: two struct bpf_insn of 8 bytes, little-endian. */
    private static final byte[] RETURN_UNSPEC = {
        (byte) 0xb7, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, // BPF_ALU64|BPF_MOV|BPF_K r0
        (byte) 0x95, 0, 0, 0, 0, 0, 0, 0,                                          // BPF_JMP|BPF_EXIT
    };

    /** libbpf calls absent from flat's own binding (flat never needs them), libbpf ≥ 0.7. */
    public interface StatsLibrary {
        int bpf_enable_stats(int type);

        int bpf_prog_load(int progType, String name, String license, Pointer insns, @size_t long insnCount, Pointer opts);
    }

    private static StatsLibrary library() {
        return LibraryLoader.create(StatsLibrary.class).failImmediately().load("libbpf.so.1");
    }

    /**
     * Loads a tc program that returns at once: what BPF_PROG_TEST_RUN's loop and the run-time
     * stats cost with (almost) no program. The caller closes the returned fd.
     */
    static int loadEmptyTcProgram() throws LiveCaptureException {
        Native n = Native.get();
        Pointer insns = n.allocate(RETURN_UNSPEC.length);
        insns.put(0, RETURN_UNSPEC, 0, RETURN_UNSPEC.length);
        int fd = library().bpf_prog_load(SCHED_CLS, "flat_bench_nop", "GPL", insns, RETURN_UNSPEC.length / 8, null);
        if (fd < 0) {
            throw LiveCaptureException.of(n, "load the empty tc program", fd);
        }
        return fd;
    }

    /** What a program had accumulated when sampled. */
    record Sample(long runTimeNs, long runCount) {
        Sample minus(Sample earlier) {
            return new Sample(runTimeNs - earlier.runTimeNs, runCount - earlier.runCount);
        }

        double nsPerRun() {
            return runCount == 0 ? Double.NaN : (double) runTimeNs / runCount;
        }
    }

    private final Native n;
    private final int statsFd;

    private BpfRunStats(Native n, int statsFd) {
        this.n = n;
        this.statsFd = statsFd;
    }

    static BpfRunStats enable() throws LiveCaptureException {
        Native n = Native.get();
        int fd = library().bpf_enable_stats(BPF_STATS_RUN_TIME);
        if (fd < 0) {
            throw LiveCaptureException.of(n, "enable BPF run-time stats", fd);
        }
        return new BpfRunStats(n, fd);
    }

    Sample sample(int programFd) throws LiveCaptureException {
        Pointer info = n.allocate(PROG_INFO_SIZE);
        Pointer length = n.allocate(Integer.BYTES);
        length.putInt(0, PROG_INFO_SIZE);
        int err = n.bpf.bpf_obj_get_info_by_fd(programFd, info, length);
        if (err < 0) {
            throw LiveCaptureException.of(n, "read bpf_prog_info", err);
        }
        if (length.getInt(0) < RUN_CNT_OFFSET + Long.BYTES) {
            throw new LiveCaptureException("bpf_prog_info of " + length.getInt(0) + " bytes has no run_time_ns/run_cnt (kernel < 5.1)");
        }
        return new Sample(info.getLong(RUN_TIME_NS_OFFSET), info.getLong(RUN_CNT_OFFSET));
    }

    @Override
    public void close() {
        n.libc.close(statsFd);
    }
}
