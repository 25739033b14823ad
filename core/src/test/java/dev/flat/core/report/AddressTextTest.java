package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTextTest {

    /** Input forms from RFC 4291 section 2.2 and RFC 5952 section 2, with the RFC 5952 section 4 text. */
    @ParameterizedTest
    @CsvSource({
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",         // 5952 s4.2.3: first of two equal runs
        "2001:0db8:0:0:0:0:2:1, 2001:db8::2:1",            // 5952 s4.1: leading zeros dropped
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",      // 5952 s4.2.2: one zero group stays
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",               // 5952 s4.2.3: the longest run wins
        "2001:DB8::AAAA:1, 2001:db8::aaaa:1",              // 5952 s4.3: lower case
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "1:0:0:0:0:0:0:0, 1::",
        "fe80::1:2:3:4, fe80::1:2:3:4",
        "::ffff:192.0.2.1, 192.0.2.1",                     // IPv4-mapped prints as a dotted quad
        "::192.0.2.1, ::c000:201",                         // deprecated IPv4-compatible is plain IPv6
        "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
        "192.0.2.255, 192.0.2.255",
        "0.0.0.0, 0.0.0.0",
    })
    void formatsCanonically(String input, String canonical) {
        Address128 a = AddressText.parse(input);
        assertEquals("row," + canonical, AddressText.appendTo(new AsciiBuilder(0).append("row,"), a.hi(), a.lo()).toString(),
                "appended after other text, as in a report row");
        assertEquals(canonical, AddressText.format(a.hi(), a.lo()));
        assertEquals(a, AddressText.parse(canonical), "canonical text parses back to the same address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4.", "1..2.3",
        ":", ":::", "1:2", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1::2:3:4:5:6:7:8", "g::1",
        "fe80::1%eth0", "[::1]", "::1/128", "localhost", "1:2:3:4:5:6:7:", ":1:2:3:4:5:6:7",
        "::ffff:1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4"})
    void rejectsWhatIsNotAnAddress(String text) {
        assertThrows(IllegalArgumentException.class, () -> AddressText.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.1, 53, 10.0.0.1:53", "2001:db8::1, 443, [2001:db8::1]:443"})
    void endpointsBracketIpv6(String addr, int port, String expected) {
        Address128 a = AddressText.parse(addr);
        assertEquals(expected, AddressText.endpoint(a.hi(), a.lo(), port));
    }

    @Test
    void everyOctetAndRandomAddressesReadBack() {
        SplittableRandom random = new SplittableRandom(5952);
        AsciiBuilder text = new AsciiBuilder(0);
        for (int i = 0; i < 100_000; i++) {
            int v4 = i < 256 ? i * 0x0101_0101 : random.nextInt();
            String quad = (v4 >>> 24) + "." + (v4 >>> 16 & 0xFF) + "." + (v4 >>> 8 & 0xFF) + "." + (v4 & 0xFF);
            long lo = 0x0000_FFFFL << 32 | (v4 & 0xFFFF_FFFFL);
            assertEquals(quad, AddressText.appendTo(text.reset(), 0, lo).toString());
            assertEquals(quad + ":" + (i & 0xFFFF), AddressText.endpoint(0, lo, i & 0xFFFF));

            // groups of every hex width, with zero runs of every length and position
            long hi = 0;
            long lo6 = 0;
            for (int g = 0; g < 8; g++) {
                int group = random.nextInt(3) == 0 ? 0 : random.nextInt(1 << 4 * (1 + random.nextInt(4)));
                if (g < 4) {
                    hi = hi << 16 | group;
                } else {
                    lo6 = lo6 << 16 | group;
                }
            }
            String canonical = AddressText.format(hi, lo6);
            if (!AddressText.isV4Mapped(hi, lo6)) {
                assertEquals(rfc5952(hi, lo6), canonical);
            }
            assertEquals(new Address128(hi, lo6), AddressText.parse(canonical), canonical);
            assertEquals(canonical, AddressText.appendTo(text.reset(), hi, lo6).toString());
            assertEquals(canonical.toLowerCase(java.util.Locale.ROOT), canonical);
            assertEquals(false, canonical.contains(":::") || canonical.matches(".*(^|:)0[0-9a-f].*"), canonical);
        }
    }

    /** RFC 5952 section 4 spelled out on strings, as an independent reference. */
    private static String rfc5952(long hi, long lo) {
        String[] groups = new String[8];
        for (int g = 0; g < 8; g++) {
            groups[g] = Integer.toHexString((int) ((g < 4 ? hi : lo) >>> (48 - 16 * (g % 4))) & 0xFFFF);
        }
        String full = ":" + String.join(":", groups) + ":";
        for (int run = 8; run >= 2; run--) { // the longest run first; indexOf finds the first of equals
            String zeros = ":0".repeat(run) + ":";
            int at = full.indexOf(zeros);
            if (at >= 0) {
                full = full.substring(0, at) + "::" + full.substring(at + zeros.length());
                break;
            }
        }
        String text = full.replace(":::", "::");
        text = text.startsWith("::") ? text : text.substring(1);
        return text.endsWith("::") ? text : text.substring(0, text.length() - 1);
    }
}
