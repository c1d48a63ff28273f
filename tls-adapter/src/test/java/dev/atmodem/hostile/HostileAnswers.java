package dev.atmodem.hostile;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.atmodem.testkit.hostile.HostileBytes;
import dev.atmodem.testkit.hostile.HostileModem.Reaction;

import java.io.ByteArrayOutputStream;

/**
 * Turns fuzzer bytes into a hostile modem's reactions to commands: mostly the real answer (so a run gets past
 * bring-up into sockets), sometimes a replaced answer or extra lines, built from the answer and URC shapes of every
 * dialect with fuzzed numbers (negative, huge, 2^31-1) and raw fuzzed bytes.
 */
final class HostileAnswers {

    /** Answer and URC shapes of all families; %d takes a fuzzed number. */
    private static final String[] SHAPES = {
        "OK", "ERROR", "+CME ERROR: %d", "+CMS ERROR: %d", "> ", "@", "SEND OK", "SEND FAIL", "CLOSED", "NO CARRIER",
        "RDY", "APP RDY", "+CPIN: READY", "+CPIN: SIM PIN", "+CSQ: %d,%d", "+CREG: %d,%d", "+CGREG: %d,%d",
        "+CEREG: %d,%d", "+COPS: 0,0,\"x\",%d", "+CGATT: %d", "%d.%d.%d.%d",
        // Quectel
        "+QIOPEN: %d,%d", "+QIRD: %d", "+QIURC: \"recv\",%d", "+QIURC: \"closed\",%d", "+QIURC: \"pdpdeact\",%d",
        "+QISEND: %d,%d,%d", "+QIDNSGIP: %d,%d,%d", "+QIDNSGIP: \"%d.%d.%d.%d\"", "+QIACT: 1,1,1,\"10.0.0.%d\"",
        "+QISTATE: %d,\"TCP\",\"127.0.0.1\",%d,0,2,1,%d,0,\"usbmodem\"",
        // SIMCom
        "%d, CONNECT OK", "%d, CONNECT FAIL", "%d, CLOSED", "%d, SEND OK", "%d, SEND FAIL", "%d, ALREADY CONNECT",
        "+RECEIVE,%d,%d:", "+CIPRXGET: 1,%d", "+CIPRXGET: 2,%d,%d,%d", "+CIPRXGET: 4,%d,%d", "STATE: IP STATUS",
        "STATE: IP INITIAL", "+PDP: DEACT", "+CDNSGIP: 1,\"x\",\"%d.%d.%d.%d\"", "+CDNSGIP: 0,%d", "SHUT OK",
        "C: %d,0,\"TCP\",\"127.0.0.1\",\"%d\",\"CONNECTED\"",
        // u-blox
        "+USOCR: %d", "+USOWR: %d,%d", "+USORD: %d,%d,\"", "+USORD: %d,%d", "+UUSORD: %d,%d", "+UUSOCL: %d",
        "+UUPSDD: %d", "+UUPSDA: %d,\"10.0.0.%d\"", "+UPSND: 0,%d,%d", "+UDNSRN: \"%d.%d.%d.%d\"",
        "+USOCTL: %d,%d,%d", "+UUSOCO: %d,%d", "+CGACT: %d,%d",
        // u-connectXpress (NINA-W)
        "+UUDPC: %d,2,0,\"127.0.0.1\",%d,\"127.0.0.1\",%d", "+UUDPD: %d", "+UDCP: %d", "+UUWLE: 0,%d,%d",
        "+UUWLD: 0,%d", "+UUNU: %d", "+UUND: %d", "+UNSTAT: 0,%d,\"%d.%d.%d.%d\"", "+STARTUP",
    };

    private HostileAnswers() {
    }

    /** The reaction to one command, decided by the fuzzer; PASS once its bytes run out. */
    static Reaction next(FuzzedDataProvider data) {
        if (data.remainingBytes() == 0) {
            return Reaction.PASS;
        }
        int kind = data.consumeInt(0, 11);
        return switch (kind) {
            case 8 -> Reaction.replace(lines(data));
            case 9 -> Reaction.thenInject(lines(data));
            case 10 -> Reaction.replace(data.consumeBytes(data.consumeInt(0, 96)));
            case 11 -> Reaction.thenInject(data.consumeBytes(data.consumeInt(0, 96)));
            default -> Reaction.PASS;
        };
    }

    static byte[] lines(FuzzedDataProvider data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = data.consumeInt(1, 4);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            String shape = SHAPES[data.consumeInt(0, SHAPES.length - 1)];
            StringBuilder line = new StringBuilder();
            for (int at = 0; at < shape.length(); at++) {
                if (shape.startsWith("%d", at)) {
                    line.append(number(data));
                    at++;
                } else {
                    line.append(shape.charAt(at));
                }
            }
            out.writeBytes(HostileBytes.of("\r\n" + line + (data.consumeBoolean() ? "\r\n" : "")));
            if (data.consumeBoolean()) {
                out.writeBytes(data.consumeBytes(data.consumeInt(0, 64))); // a payload, or noise
            }
        }
        return out.toByteArray();
    }

    private static long number(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> data.consumeInt(0, 6);             // socket ids, states
            case 1 -> data.consumeInt(-2, 1600);         // lengths around the chunk limits
            case 2 -> data.consumeBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
            default -> data.consumeLong();
        };
    }
}
