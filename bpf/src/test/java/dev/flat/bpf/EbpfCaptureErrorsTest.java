package dev.flat.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Messages a user sees when a live capture cannot start; none of these needs privileges. */
class EbpfCaptureErrorsTest {
    private static LiveOptions options(String iface, int ringBytes) {
        return new LiveOptions(iface, Backend.EBPF, AttachMode.AUTO, ringBytes, Set.of(), List.of(), List.of());
    }

    @Test
    void unknownInterfaceListsTheExistingOnes() {
        LiveCaptureException e = assertThrows(LiveCaptureException.class,
                () -> EbpfCapture.open(options("nosuch0", LiveOptions.DEFAULT_RING_BYTES)));
        assertTrue(e.getMessage().startsWith("unknown interface 'nosuch0' (interfaces: "), e.getMessage());
        assertTrue(e.getMessage().contains("lo"), e.getMessage());
    }

    @Test
    void interfaceNamesCannotEscapeSysfs() {
        LiveCaptureException e = assertThrows(LiveCaptureException.class,
                () -> EbpfCapture.open(options("../../etc", LiveOptions.DEFAULT_RING_BYTES)));
        assertTrue(e.getMessage().startsWith("unknown interface '../../etc'"), e.getMessage());
    }

    @Test
    void ringSizeMustBeAPowerOfTwoOfAtLeastAPage() {
        for (int bad : new int[] {0, 1024, 3 << 20, -4096}) {
            LiveCaptureException e = assertThrows(LiveCaptureException.class, () -> EbpfCapture.open(options("lo", bad)));
            assertTrue(e.getMessage().startsWith("ring buffer size " + bad + " bytes: must be a power of two"), e.getMessage());
        }
    }

    @Test
    void errnoMessagesNameTheOperationAndTheErrno() throws Exception {
        Native n = Native.get();
        LiveCaptureException e = LiveCaptureException.of(n, "attach tcx ingress eth0", -Native.EINVAL);
        assertEquals("attach tcx ingress eth0: EINVAL", e.getMessage());
        assertEquals(Native.EINVAL, e.errno());
        assertEquals("open probe object: LIBBPF_ERRNO__FORMAT",
                LiveCaptureException.of(n, "open probe object", -4001).getMessage());
        LiveCaptureException denied = LiveCaptureException.of(n, "attach tcx ingress eth0", Native.EPERM);
        assertTrue(denied instanceof MissingPrivilegesException);
        assertEquals("flat needs root or CAP_BPF+CAP_NET_ADMIN to attach the probe (attach tcx ingress eth0: EPERM)",
                denied.getMessage());
    }

    @Test
    void kernelReleasesParseForFeatureChecks() {
        KernelRelease r = KernelRelease.parse("5.10.0-28-amd64");
        assertTrue(r.atLeast(5, 8) && !r.atLeast(5, 11) && r.known());
        assertTrue(KernelRelease.parse("6.18.44-fc").atLeast(6, 6));
        assertTrue(!KernelRelease.parse("garbage").known());
    }
}
