package dev.flat.core.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UdpRoleTest {
    private static int word(String fourChars) {
        return ByteBuffer.wrap(fourChars.getBytes(StandardCharsets.US_ASCII)).getInt();
    }

    @ParameterizedTest(name = "''{0}'' on {1}->{2}: {3}")
    @CsvSource({
        // SIP, by port (either side) and the start line
        "'SIP/', 5060, 5060, ANSWER",
        "'SIP/', 40000, 5060, ANSWER",
        "'INVI', 5060, 40000, REQUEST",
        "'BYE ', 5060, 5060, REQUEST",
        "'OPTI', 5060, 5060, REQUEST",
        "'ACK ', 5060, 5060, NEITHER",
        "'invi', 5060, 5060, EITHER",   // methods are upper case
        "' SIP', 5060, 5060, EITHER",
        "'SIP/', 5061, 5062, EITHER",   // not the SIP port: no protocol knowledge
        "'INVI', 7000, 7001, EITHER",
    })
    void sip(String start, int sport, int dport, String role) {
        assertEquals(role(role), UdpRole.of(word(start), 300, sport, dport));
    }

    @ParameterizedTest(name = "type {0}, {1} bytes: {2}")
    @CsvSource({
        "1, 148, REQUEST",
        "2, 92, ANSWER",
        "3, 64, ANSWER",
        "4, 32, NEITHER",
        "4, 48, EITHER",
        "1, 149, EITHER",   // wrong length for the type: not WireGuard
        "2, 148, EITHER",
        "3, 92, EITHER",
        "5, 32, EITHER",
        "0, 32, EITHER",
    })
    void wireguard(int type, int length, String role) {
        assertEquals(role(role), UdpRole.of(type << 24, length, 51820, 51820));
    }

    @ParameterizedTest(name = "reserved bytes {0}")
    @CsvSource({"0x04000001", "0x04010000", "0x01000100"})
    void wireguardNeedsZeroReservedBytes(String word) {
        assertEquals(UdpRole.EITHER, UdpRole.of(Integer.decode(word), 32, 51820, 51820));
        assertEquals(UdpRole.EITHER, UdpRole.of(Integer.decode(word), 148, 51820, 51820));
    }

    @ParameterizedTest
    @CsvSource({"3", "0"})
    void sipShorterThanFourBytesHasNoRole(int length) {
        assertEquals(UdpRole.EITHER, UdpRole.of(word("SIP/"), length, 5060, 5060));
    }

    private static int role(String name) {
        return switch (name) {
            case "EITHER" -> UdpRole.EITHER;
            case "REQUEST" -> UdpRole.REQUEST;
            case "ANSWER" -> UdpRole.ANSWER;
            case "NEITHER" -> UdpRole.NEITHER;
            default -> throw new IllegalArgumentException(name);
        };
    }
}
