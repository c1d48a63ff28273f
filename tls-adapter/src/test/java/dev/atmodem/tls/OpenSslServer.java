package dev.atmodem.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** An {@code openssl s_server} on 127.0.0.1 with the given options, its output collected; closed by killing it. */
final class OpenSslServer implements AutoCloseable {

    final int port;
    final List<String> output = new CopyOnWriteArrayList<>();
    private final Process process;

    OpenSslServer(List<String> options) throws IOException, InterruptedException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port));
        cmd.addAll(options);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("(output ended: " + e.getMessage() + ")");
            }
        }, "s_server-output");
        reader.setDaemon(true);
        reader.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (output.stream().noneMatch(l -> l.contains("ACCEPT")) && System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IOException("openssl s_server " + options + " did not start: " + output);
            }
            Thread.sleep(20);
        }
        if (output.stream().noneMatch(l -> l.contains("ACCEPT"))) {
            close();
            throw new IOException("openssl s_server " + options + " never accepted: " + output);
        }
    }

    static boolean available() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether this openssl still knows the cipher string at all (RC4, 3DES and export are often compiled out). */
    static boolean offers(String cipher) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("openssl", "ciphers", cipher + ":@SECLEVEL=0").redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
