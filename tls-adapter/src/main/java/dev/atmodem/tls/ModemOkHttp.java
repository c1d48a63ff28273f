package dev.atmodem.tls;

import dev.atmodem.Modem;
import okhttp3.Dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** OkHttp glue: name resolution through the modem's DNS. Needs OkHttp on the class path. */
public final class ModemOkHttp {

    private ModemOkHttp() {
    }

    /**
     * A {@link Dns} that asks the modem. The addresses keep the host name, so the modem socket factory still dials
     * by name.
     */
    public static Dns dns(Modem modem) {
        return host -> {
            try {
                return List.copyOf(modem.resolve(host));
            } catch (IOException e) {
                UnknownHostException u = new UnknownHostException(host + ": " + e.getMessage());
                u.initCause(e);
                throw u;
            }
        };
    }

    /** The same lookup as a plain function, for clients other than OkHttp. */
    public static List<InetAddress> resolve(Modem modem, String host) throws IOException {
        return modem.resolve(host);
    }
}
