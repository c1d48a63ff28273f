package dev.atmodem.examples;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "tls-check", mixinStandardHelpOptions = true, description = "(not written yet)")
public final class TlsCheckCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new CliException("not written yet");
    }
}
