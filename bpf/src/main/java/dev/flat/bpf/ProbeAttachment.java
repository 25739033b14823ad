package dev.flat.bpf;

/** The probe's two programs hooked to one interface; close removes exactly what attach added. */
interface ProbeAttachment extends AutoCloseable {
    /** "tcx" or "tc". */
    String mode();

    /** Idempotent; never throws: failures to detach are logged (the process is usually exiting). */
    @Override
    void close();
}
