package dev.flat.bpf;

import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * Program ids attached to an interface's TCX hook, from BPF_PROG_QUERY (bpftool 7.1 does not
 * know TCX yet, so the tests ask the kernel themselves).
 */
final class TcxPrograms {
    private static final int MAX_PROGRAMS = 64;

    private TcxPrograms() {
    }

    static List<Integer> attached(int ifindex, int attachType) throws LiveCaptureException {
        Native n = Native.get();
        Pointer flags = n.allocate(Integer.BYTES);
        Pointer ids = n.allocate(MAX_PROGRAMS * Integer.BYTES);
        Pointer count = n.allocate(Integer.BYTES);
        count.putInt(0, MAX_PROGRAMS);
        int err = n.bpf.bpf_prog_query(ifindex, attachType, 0, flags, ids, count);
        if (err < 0) {
            throw LiveCaptureException.of(n, "query tcx programs of ifindex " + ifindex, err);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count.getInt(0); i++) {
            out.add(ids.getInt(4L * i));
        }
        return out;
    }

    static int programId(EbpfCapture capture, boolean ingress) throws LiveCaptureException {
        return BpfPrograms.id(Native.get(), capture.probe().programFd(ingress));
    }
}
