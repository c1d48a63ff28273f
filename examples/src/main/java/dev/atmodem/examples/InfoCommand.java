package dev.atmodem.examples;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true, description = "(not written yet)")
public final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new CliException("not written yet");
    }
}
