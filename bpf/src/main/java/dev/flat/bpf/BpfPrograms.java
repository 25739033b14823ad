package dev.flat.bpf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.Pointer;

/** Facts about loaded BPF programs by id, for telling a stale flat filter from a live one. */
final class BpfPrograms {
    /** sizeof(struct bpf_prog_info) in linux/bpf.h of 6.x; the kernel fills what it knows. */
    private static final int PROG_INFO_SIZE = 232;
    private static final int PROG_INFO_ID_OFFSET = 4;
    private static final int PROG_INFO_NAME_OFFSET = 64;
    /** BPF_OBJ_NAME_LEN. */
    private static final int NAME_LENGTH = 16;
    private static final Path PROC = Path.of("/proc");

    private BpfPrograms() {
    }

    /** The kernel's id of a loaded program, or -1 when the fd is not one. */
    static int id(Native n, int programFd) {
        Pointer info = n.allocate(PROG_INFO_SIZE);
        Pointer length = n.allocate(Integer.BYTES);
        length.putInt(0, PROG_INFO_SIZE);
        if (n.bpf.bpf_obj_get_info_by_fd(programFd, info, length) < 0) {
            return -1;
        }
        return info.getInt(PROG_INFO_ID_OFFSET);
    }

    /** Whether the program with this id is one of the probe's (by program name). */
    static boolean isFlatProbe(Native n, int programId) {
        int fd = n.bpf.bpf_prog_get_fd_by_id(programId);
        if (fd < 0) {
            return false;
        }
        try {
            Pointer info = n.allocate(PROG_INFO_SIZE);
            Pointer length = n.allocate(Integer.BYTES);
            length.putInt(0, PROG_INFO_SIZE);
            if (n.bpf.bpf_obj_get_info_by_fd(fd, info, length) < 0) {
                return false;
            }
            byte[] raw = new byte[NAME_LENGTH];
            info.get(PROG_INFO_NAME_OFFSET, raw, 0, NAME_LENGTH);
            int end = 0;
            while (end < NAME_LENGTH && raw[end] != 0) {
                end++;
            }
            String name = new String(raw, 0, end, StandardCharsets.US_ASCII);
            // The kernel keeps the first 15 characters of a program name.
            return name.equals(ProbeObject.INGRESS_PROGRAM) || name.equals(ProbeObject.EGRESS_PROGRAM);
        } finally {
            n.libc.close(fd);
        }
    }

    /**
     * Whether any process holds a file descriptor to the program: /proc/PID/fdinfo/FD of a BPF
     * program fd has a "prog_id:" line (kernel/bpf/syscall.c bpf_prog_show_fdinfo). A running flat
     * holds its programs through its bpf_object; a killed one holds nothing. Errs towards "held"
     * when /proc cannot be read, so a live capture is never torn down.
     */
    static boolean isHeldByAnyProcess(int programId) {
        String wanted = "prog_id:\t" + Integer.toUnsignedString(programId);
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, p -> isNumeric(p.getFileName().toString()))) {
            for (Path process : processes) {
                if (holds(process.resolve("fdinfo"), wanted)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static boolean holds(Path fdinfo, String wanted) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdinfo)) {
            for (Path fd : fds) {
                try {
                    for (String line : Files.readAllLines(fd, StandardCharsets.US_ASCII)) {
                        if (line.equals(wanted)) {
                            return true;
                        }
                    }
                } catch (IOException closedMeanwhile) {
                    // The fd closed between listing and reading: it holds nothing now.
                }
            }
        } catch (IOException | RuntimeException processGone) {
            // The process exited while we looked.
        }
        return false;
    }

    private static boolean isNumeric(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
