package dev.flat.bpf;

import java.io.IOException;
import java.io.InputStream;
import jnr.ffi.Pointer;

/**
 * The probe's BPF object (flat.bpf.o) opened from memory, sized, configured and loaded into the
 * kernel: two programs (flat_ingress, flat_egress) and two maps (events, counters).
 * Closing it unloads whatever no attachment still holds.
 */
final class ProbeObject implements AutoCloseable {
    /** Where bpf/pom.xml packages the committed object. */
    static final String RESOURCE = "/dev/flat/bpf/flat.bpf.o";
    static final String EVENTS_MAP = "events";
    static final String COUNTERS_MAP = "counters";
    /** libbpf names a global-data map after its section; flat_config is all of .rodata. */
    static final String CONFIG_MAP = ".rodata";
    static final String INGRESS_PROGRAM = "flat_ingress";
    static final String EGRESS_PROGRAM = "flat_egress";
    /** The object is ~10 KiB; refuse anything absurd before copying it to native memory. */
    private static final int MAX_OBJECT_BYTES = 16 << 20;

    private final Native n;
    /** libelf parses the image in place: it must outlive the bpf_object (until close). */
    private final Pointer image;
    private Pointer obj;
    private final int ingressFd;
    private final int egressFd;
    private final int eventsFd;
    private final int countersFd;
    private final int ringBytes;

    private ProbeObject(Native n, Pointer image, Pointer obj, int ingressFd, int egressFd,
                        int eventsFd, int countersFd, int ringBytes) {
        this.n = n;
        this.image = image;
        this.obj = obj;
        this.ingressFd = ingressFd;
        this.egressFd = egressFd;
        this.eventsFd = eventsFd;
        this.countersFd = countersFd;
        this.ringBytes = ringBytes;
    }

    /** The object packaged in the jar. */
    static byte[] packagedObject() throws LiveCaptureException {
        try (InputStream in = ProbeObject.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new LiveCaptureException("the probe object " + RESOURCE + " is missing from the class path (build with bpf/flat.bpf.o present)");
            }
            return in.readNBytes(MAX_OBJECT_BYTES);
        } catch (IOException e) {
            throw new LiveCaptureException("read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens, configures and loads the object. {@code config} is written verbatim into .rodata,
     * {@code ringBytes} becomes the ring's size (validated by the caller).
     */
    static ProbeObject load(Native n, byte[] elf, FlatConfig config, int ringBytes) throws LiveCaptureException {
        if (elf.length == 0 || elf.length >= MAX_OBJECT_BYTES) {
            throw new LiveCaptureException("probe object: implausible size " + elf.length + " bytes");
        }
        LibbpfLog.install(n);
        Pointer image = n.allocate(elf.length);
        image.put(0, elf, 0, elf.length);
        Pointer obj = n.bpf.bpf_object__open_mem(image, elf.length, null);
        if (obj == null) {
            throw LiveCaptureException.of(n, "open probe object", n.lastErrno());
        }
        try {
            Pointer events = map(n, obj, EVENTS_MAP);
            Pointer counters = map(n, obj, COUNTERS_MAP);
            check(n, n.bpf.bpf_map__set_max_entries(events, ringBytes), "size ring buffer to " + ringBytes + " bytes");
            writeConfig(n, map(n, obj, CONFIG_MAP), config);
            int err = n.bpf.bpf_object__load(obj);
            if (err < 0) {
                LiveCaptureException e = LiveCaptureException.of(n, "load probe", err);
                if (e instanceof MissingPrivilegesException) {
                    throw e;
                }
                throw new LiveCaptureException(e.getMessage() + " (libbpf logs the verifier's reason under dev.flat.bpf.libbpf)",
                        e.errno(), null);
            }
            ProbeObject loaded = new ProbeObject(n, image, obj,
                    n.bpf.bpf_program__fd(program(n, obj, INGRESS_PROGRAM)),
                    n.bpf.bpf_program__fd(program(n, obj, EGRESS_PROGRAM)),
                    n.bpf.bpf_map__fd(events), n.bpf.bpf_map__fd(counters),
                    n.bpf.bpf_map__max_entries(events));
            obj = null;
            return loaded;
        } finally {
            if (obj != null) {
                n.bpf.bpf_object__close(obj);
            }
        }
    }

    private static void writeConfig(Native n, Pointer rodata, FlatConfig config) throws LiveCaptureException {
        Pointer sizeOut = n.allocate(Long.BYTES);
        Pointer initial = n.bpf.bpf_map__initial_value(rodata, sizeOut);
        long size = sizeOut.getLong(0);
        if (initial == null || size != FlatConfig.ENCODED_LENGTH) {
            // A probe built against another flat_event.h: refuse rather than misconfigure it.
            throw new LiveCaptureException("probe object: .rodata is " + size + " bytes, expected struct flat_config ("
                    + FlatConfig.ENCODED_LENGTH + "); the object does not match this flat");
        }
        byte[] bytes = new byte[FlatConfig.ENCODED_LENGTH];
        config.buffer().get(config.offset(), bytes, 0, bytes.length);
        initial.put(0, bytes, 0, bytes.length);
    }

    private static Pointer map(Native n, Pointer obj, String name) throws LiveCaptureException {
        Pointer map = n.bpf.bpf_object__find_map_by_name(obj, name);
        if (map == null) {
            throw new LiveCaptureException("probe object has no map '" + name + "'");
        }
        return map;
    }

    private static Pointer program(Native n, Pointer obj, String name) throws LiveCaptureException {
        Pointer prog = n.bpf.bpf_object__find_program_by_name(obj, name);
        if (prog == null) {
            throw new LiveCaptureException("probe object has no program '" + name + "'");
        }
        return prog;
    }

    private static void check(Native n, int err, String operation) throws LiveCaptureException {
        if (err < 0) {
            throw LiveCaptureException.of(n, operation, err);
        }
    }

    int programFd(boolean ingress) { return ingress ? ingressFd : egressFd; }
    int eventsFd() { return eventsFd; }
    int countersFd() { return countersFd; }
    int ringBytes() { return ringBytes; }

    /** Idempotent; programs stay in the kernel only while an attachment still holds them. */
    @Override
    public synchronized void close() {
        if (obj != null) {
            n.bpf.bpf_object__close(obj);
            obj = null;
        }
    }
}
