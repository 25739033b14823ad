package dev.flat.bpf;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jnr.ffi.Pointer;

/**
 * Legacy attachment (kernels before 6.6): a clsact qdisc with one cls_bpf filter per direction
 * (direct-action), added with libbpf's bpf_tc_* netlink helpers.
 *
 * <p>Unlike TCX links these filters belong to the qdisc, not to a process: they survive a SIGKILL
 * of flat. flat therefore marks its filters with {@link #HANDLE}, and at the next attach removes a
 * flat filter whose program no process holds any more (a stale one), never another tool's.
 *
 * <p>Removal is as careful as installation: a filter is deleted only if it still runs flat's
 * program id, and the clsact qdisc only if flat created it and no filter of anyone remains on it
 * (bpf_tc_hook_destroy deletes the whole qdisc with every filter on it).
 */
final class TcAttachment implements ProbeAttachment {
    /** "flat" in ASCII: shows as handle 0x666c6174 in {@code tc filter show}. */
    static final int HANDLE = 0x666C_6174;
    /** Lowest tc priority ("pref") flat uses; it takes the first one no filter uses. */
    static final int FIRST_PRIORITY = 1;
    private static final int MAX_PRIORITY = 0xFFFF;
    /** Attempts when another tool takes the chosen priority between listing and attaching. */
    private static final int ATTACH_ATTEMPTS = 3;
    /** struct bpf_tc_hook (libbpf.h): size_t sz; int ifindex; enum attach_point; __u32 parent. */
    private static final int HOOK_SIZE = 24;
    private static final int HOOK_IFINDEX = 8;
    private static final int HOOK_ATTACH_POINT = 12;
    /** struct bpf_tc_opts: size_t sz; int prog_fd; __u32 flags, prog_id, handle, priority. */
    private static final int OPTS_SIZE = 32;
    private static final int OPTS_PROG_FD = 8;
    private static final int OPTS_PROG_ID = 16;
    private static final int OPTS_HANDLE = 20;
    private static final int OPTS_PRIORITY = 24;
    private static final int BOTH = LibBpf.BPF_TC_INGRESS | LibBpf.BPF_TC_EGRESS;
    private static final Logger LOG = Logger.getLogger(TcAttachment.class.getName());

    /** One filter flat installed. */
    private record Installed(int attachPoint, int priority, int programId) {
    }

    private final Native n;
    private final NetInterface iface;
    private final boolean createdQdisc;
    private final List<Installed> installed = new ArrayList<>();
    private boolean closed;

    private TcAttachment(Native n, NetInterface iface, boolean createdQdisc) {
        this.n = n;
        this.iface = iface;
        this.createdQdisc = createdQdisc;
    }

    static TcAttachment attach(Native n, ProbeObject probe, NetInterface iface) throws LiveCaptureException {
        Pointer hook = hook(n, iface, BOTH);
        int err = LibbpfLog.expectingFailure(() -> n.bpf.bpf_tc_hook_create(hook));
        if (err < 0 && err != -Native.EEXIST) {
            throw LiveCaptureException.of(n, "create clsact qdisc on " + iface.name(), err);
        }
        // EEXIST: a clsact qdisc was already there (another tool's, or an earlier flat's); it is
        // not flat's to delete.
        TcAttachment attachment = new TcAttachment(n, iface, err == 0);
        try {
            if (!iface.egressOnly()) { // loopback: NetInterface#egressOnly
                attachment.install(LibBpf.BPF_TC_INGRESS, probe.programFd(true));
            }
            attachment.install(LibBpf.BPF_TC_EGRESS, probe.programFd(false));
            return attachment;
        } catch (LiveCaptureException e) {
            attachment.close();
            throw e;
        }
    }

    private void install(int attachPoint, int programFd) throws LiveCaptureException {
        String where = "attach tc " + direction(attachPoint) + " " + iface.name();
        Pointer hook = hook(n, iface, attachPoint);
        removeStaleFilters(attachPoint, hook);
        int err = -Native.EEXIST;
        for (int attempt = 0; attempt < ATTACH_ATTEMPTS && err == -Native.EEXIST; attempt++) {
            // Another tool may add a filter between listing and attaching: the kernel then answers
            // EEXIST for our handle or EINVAL for a different classifier at that priority; retry.
            int priority = freePriority(attachPoint);
            Pointer opts = opts(n, priority);
            opts.putInt(OPTS_PROG_FD, programFd);
            err = n.bpf.bpf_tc_attach(hook, opts);
            if (err == 0) {
                installed.add(new Installed(attachPoint, priority, opts.getInt(OPTS_PROG_ID)));
                return;
            }
            if (err == -Native.EINVAL && !isFree(attachPoint, priority)) {
                err = -Native.EEXIST;
            }
        }
        throw LiveCaptureException.of(n, where, err);
    }

    private int freePriority(int attachPoint) throws LiveCaptureException {
        boolean[] used = new boolean[MAX_PRIORITY + 1];
        for (TcFilterDump.Filter f : TcFilterDump.list(n, iface.ifindex(), parent(attachPoint))) {
            used[f.priority()] = true;
        }
        for (int p = FIRST_PRIORITY; p <= MAX_PRIORITY; p++) {
            if (!used[p]) {
                return p;
            }
        }
        throw new LiveCaptureException("attach tc " + direction(attachPoint) + " " + iface.name() + ": every tc priority is taken");
    }

    private boolean isFree(int attachPoint, int priority) throws LiveCaptureException {
        for (TcFilterDump.Filter f : TcFilterDump.list(n, iface.ifindex(), parent(attachPoint))) {
            if (f.priority() == priority) {
                return false;
            }
        }
        return true;
    }

    /** Deletes flat-handled filters whose program no process holds: left by a killed flat. */
    private void removeStaleFilters(int attachPoint, Pointer hook) throws LiveCaptureException {
        for (TcFilterDump.Filter f : TcFilterDump.list(n, iface.ifindex(), parent(attachPoint))) {
            if (f.handle() != HANDLE) {
                continue;
            }
            Pointer opts = opts(n, f.priority());
            if (n.bpf.bpf_tc_query(hook, opts) != 0) {
                continue;
            }
            int programId = opts.getInt(OPTS_PROG_ID);
            if (BpfPrograms.isFlatProbe(n, programId) && !BpfPrograms.isHeldByAnyProcess(programId)) {
                int err = n.bpf.bpf_tc_detach(hook, opts(n, f.priority()));
                LOG.log(err == 0 ? Level.INFO : Level.WARNING, "stale flat filter (program id " + programId + ") on "
                        + iface.name() + " " + direction(attachPoint) + " pref " + f.priority()
                        + (err == 0 ? " removed" : " could not be removed: " + n.errnoName(err)));
            }
        }
    }

    @Override
    public String mode() {
        return "tc";
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Installed f : installed) {
            detach(f);
        }
        installed.clear();
        if (createdQdisc) {
            removeQdiscIfEmpty();
        }
    }

    private void detach(Installed f) {
        Pointer hook = hook(n, iface, f.attachPoint());
        Pointer query = opts(n, f.priority());
        int err = n.bpf.bpf_tc_query(hook, query);
        if (err != 0 || query.getInt(OPTS_PROG_ID) != f.programId()) {
            // Gone, or replaced by someone else in the meantime: not flat's to delete any more.
            LOG.fine(() -> "tc filter pref " + f.priority() + " on " + iface.name() + " no longer runs flat's program");
            return;
        }
        err = n.bpf.bpf_tc_detach(hook, opts(n, f.priority()));
        if (err < 0) {
            LOG.warning("detach tc " + direction(f.attachPoint()) + " " + iface.name() + ": " + n.errnoName(err)
                    + " (remove it with: tc filter del dev " + iface.name() + " " + direction(f.attachPoint())
                    + " pref " + f.priority() + ")");
        }
    }

    private void removeQdiscIfEmpty() {
        try {
            if (!TcFilterDump.list(n, iface.ifindex(), TcFilterDump.PARENT_INGRESS).isEmpty()
                    || !TcFilterDump.list(n, iface.ifindex(), TcFilterDump.PARENT_EGRESS).isEmpty()) {
                LOG.fine(() -> "clsact on " + iface.name() + " kept: other filters were added to it");
                return;
            }
        } catch (LiveCaptureException e) {
            LOG.warning("clsact on " + iface.name() + " kept: " + e.getMessage());
            return;
        }
        int err = n.bpf.bpf_tc_hook_destroy(hook(n, iface, BOTH));
        if (err < 0 && err != -Native.ENOENT) {
            LOG.warning("remove clsact qdisc on " + iface.name() + ": " + n.errnoName(err));
        }
    }

    /** A hook on the clsact of the interface; parent 0 lets libbpf derive it from attach_point. */
    private static Pointer hook(Native n, NetInterface iface, int attachPoint) {
        Pointer hook = n.allocate(HOOK_SIZE);
        hook.putLong(0, HOOK_SIZE);
        hook.putInt(HOOK_IFINDEX, iface.ifindex());
        hook.putInt(HOOK_ATTACH_POINT, attachPoint);
        return hook;
    }

    /** Options naming flat's filter at a priority (prog_fd, flags, prog_id zero: query and detach want that). */
    private static Pointer opts(Native n, int priority) {
        Pointer opts = n.allocate(OPTS_SIZE);
        opts.putLong(0, OPTS_SIZE);
        opts.putInt(OPTS_HANDLE, HANDLE);
        opts.putInt(OPTS_PRIORITY, priority);
        return opts;
    }

    private static int parent(int attachPoint) {
        return attachPoint == LibBpf.BPF_TC_INGRESS ? TcFilterDump.PARENT_INGRESS : TcFilterDump.PARENT_EGRESS;
    }

    private static String direction(int attachPoint) {
        return attachPoint == LibBpf.BPF_TC_INGRESS ? "ingress" : "egress";
    }
}
