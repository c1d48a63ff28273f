package dev.atmodem;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The atmodem version stamped by the build. Runnable: {@code java -cp modem-api.jar dev.atmodem.Version}. */
public final class Version {

    private Version() {
    }

    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("atmodem-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        System.out.println("atmodem " + get() + " (modem-api). The atmodem command-line tool arrives with the"
                + " examples module; until then this prints the version.");
    }
}
