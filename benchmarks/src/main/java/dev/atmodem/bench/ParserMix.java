package dev.atmodem.bench;

import dev.atmodem.at.AtParser;
import dev.atmodem.at.PayloadRule;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * What the AT parser sees on a busy line: read responses of the three families with binary payloads (which contain
 * CR, LF and quotes, framed by length alone), echoes, send acknowledgements, data URCs and status lines.
 */
final class ParserMix {

    private ParserMix() {
    }

    /** About {@code size} bytes of the mix; the same bytes for the same seed. */
    static byte[] build(int size, long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 4096);
        int turn = 0;
        while (out.size() < size) {
            switch (turn++ % 6) {
                case 0 -> { // BG96 buffer read
                    text(out, "AT+QIRD=0,1500\r\r\n+QIRD: 1500\r\n");
                    out.writeBytes(payload(r, 1500));
                    text(out, "\r\n\r\nOK\r\n");
                }
                case 1 -> { // SIM800 manual read
                    text(out, "AT+CIPRXGET=2,0,1460\r\r\n+CIPRXGET: 2,0,1460,0\r\n");
                    out.writeBytes(payload(r, 1460));
                    text(out, "\r\nOK\r\n");
                }
                case 2 -> { // SARA read, payload inline in quotes
                    text(out, "AT+USORD=0,1024\r\r\n+USORD: 0,1024,\"");
                    out.writeBytes(payload(r, 1024));
                    text(out, "\"\r\nOK\r\n");
                }
                case 3 -> text(out, "\r\nSEND OK\r\n\r\n+QIURC: \"recv\",0\r\n");
                case 4 -> text(out, "AT+CSQ\r\r\n+CSQ: 20,99\r\n\r\nOK\r\n\r\n+CEREG: 1\r\n");
                default -> text(out, "\r\n+USOWR: 0,1024\r\n\r\nOK\r\n\r\n+UUSORD: 0,1024\r\n");
            }
        }
        return out.toByteArray();
    }

    /** A parser with the three families' payload rules, as the drivers register them. */
    static AtParser parser(AtParser.Listener listener) {
        AtParser p = new AtParser(listener);
        p.addPayloadRule(PayloadRule.afterLine("\\+QIRD: (\\d+)", 1));
        p.addPayloadRule(PayloadRule.afterLine("\\+CIPRXGET: ?2,\\d+,(\\d+),\\d+", 1));
        p.addPayloadRule(PayloadRule.inline("\\+USORD: ?(\\d+),(\\d+),\"", 2, '"', "\""));
        return p;
    }

    private static byte[] payload(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static void text(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
