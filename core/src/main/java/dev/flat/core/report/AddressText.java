package dev.flat.core.report;

/**
 * Address text both ways, without name resolution (java.net.InetAddress would look host names
 * up; a filter argument must never trigger DNS traffic from a latency tool).
 *
 * <p>Output is canonical: IPv4-mapped addresses ({@code ::ffff:0:0/96}) print as a dotted quad,
 * because flat stores every IPv4 address in that form; everything else follows RFC 5952
 * section 4: lower-case hex, no leading zeros, the longest run of two or more zero groups
 * compressed to {@code ::}, the first such run on a tie, a lone zero group never compressed.
 */
public final class AddressText {
    private static final long V4_MAPPED_PREFIX_LO = 0x0000_FFFFL << 32;
    private static final int GROUPS = 8;
    private static final byte[] HEX = AsciiBuilder.encode("0123456789abcdef");
    /**
     * {@code ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff}. A hex group is stored as 4 bytes even when
     * shorter, but starts no later than in this longest text, so its stores stay within it.
     */
    private static final int MAX_V6_LENGTH = 39;
    /** {@code [v6]:65535}. */
    private static final int MAX_ENDPOINT_LENGTH = MAX_V6_LENGTH + 8;
    /**
     * Each octet 0..255 as its decimal text and a '.', packed big-endian in an int ("7." is
     * {@code '7' << 24 | '.' << 16}), and that text's length: a dotted quad is four stores.
     */
    private static final int[] OCTET_DOT = new int[256];
    private static final byte[] OCTET_DOT_LENGTH = new byte[256];
    /** The two lower-case hex digits of 0..255, packed big-endian in a short. */
    private static final short[] HEX_PAIRS = new short[256];

    /** {@link #compressedRun} of every set of zero groups: the search is done once, here. */
    private static final byte[] COMPRESSED_RUN = new byte[1 << GROUPS];

    static {
        for (int zeroGroups = 0; zeroGroups < COMPRESSED_RUN.length; zeroGroups++) {
            COMPRESSED_RUN[zeroGroups] = (byte) compressedRun(zeroGroups);
        }
        for (int octet = 0; octet < 256; octet++) {
            byte[] text = AsciiBuilder.encode(octet + ".");
            for (int i = 0; i < text.length; i++) {
                OCTET_DOT[octet] |= text[i] << 24 - 8 * i;
            }
            OCTET_DOT_LENGTH[octet] = (byte) text.length;
            HEX_PAIRS[octet] = (short) (HEX[octet >>> 4] << 8 | HEX[octet & 0xF]);
        }
    }

    private AddressText() {}

    public static boolean isV4Mapped(long hi, long lo) {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED_PREFIX_LO;
    }

    public static String format(long hi, long lo) {
        return appendTo(new AsciiBuilder(MAX_V6_LENGTH), hi, lo).toString();
    }

    /** Appends {@link #format}'s text (for report rows). */
    public static AsciiBuilder appendTo(AsciiBuilder out, long hi, long lo) {
        byte[] b = out.room(MAX_V6_LENGTH);
        out.advanceTo(isV4Mapped(hi, lo) ? putV4(b, out.length(), (int) lo) : putV6(b, out.length(), hi, lo));
        return out;
    }

    /** {@code a.b.c.d:port}, or {@code [v6]:port} as RFC 5952 section 6 recommends. */
    public static String endpoint(long hi, long lo, int port) {
        return appendEndpoint(new AsciiBuilder(MAX_ENDPOINT_LENGTH), hi, lo, port).toString();
    }

    /** Appends {@link #endpoint}'s text. */
    public static AsciiBuilder appendEndpoint(AsciiBuilder out, long hi, long lo, int port) {
        if (isV4Mapped(hi, lo)) {
            return appendTo(out, hi, lo).append(':').append(port);
        }
        return appendTo(out.append('['), hi, lo).append(']').append(':').append(port);
    }

    /** Writes the dotted quad of {@code v4} at {@code at}; returns the end. Needs 16 bytes of room. */
    private static int putV4(byte[] b, int at, int v4) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            int octet = v4 >>> shift & 0xFF;
            AsciiBuilder.putIntBigEndian(b, at, OCTET_DOT[octet]); // bytes past the text are overwritten next
            at += OCTET_DOT_LENGTH[octet];
        }
        return at - 1; // no '.' after the last octet
    }

    /** Writes the RFC 5952 text of an IPv6 address at {@code at}; returns the end. Needs 39 bytes of room. */
    private static int putV6(byte[] b, int at, long hi, long lo) {
        int zeroGroups = 0;
        for (int i = 0; i < GROUPS; i++) {
            zeroGroups |= (group(hi, lo, i) - 1) >>> 31 << i; // 1 exactly when the group is 0
        }
        int run = COMPRESSED_RUN[zeroGroups] & 0xFF;
        int runStart = run >> 4;
        int runEnd = runStart + (run & 0xF);
        for (int i = 0; i < GROUPS; i++) {
            if (i == runStart) {
                b[at++] = ':';
                b[at++] = ':';
                i = runEnd - 1;
                continue;
            }
            if (i > 0 && i != runEnd) {
                b[at++] = ':';
            }
            at = putHex(b, at, group(hi, lo, i));
        }
        return at;
    }

    /**
     * The run of zero groups RFC 5952 section 4.2 compresses to {@code ::}, given which groups
     * are zero (bit i for group i): {@code start << 4 | length}, or {@code 0xF0} (start 15, never
     * reached) when no run qualifies.
     */
    private static int compressedRun(int zeroGroups) {
        int bestStart = 0xF;
        int bestLen = 1; // section 4.2.2: a single zero group is not compressed
        int len = 0;
        for (int i = 0; i < GROUPS; i++) {
            len = (zeroGroups >>> i & 1) != 0 ? len + 1 : 0;
            if (len > bestLen) { // strictly longer: the first run wins a tie (section 4.2.3)
                bestLen = len;
                bestStart = i - len + 1;
            }
        }
        return bestStart == 0xF ? 0xF0 : bestStart << 4 | bestLen;
    }

    /** Group i (0..7) of the address, 16 bits, most significant first. */
    private static int group(long hi, long lo, int i) {
        return (int) ((i < 4 ? hi : lo) >>> (48 - 16 * (i & 3))) & 0xFFFF;
    }

    /**
     * Lower-case hex of a 16-bit group without leading zeros (RFC 5952 sections 4.1 and 4.3):
     * all four digits packed in an int, shifted left past the leading zeros, stored at once.
     * Needs 4 bytes of room; returns the end.
     */
    private static int putHex(byte[] b, int at, int v) {
        int digits = (35 - Integer.numberOfLeadingZeros(v | 1)) >> 2; // bits rounded up to nibbles
        int four = HEX_PAIRS[v >>> 8] << 16 | HEX_PAIRS[v & 0xFF] & 0xFFFF;
        AsciiBuilder.putIntBigEndian(b, at, four << 8 * (4 - digits));
        return at + digits;
    }

    /**
     * Parses a dotted quad (as IPv4-mapped) or any RFC 4291 section 2.2 IPv6 text form, including
     * a trailing dotted quad. Zone ids, brackets, prefixes and host names are rejected.
     *
     * @throws IllegalArgumentException naming the text when it is not an address
     */
    public static Address128 parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            throw invalid(text);
        }
        if (text.indexOf(':') < 0) {
            long v4 = parseV4(text, text);
            return new Address128(0, V4_MAPPED_PREFIX_LO | v4);
        }
        return parseV6(text);
    }

    private static Address128 parseV6(String text) {
        int[] groups = new int[GROUPS];
        int count = 0;
        int gap = -1; // index in groups where "::" stands
        int i = 0;
        int n = text.length();
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (text.charAt(0) == ':') {
            throw invalid(text);
        }
        while (i < n) {
            int end = i;
            while (end < n && text.charAt(end) != ':') {
                end++;
            }
            String part = text.substring(i, end);
            if (part.indexOf('.') >= 0) {
                // embedded IPv4 in the last 32 bits (RFC 4291 section 2.2, form 3)
                if (end != n || count > GROUPS - 2) {
                    throw invalid(text);
                }
                long v4 = parseV4(part, text);
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = end;
                break;
            }
            if (part.isEmpty() || part.length() > 4 || count == GROUPS) {
                throw invalid(text);
            }
            groups[count++] = parseHex(part, text);
            if (end == n) {
                i = end;
                break;
            }
            // at a ':'; a second one right after is the gap
            if (end + 1 < n && text.charAt(end + 1) == ':') {
                if (gap >= 0) {
                    throw invalid(text);
                }
                gap = count;
                i = end + 2;
            } else if (end + 1 == n) {
                throw invalid(text); // trailing single ':'
            } else {
                i = end + 1;
            }
        }
        if (gap < 0 ? count != GROUPS : count > GROUPS - 1) {
            throw invalid(text);
        }
        int[] full = new int[GROUPS];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, GROUPS - tail, tail);
        }
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 4; k++) {
            hi = hi << 16 | full[k];
            lo = lo << 16 | full[k + 4];
        }
        return new Address128(hi, lo);
    }

    private static int parseHex(String part, String text) {
        int v = 0;
        for (int k = 0; k < part.length(); k++) {
            int d = Character.digit(part.charAt(k), 16);
            if (d < 0) {
                throw invalid(text);
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** Four decimal octets 0..255 without leading zeros (which some parsers read as octal). */
    private static long parseV4(String part, String text) {
        long v = 0;
        int octets = 0;
        int i = 0;
        int n = part.length();
        while (i < n) {
            int start = i;
            int octet = 0;
            while (i < n && part.charAt(i) != '.') {
                char c = part.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    throw invalid(text);
                }
                octet = octet * 10 + (c - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || octet > 255 || (len > 1 && part.charAt(start) == '0') || octets == 4) {
                throw invalid(text);
            }
            v = v << 8 | octet;
            octets++;
            if (i < n) {
                i++; // the '.'
                if (i == n) {
                    throw invalid(text);
                }
            }
        }
        if (octets != 4) {
            throw invalid(text);
        }
        return v;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
    }
}
