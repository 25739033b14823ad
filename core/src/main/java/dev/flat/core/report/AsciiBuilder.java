package dev.flat.core.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable run of ASCII text held as bytes, for composing report rows.
 *
 * <p>Why not {@link StringBuilder}: {@code flat analyze --format csv} writes one row per
 * exchange, 1.5 million rows for a 10 million packet capture, and composing a row char by char in
 * a StringBuilder cost about 390 ns (each append re-checks capacity and the Latin-1/UTF-16 coder,
 * numbers go through the JDK's generic digit writer, and the row is copied out to a
 * {@code char[]} before it reaches the Writer). Every field of a row is ASCII, so this class
 * checks capacity once per append, writes numbers straight into the array, copies pre-encoded
 * words whole, and widens to chars once per drained batch ({@link #writeTo}).
 *
 * <p>Not thread-safe: each report writer owns one.
 */
public final class AsciiBuilder {
    /** Digits of {@code Long.MAX_VALUE}, the longest non-negative long. */
    private static final int MAX_LONG_DIGITS = 19;
    /** Up to this length {@link #widened()} copies in a loop; longer text goes through the decoder. */
    private static final int WIDEN_BY_LOOP = 64;
    private static final byte[] LONG_MIN_TEXT = encode(Long.toString(Long.MIN_VALUE));
    /**
     * {@link #triple} of 0..999. A 4 KiB table: one load per three digits measured twice as fast
     * as computing them by multiplication ({@code v * 41 >>> 12} for {@code v / 100} etc.).
     */
    private static final int[] DIGIT_TRIPLES = new int[1000];
    private static final long[] POWERS_OF_TEN = new long[MAX_LONG_DIGITS];

    static {
        for (int i = 0; i < DIGIT_TRIPLES.length; i++) {
            DIGIT_TRIPLES[i] = ('0' + i / 100) << 16 | ('0' + i / 10 % 10) << 8 | '0' + i % 10;
        }
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private byte[] bytes;
    private int length;
    // Reused by widened(): one set per builder, so draining allocates nothing.
    private char[] chars = new char[0];
    private CharBuffer charView = CharBuffer.wrap(chars);
    private ByteBuffer byteView = ByteBuffer.wrap(new byte[0]);
    private final CharsetDecoder widener = StandardCharsets.ISO_8859_1.newDecoder();

    public AsciiBuilder(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("negative capacity " + initialCapacity);
        }
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /**
     * The ASCII bytes of {@code text}, for words appended many times ({@link #append(byte[])}).
     *
     * @throws IllegalArgumentException if the text is not ASCII
     */
    public static byte[] encode(String text) {
        byte[] b = new byte[text.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = ascii(text.charAt(i));
        }
        return b;
    }

    public int length() { return length; }

    /** Empties the builder, keeping its capacity. */
    public AsciiBuilder reset() {
        length = 0;
        return this;
    }

    /** Cuts the text to its first {@code newLength} bytes (only shortens: there is no fill byte). */
    public void setLength(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IndexOutOfBoundsException("length " + newLength + " outside 0.." + length);
        }
        length = newLength;
    }

    /** @throws IllegalArgumentException if {@code c} is not ASCII */
    public AsciiBuilder append(char c) {
        byte b = ascii(c);
        room(1)[length++] = b;
        return this;
    }

    /**
     * Appends an ASCII string. Meant for text that varies; use {@link #append(byte[])} with
     * {@link #encode} for fixed words.
     *
     * @throws IllegalArgumentException if the text is not ASCII (nothing is appended then)
     */
    public AsciiBuilder append(String text) {
        int n = text.length();
        byte[] b = room(n);
        for (int i = 0; i < n; i++) {
            b[length + i] = ascii(text.charAt(i));
        }
        length += n;
        return this;
    }

    /** Appends pre-encoded ASCII, such as {@link #encode}'s result. */
    public AsciiBuilder append(byte[] ascii) {
        System.arraycopy(ascii, 0, room(ascii.length), length, ascii.length);
        length += ascii.length;
        return this;
    }

    /** Appends {@code v} in decimal, as {@link Long#toString(long)} would. */
    public AsciiBuilder append(long v) {
        if (v >= 0 && v < 100_000) {
            return appendBelow100000((int) v);
        }
        if (v == Long.MIN_VALUE) {
            return append(LONG_MIN_TEXT); // its magnitude does not fit in a long
        }
        byte[] b = room(1 + MAX_LONG_DIGITS);
        int at = length;
        if (v < 0) {
            b[at++] = '-';
            v = -v;
        }
        int n = digitCount(v);
        putDigits(b, at, v, n);
        length = at + n;
        return this;
    }

    /**
     * Ports, TTLs, counts and DNS ids, without a branch on their length: the five zero-padded
     * digits are packed in a long, shifted past the leading zeros and all stored; the length
     * then keeps the significant ones. (A row's small numbers vary in length from row to row,
     * and a mispredicted branch costs more than the three extra stores.)
     */
    private AsciiBuilder appendBelow100000(int v) {
        byte[] b = room(5);
        int at = length;
        int high = v / 1000;
        long five = (long) (triple(high) & 0xFFFF) << 24 | triple(v - high * 1000);
        int n = digitCount(v);
        five <<= 8 * (5 - n); // the first significant digit into bits 32..39
        b[at] = (byte) (five >>> 32);
        b[at + 1] = (byte) (five >>> 24);
        b[at + 2] = (byte) (five >>> 16);
        b[at + 3] = (byte) (five >>> 8);
        b[at + 4] = (byte) five;
        length = at + n;
        return this;
    }

    /**
     * Appends exactly {@code width} decimal digits of {@code v}, zero-padded on the left
     * ({@code appendDigits(7, 3)} is {@code 007}): clock fields and fractions.
     *
     * @throws IllegalArgumentException unless 0 ≤ width ≤ 18 and 0 ≤ v &lt; 10^width
     */
    public AsciiBuilder appendDigits(long v, int width) {
        if (width < 0 || width >= POWERS_OF_TEN.length || v < 0 || v >= POWERS_OF_TEN[width]) {
            throw new IllegalArgumentException(v + " does not fit in " + width + " digits");
        }
        putDigits(room(width), length, v, width);
        length += width;
        return this;
    }

    /**
     * Writes the whole text to {@code out}, without a String: as the bytes themselves when
     * {@code out} takes ASCII ({@link AsciiSink}), else as chars.
     */
    public void writeTo(Writer out) throws IOException {
        if (out instanceof AsciiSink sink && sink.takesAscii()) {
            sink.writeAscii(bytes, 0, length);
        } else {
            out.write(widened(), 0, length);
        }
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }

    /**
     * The text as chars in an array this builder reuses (valid until its next call): for APIs
     * that take {@code char[]}, such as Jackson's {@code writeString(char[], int, int)}.
     */
    char[] widened() {
        if (chars.length < length) {
            chars = new char[Math.max(length, bytes.length)];
            charView = CharBuffer.wrap(chars);
        }
        if (length <= WIDEN_BY_LOOP) { // a single field (JSON): the decoder's set-up would cost more
            for (int i = 0; i < length; i++) {
                chars[i] = (char) bytes[i]; // ASCII: no sign to strip
            }
            return chars;
        }
        if (byteView.array() != bytes) {
            byteView = ByteBuffer.wrap(bytes);
        }
        // The ISO-8859-1 decoder widens with the JDK's vectorised Latin-1 inflation; a plain
        // byte-to-char loop is not vectorised by C2 in JDK 17 and cost about a quarter of a row.
        byteView.limit(length).position(0);
        charView.clear();
        widener.reset().decode(byteView, charView, true); // every byte maps to a char: no error, no overflow
        return chars;
    }

    // Direct access for the formatters of this package (addresses, times), which write a field
    // of known maximum size with one capacity check: room(max), write at length(), advanceTo(end).

    /** Makes room for {@code n} more bytes and returns the array to write them into at {@link #length()}. */
    byte[] room(int n) {
        if (bytes.length - length < n) {
            grow(n);
        }
        return bytes;
    }

    /** Takes the bytes written through {@link #room} up to {@code newLength} as part of the text. */
    void advanceTo(int newLength) {
        if (newLength < length || newLength > bytes.length) {
            throw new IndexOutOfBoundsException("length " + newLength + " outside " + length + ".." + bytes.length);
        }
        length = newLength;
    }

    /** Writes the {@code n} low decimal digits of {@code v} (v ≥ 0) at {@code at}, zero-padded. */
    static void putDigits(byte[] b, int at, long v, int n) {
        int i = at + n;
        // 64-bit division only while the value needs it: most fields (ports, fractions) start below
        while (v > Integer.MAX_VALUE && i - at >= 3) {
            long q = v / 1000;
            i -= 3;
            putTriple(b, i, (int) (v - q * 1000));
            v = q;
        }
        putDigits(b, at, (int) v, i - at);
    }

    /**
     * {@link #putDigits(byte[], int, long, int)} in 32-bit arithmetic, three digits per division:
     * the chain of dependent divisions is a third as long as digit by digit.
     */
    static void putDigits(byte[] b, int at, int v, int n) {
        int i = at + n;
        while (i - at >= 3) {
            int q = v / 1000;
            i -= 3;
            putTriple(b, i, v - q * 1000);
            v = q;
        }
        if (i > at) { // one or two leading digits: the tail of v's triple (v < 100 here)
            int triple = triple(v);
            if (i - at == 2) {
                b[at] = (byte) (triple >>> 8);
            }
            b[i - 1] = (byte) triple;
        }
    }

    /** The three decimal digits of 0..999 packed in an int ({@code '1' << 16 | '2' << 8 | '3'}). */
    static int triple(int v) {
        return DIGIT_TRIPLES[v];
    }

    private static void putTriple(byte[] b, int at, int v) {
        int triple = triple(v);
        b[at] = (byte) (triple >>> 16);
        b[at + 1] = (byte) (triple >>> 8);
        b[at + 2] = (byte) triple;
    }

    /** Decimal digits of {@code v} ≥ 0 (1 for 0), without a loop. */
    static int digitCount(long v) {
        // log10(2) ≈ 1233 / 4096: the bit length gives the digits or one less; the table decides
        int estimate = (64 - Long.numberOfLeadingZeros(v | 1)) * 1233 >>> 12;
        return estimate + ((v | 1) >= POWERS_OF_TEN[estimate] ? 1 : 0); // v | 1: 0 has one digit
    }

    /** Stores 4 bytes, first byte the most significant: for packed text such as "255.". */
    static void putIntBigEndian(byte[] b, int at, int fourBytes) {
        b[at] = (byte) (fourBytes >>> 24);
        b[at + 1] = (byte) (fourBytes >>> 16);
        b[at + 2] = (byte) (fourBytes >>> 8);
        b[at + 3] = (byte) fourBytes;
    }

    private void grow(int n) {
        long needed = (long) length + n;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new OutOfMemoryError("ASCII text of " + needed + " bytes");
        }
        long doubled = Math.max(needed, 2L * bytes.length);
        bytes = Arrays.copyOf(bytes, (int) Math.min(doubled, Integer.MAX_VALUE - 8));
    }

    private static byte ascii(char c) {
        if (c > 0x7F) {
            throw new IllegalArgumentException("not ASCII: U+" + Integer.toHexString(c | 0x10000).substring(1));
        }
        return (byte) c;
    }
}
