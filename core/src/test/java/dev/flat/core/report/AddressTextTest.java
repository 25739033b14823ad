package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        assertEquals("row," + canonical, AddressText.appendTo(new StringBuilder("row,"), a.hi(), a.lo()).toString(),
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
}
