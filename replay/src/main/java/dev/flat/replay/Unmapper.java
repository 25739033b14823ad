package dev.flat.replay;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Unmaps a file mapping at once. Java 17 has no public way: a {@code MappedByteBuffer} is
 * unmapped when the collector finds it unreachable, and flat makes so little garbage that
 * mappings of a large capture would pile up in the resident set for the whole run.
 * {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported, there since Java 9 for exactly
 * this) runs the mapping's cleaner now. Where it cannot be found, {@link #available} is false and
 * {@link ChannelInput} reads the file instead of mapping it.
 *
 * <p>The caller must never touch the buffer again: an access to an unmapped buffer crashes the
 * JVM. {@link ChannelInput} drops its only reference in the same step.
 */
final class Unmapper {
    private static final MethodHandle INVOKE_CLEANER = find();

    private Unmapper() {}

    static boolean available() { return INVOKE_CLEANER != null; }

    /** Unmaps {@code mapping}, a buffer returned by {@code FileChannel.map}. */
    static void unmap(ByteBuffer mapping) {
        try {
            INVOKE_CLEANER.invokeExact(mapping);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("unmapping failed", t);
        }
    }

    private static MethodHandle find() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            MethodHandle invokeCleaner = MethodHandles.lookup().findVirtual(unsafeClass, "invokeCleaner",
                    MethodType.methodType(void.class, ByteBuffer.class));
            return invokeCleaner.bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not this JVM: ChannelInput reads instead
        }
    }
}
