package dev.atmodem.at;

import dev.atmodem.testing.Feed;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static dev.atmodem.at.ParserRecorder.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The framing items of shared/QUIRKS.md at the parser level, each fed whole, one byte at a time and in random pieces
 * (QUIRKS 8 is the feeding itself).
 */
class AtParserTest {

    private static ParserRecorder quectel() {
        ParserRecorder r = new ParserRecorder();
        r.parser.addPayloadRule(PayloadRule.afterLine("\\+QIRD: (\\d+)", 1));
        r.parser.addPayloadRule(PayloadRule.afterLine("\\+QIURC: \"recv\",\\d+,(\\d+)", 1));
        return r;
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk1_echoAndOkAreSeparateLines(Feed feed) {
        ParserRecorder r = new ParserRecorder().feed("AT\r\r\nOK\r\nATE0\r\r\nOK\r\n", feed);
        assertEquals(List.of("L:AT", "L:OK", "L:ATE0", "L:OK"), r.events);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk2_quectelPromptHasNoLineEnd(Feed feed) {
        ParserRecorder r = new ParserRecorder();
        r.parser.armPrompt(">");
        r.feed("AT+QISEND=0,5\r\r\n> ", feed);
        assertEquals(List.of("L:AT+QISEND=0,5", "P:>"), r.events);
        r.parser.armPrompt("");
        r.feed("\r\nSEND OK\r\n", feed);
        assertEquals(List.of("L:AT+QISEND=0,5", "P:>", "L:SEND OK"), r.events);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk2_ubloxPromptIsAnAtSignAfterCrLf(Feed feed) {
        ParserRecorder r = new ParserRecorder();
        r.parser.armPrompt("@");
        r.feed("AT+USOWR=0,4\r\r\n@", feed);
        assertEquals(List.of("L:AT+USOWR=0,4", "P:@"), r.events);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk2_promptCharactersAreTextWhenNoPromptIsExpected(Feed feed) {
        ParserRecorder r = new ParserRecorder().feed("\r\n> hello\r\n@home\r\n", feed);
        assertEquals(List.of("L:> hello", "L:@home"), r.events);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk3_binaryPayloadWithCrLfNulAndCtrlZIsFramedByLengthOnly(Feed feed) {
        String data = "a\r\n\0\u001aOK\r\n";
        ParserRecorder r = quectel().feed("\r\n+QIRD: " + data.length() + "\r\n" + data + "\r\n\r\nOK\r\n", feed);
        assertEquals(List.of("D:+QIRD: " + data.length() + "|" + hex(data), "L:OK"), r.events);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk3_allFamiliesPayloadForms(Feed feed) {
        ParserRecorder r = new ParserRecorder();
        r.parser.addPayloadRule(PayloadRule.afterLine("\\+CIPRXGET: 2,\\d+,(\\d+),\\d+", 1));
        r.parser.addPayloadRule(PayloadRule.afterLine("\\+RECEIVE,\\d+,(\\d+):", 1));
        r.parser.addPayloadRule(PayloadRule.afterLine("\\+QIURC: \"recv\",\\d+,(\\d+)", 1));
        r.parser.addPayloadRule(PayloadRule.inline("\\+USORD: \\d+,(\\d+),\"", 1, '"', "\""));
        r.feed("\r\n+CIPRXGET: 2,0,4,0\r\n\r\n\r\n\r\nOK\r\n"
                + "\r\n+RECEIVE,0,12:\r\nHTTP/1.1 200\r\n"
                + "\r\n+QIURC: \"recv\",0,3\r\n\n\r\n"
                + "\r\n+USORD: 0,5,\"ab\"\r\n\"\r\nOK\r\n", feed);
        assertEquals(List.of(
                "D:+CIPRXGET: 2,0,4,0|" + hex("\r\n\r\n"), "L:OK",
                "D:+RECEIVE,0,12:|" + hex("HTTP/1.1 200"),
                "D:+QIURC: \"recv\",0,3|" + hex("\n\r\n"),
                "D:+USORD: 0,5,\"|" + hex("ab\"\r\n"), "L:OK"), r.events);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk4_whatFollowsAPayloadVaries(Feed feed) {
        ParserRecorder r = new ParserRecorder();
        r.parser.addPayloadRule(PayloadRule.afterLine("\\+CIPRXGET: 2,\\d+,(\\d+),\\d+", 1));
        r.parser.addPayloadRule(PayloadRule.inline("\\+USORD: \\d+,(\\d+),\"", 1, '"', "\""));
        // SIM800: OK straight after the data with only LF; u-blox: OK with no leading CRLF.
        r.feed("\r\n+CIPRXGET: 2,0,7,0\r\nCache-C\nOK\r\n+USORD: 0,2,\"hi\"OK\r\n", feed);
        assertEquals(List.of("D:+CIPRXGET: 2,0,7,0|" + hex("Cache-C"), "L:OK",
                "D:+USORD: 0,2,\"|" + hex("hi"), "L:OK"), r.events);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk5_sendOkRunsStraightIntoTheNextEcho(Feed feed) {
        ParserRecorder r = quectel().feed("\r\nSEND OK\r\nAT+QIRD=0\r\r\n+QIRD: 0\r\n\r\nOK\r\n", feed);
        assertEquals(List.of("L:SEND OK", "L:AT+QIRD=0", "D:+QIRD: 0|", "L:OK"), r.events);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk6_bareIpLineIsAnOrdinaryLine(Feed feed) {
        ParserRecorder r = new ParserRecorder().feed("AT+CIFSR\r\r\n10.45.2.7\r\n", feed);
        assertEquals(List.of("L:AT+CIFSR", "L:10.45.2.7"), r.events);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk7_noSpaceAfterColonAndCommaSpaceForms(Feed feed) {
        ParserRecorder r = new ParserRecorder().feed("\r\n+CGATT:0\r\n+UDCP:1\r\n0, CONNECT OK\r\n1, SEND FAIL\r\n",
                feed);
        assertEquals(List.of("L:+CGATT:0", "L:+UDCP:1", "L:0, CONNECT OK", "L:1, SEND FAIL"), r.events);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk9_urcsInsideAResponseStayInOrder(Feed feed) {
        ParserRecorder r = new ParserRecorder().feed(
                "AT+CPIN?\r\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\n+CPIN: READY\r\n\r\nOK\r\n", feed);
        assertEquals(List.of("L:AT+CPIN?", "L:RDY", "L:+CFUN: 1", "L:+CPIN: READY", "L:+CPIN: READY", "L:OK"),
                r.events);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk13_errorTextsVary(Feed feed) {
        ParserRecorder r = new ParserRecorder().feed("\r\nERROR\r\n\r\n+CME ERROR: 564\r\n"
                + "\r\n+CME ERROR: operation not allowed\r\n\r\n+CME ERROR: CFUN state is 0 or 4\r\n", feed);
        assertEquals(List.of("L:ERROR", "L:+CME ERROR: 564", "L:+CME ERROR: operation not allowed",
                "L:+CME ERROR: CFUN state is 0 or 4"), r.events);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void quirk14_rebootNoiseIsDroppedFromLines(Feed feed) {
        byte[] noisy = {0, 0, 'R', 'D', 'Y', '\r', '\n', (byte) 0xff, (byte) 0xff, '\r', '\n', (byte) 0xc3, 'A', 'P',
            'P', ' ', 'R', 'D', 'Y', '\r', '\n', 0, '+', 'C', 'F', 'U', 'N', ':', ' ', '1', '\r', '\n'};
        ParserRecorder r = new ParserRecorder().feed(noisy, feed);
        assertEquals(List.of("L:RDY", "L:APP RDY", "L:+CFUN: 1"), r.events);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void overlongLineIsReportedAndSkippedWithBoundedMemory(Feed feed) {
        ParserRecorder r = new ParserRecorder(64, 1024);
        r.feed("x".repeat(500) + "\r\nOK\r\n", feed);
        assertEquals(2, r.events.size(), r.events.toString());
        assertTrue(r.events.get(0).startsWith("M:a line longer than 64 bytes"), r.events.get(0));
        assertEquals("L:OK", r.events.get(1));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void impossiblePayloadLengthsAreReportedNotAllocated(Feed feed) {
        ParserRecorder r = new ParserRecorder(256, 1500);
        r.parser.addPayloadRule(PayloadRule.afterLine("\\+QIRD: (-?\\d+)", 1));
        r.feed("+QIRD: 2147483647\r\n+QIRD: -5\r\n+QIRD: 99999999999999\r\nOK\r\n", feed);
        assertEquals(4, r.events.size(), r.events.toString());
        for (int i = 0; i < 3; i++) {
            assertTrue(r.events.get(i).startsWith("M:the modem announced a payload"), r.events.get(i));
        }
        assertEquals("L:OK", r.events.get(3));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void aPlausibleButTooLargePayloadIsSkippedByLengthNotReadAsLines(Feed feed) {
        ParserRecorder r = new ParserRecorder(256, 100);
        r.parser.addPayloadRule(PayloadRule.afterLine("\\+QIRD: (\\d+)", 1));
        String inside = ("\r\nOK\r\n+QIURC: \"closed\",0\r\n" + "x".repeat(200)).substring(0, 150);
        r.feed("+QIRD: 150\r\n" + inside + "\r\nOK\r\n", feed);
        assertEquals(2, r.events.size(), r.events.toString());
        assertTrue(r.events.get(0).startsWith("M:the modem announced a payload of 150 bytes"), r.events.get(0));
        assertEquals("L:OK", r.events.get(1));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void zeroLengthPayloadLeavesTheFollowingOkALine(Feed feed) {
        ParserRecorder r = quectel().feed("\r\n+QIRD: 0\r\n\r\nOK\r\n", feed);
        assertEquals(List.of("D:+QIRD: 0|", "L:OK"), r.events);
    }
}
