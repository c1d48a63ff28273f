package dev.atmodem.examples;

import dev.atmodem.tls.ModemTls;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Trust and client identity for the commands that speak TLS. */
public final class TlsOptions {

    @Option(names = "--ca", paramLabel = "PEM",
            description = "Trust only these root certificates (PEM). Default: the JDK's root certificates.")
    public Path ca;

    @Option(names = "--cert", paramLabel = "PEM", description = "Client certificate chain (PEM), for mutual TLS.")
    public Path cert;

    @Option(names = "--key", paramLabel = "PEM", description = "The client certificate's private key (PEM).")
    public Path key;

    /** A {@link ModemTls} from these options. */
    public ModemTls build() throws IOException {
        ModemTls.Builder b = ModemTls.builder();
        if (ca != null) {
            requireFile(ca, "--ca");
            b.trustPem(ca);
        } else {
            b.trustSystemRoots();
        }
        if ((cert == null) != (key == null)) {
            throw new CliException("give --cert and --key together (a client certificate needs its private key)");
        }
        if (cert != null) {
            requireFile(cert, "--cert");
            requireFile(key, "--key");
            b.identity(cert, key);
        }
        return b.build();
    }

    private static void requireFile(Path p, String option) {
        if (!Files.isRegularFile(p)) {
            throw new CliException(option + ": no such file: " + p);
        }
        if (!Files.isReadable(p)) {
            throw new CliException(option + ": cannot read " + p + " (permissions?)");
        }
    }
}
