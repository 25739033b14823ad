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
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AddressText() {}

    public static boolean isV4Mapped(long hi, long lo) {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED_PREFIX_LO;
    }

    public static String format(long hi, long lo) {
        return appendTo(new StringBuilder(39), hi, lo).toString();
    }

    /** Appends {@link #format}'s text without allocating (for report rows). */
    public static StringBuilder appendTo(StringBuilder sb, long hi, long lo) {
        if (isV4Mapped(hi, lo)) {
            return sb.append(lo >>> 24 & 0xFF).append('.').append(lo >>> 16 & 0xFF).append('.')
                    .append(lo >>> 8 & 0xFF).append('.').append(lo & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952 section 4.2.2: a single zero group is not compressed
        for (int i = 0; i < GROUPS; ) {
            if (group(hi, lo, i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < GROUPS && group(hi, lo, j) == 0) {
                j++;
            }
            if (j - i > bestLen) { // strictly longer: the first run wins a tie (section 4.2.3)
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < GROUPS; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                sb.append(':');
            }
            appendHex(sb, group(hi, lo, i));
        }
        return sb;
    }

    /** Group i (0..7) of the address, 16 bits, most significant first. */
    private static int group(long hi, long lo, int i) {
        return (int) ((i < 4 ? hi : lo) >>> (48 - 16 * (i & 3))) & 0xFFFF;
    }

    /** Lower-case hex without leading zeros (RFC 5952 sections 4.1 and 4.3). */
    private static void appendHex(StringBuilder sb, int v) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = v >>> shift & 0xF;
            if (d != 0 || started || shift == 0) {
                sb.append(HEX[d]);
                started = true;
            }
        }
    }

    /** {@code a.b.c.d:port}, or {@code [v6]:port} as RFC 5952 section 6 recommends. */
    public static String endpoint(long hi, long lo, int port) {
        return appendEndpoint(new StringBuilder(47), hi, lo, port).toString();
    }

    /** Appends {@link #endpoint}'s text without allocating. */
    public static StringBuilder appendEndpoint(StringBuilder sb, long hi, long lo, int port) {
        if (isV4Mapped(hi, lo)) {
            return appendTo(sb, hi, lo).append(':').append(port);
        }
        return appendTo(sb.append('['), hi, lo).append("]:").append(port);
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
