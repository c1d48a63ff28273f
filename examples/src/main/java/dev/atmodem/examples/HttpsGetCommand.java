package dev.atmodem.examples;

import dev.atmodem.tls.ModemOkHttp;
import dev.atmodem.tls.ModemTls;
import okhttp3.Handshake;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Fetches a URL over HTTPS with OkHttp through the modem (DNS on the modem, TLS by ModemTls). */
@Command(name = "https-get", mixinStandardHelpOptions = true,
        description = {"GET an https:// URL through the modem with OkHttp: the body to stdout (or --out FILE);"
                + " status, protocol, cipher and bytes on the serial line to stderr."})
public final class HttpsGetCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    TlsOptions tls;

    @Parameters(index = "0", paramLabel = "URL", description = "An https:// URL.")
    String url;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the body to FILE instead of stdout.")
    Path outFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Overall time limit of the request (default ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null || !parsed.isHttps()) {
            throw new CliException("expected an https:// URL, got '" + url + "'");
        }
        ModemTls modemTls = tls.build();
        long start = System.nanoTime();
        try (ModemConnector.Connection c = ModemConnector.open(common)) {
            long afterOpen = c.bytesToModem() + c.bytesFromModem();
            OkHttpClient http = new OkHttpClient.Builder()
                    .socketFactory(c.modem().socketFactory())
                    .sslSocketFactory(modemTls.socketFactory(c.modem()), modemTls.trustManager())
                    .dns(ModemOkHttp.dns(c.modem()))
                    .callTimeout(Duration.ofSeconds(timeoutSeconds))
                    .connectTimeout(Duration.ofSeconds(timeoutSeconds))
                    .readTimeout(Duration.ofSeconds(timeoutSeconds))
                    .build();
            long bodyBytes;
            int status;
            String protocolLine;
            Response response;
            try {
                response = http.newCall(new Request.Builder().url(parsed).build()).execute();
            } catch (java.io.IOException e) {
                if (c.simulator() != null) {
                    throw new CliException(AtmodemCli.message(e) + " (a simulated modem reaches only 127.0.0.0/8,"
                            + " by address or by the names in its DNS table: localhost, broker.test, --sim-name)", e);
                }
                throw e;
            }
            try (Response r = response) {
                status = r.code();
                Handshake h = r.handshake();
                protocolLine = r.protocol() + (h == null ? "" : " over " + h.tlsVersion().javaName() + ", "
                        + h.cipherSuite().javaName());
                ResponseBody body = r.body();
                if (body == null) {
                    bodyBytes = 0;
                } else if (outFile != null) {
                    try (InputStream in = body.byteStream(); OutputStream o = Files.newOutputStream(outFile)) {
                        bodyBytes = in.transferTo(o);
                    }
                } else {
                    String text = body.string();
                    bodyBytes = text.length();
                    out.print(text);
                    out.flush();
                }
            } finally {
                http.dispatcher().executorService().shutdown();
                http.connectionPool().evictAll();
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            err.println("HTTP " + status + ", " + protocolLine);
            err.println(bodyBytes + (outFile != null ? " B written to " + outFile : " characters of body")
                    + "; serial line: " + c.bytesToModem() + " B to the modem, " + c.bytesFromModem()
                    + " B from it (" + (c.bytesToModem() + c.bytesFromModem() - afterOpen)
                    + " B for the request itself); " + ms + " ms");
            err.flush();
            return status >= 200 && status < 400 ? 0 : 1;
        }
    }
}
