package dev.flat.bpf;

import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * Lists the tc filters on one clsact direction through rtnetlink (RTM_GETTFILTER dump, as
 * {@code tc filter show dev X ingress} does). libbpf 1.1 can query one known filter but not list
 * them, and flat must know what else is on a hook before choosing a priority or removing the qdisc.
 */
final class TcFilterDump {
    /** TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS / TC_H_MIN_EGRESS), linux/pkt_sched.h. */
    static final int PARENT_INGRESS = 0xFFFF_FFF2;
    static final int PARENT_EGRESS = 0xFFFF_FFF3;

    private static final int RTM_NEWTFILTER = 44;
    private static final int RTM_GETTFILTER = 46;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_DUMP = 0x300;
    private static final int NLMSG_HDRLEN = 16;
    private static final int TCMSG_LENGTH = 20;
    /** Offsets in a message: struct nlmsghdr then struct tcmsg. */
    private static final int TCM_IFINDEX = NLMSG_HDRLEN + 4;
    private static final int TCM_HANDLE = NLMSG_HDRLEN + 8;
    private static final int TCM_PARENT = NLMSG_HDRLEN + 12;
    private static final int TCM_INFO = NLMSG_HDRLEN + 16;
    private static final int RECEIVE_BUFFER = 64 << 10;

    /** One filter: priority (tc "pref") and handle; handle 0 is the classifier instance itself. */
    record Filter(int priority, int handle) {
    }

    private TcFilterDump() {
    }

    /** Filters on the given clsact parent of ifindex; empty when there is no clsact qdisc. */
    static List<Filter> list(Native n, int ifindex, int parent) throws LiveCaptureException {
        int fd = n.libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE);
        if (fd < 0) {
            throw LiveCaptureException.of(n, "open rtnetlink socket", n.lastErrno());
        }
        try {
            Pointer request = n.allocate(NLMSG_HDRLEN + TCMSG_LENGTH);
            request.putInt(0, NLMSG_HDRLEN + TCMSG_LENGTH);
            request.putShort(4, (short) RTM_GETTFILTER);
            request.putShort(6, (short) (NLM_F_REQUEST | NLM_F_DUMP));
            request.putInt(8, 1);
            request.putInt(TCM_IFINDEX, ifindex);
            request.putInt(TCM_PARENT, parent);
            if (n.libc.send(fd, request, NLMSG_HDRLEN + TCMSG_LENGTH, 0) < 0) {
                throw LiveCaptureException.of(n, "list tc filters", n.lastErrno());
            }
            return receive(n, fd);
        } finally {
            n.libc.close(fd);
        }
    }

    private static List<Filter> receive(Native n, int fd) throws LiveCaptureException {
        List<Filter> filters = new ArrayList<>();
        Pointer buf = n.allocate(RECEIVE_BUFFER);
        while (true) {
            long got = n.libc.recv(fd, buf, RECEIVE_BUFFER, 0);
            if (got < 0) {
                throw LiveCaptureException.of(n, "list tc filters", n.lastErrno());
            }
            int at = 0;
            while (at + NLMSG_HDRLEN <= got) {
                int length = buf.getInt(at);
                int type = buf.getShort(at + 4) & 0xFFFF;
                if (length < NLMSG_HDRLEN || at + length > got) {
                    throw new LiveCaptureException("list tc filters: malformed netlink message");
                }
                if (type == NLMSG_DONE) {
                    return filters;
                }
                if (type == NLMSG_ERROR) {
                    int error = length >= NLMSG_HDRLEN + 4 ? buf.getInt(at + NLMSG_HDRLEN) : -Native.EINVAL;
                    throw LiveCaptureException.of(n, "list tc filters", error);
                }
                if (type == RTM_NEWTFILTER && length >= NLMSG_HDRLEN + TCMSG_LENGTH) {
                    // tcm_info holds the priority in its upper 16 bits (TC_H_MAJ), the protocol below.
                    filters.add(new Filter(buf.getInt(at + TCM_INFO) >>> 16, buf.getInt(at + TCM_HANDLE)));
                }
                at += (length + 3) & ~3;
            }
        }
    }
}
