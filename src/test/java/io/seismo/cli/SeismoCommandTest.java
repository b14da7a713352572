package io.seismo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;
import org.junit.jupiter.api.Test;

class SeismoCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = SeismoCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void shouldListEveryVerbInHelp() {
        assertEquals(0, run("--help"));
        for (String verb : new String[] {"demo", "run", "simulate"}) {
            assertTrue(out.toString().contains(verb), out.toString());
        }
    }

    @Test
    void shouldGiveHelpForEachVerb() {
        assertEquals(0, run("demo", "--help"));
        assertTrue(out.toString().contains("--duration"));
        assertEquals(0, run("run", "--help"));
        assertTrue(out.toString().contains("--role"));
    }

    @Test
    void shouldStopWithOneClearLineOnABadConfigValue() {
        int code = run("run", "--set", "model.layers=9");
        assertEquals(2, code);
        String message = err.toString().trim();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("model.layers=9: must be between 1 and 3"), message);
    }

    @Test
    void shouldRejectAnUnknownRole() {
        int code = run("run", "--role", "janitor");
        assertEquals(2, code);
        assertTrue(err.toString().contains("janitor"));
    }

    @Test
    void shouldParseHumanDurations() {
        DurationConverter c = new DurationConverter();
        assertEquals(java.time.Duration.ofSeconds(90), c.convert("90s"));
        assertEquals(java.time.Duration.ofMinutes(5), c.convert("5m"));
        assertEquals(java.time.Duration.ofMillis(250), c.convert("250ms"));
        assertEquals(java.time.Duration.ofSeconds(90), c.convert("PT90S"));
        org.junit.jupiter.api.Assertions.assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("soon"));
    }
}
