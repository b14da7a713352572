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
        for (String verb : new String[] {"demo", "run", "simulate", "compare", "replay", "models", "config"}) {
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
    void shouldShowAnExampleAndTheExitCodesInTheHelpOfEveryCommand() {
        java.util.List<String[]> commands = new java.util.ArrayList<>();
        collect(SeismoCommand.commandLine(), new java.util.ArrayList<>(), commands);
        assertTrue(commands.size() >= 12, "commands found: " + commands.size());
        for (String[] path : commands) {
            if (path.length > 0 && path[path.length - 1].equals("help")) {
                continue;
            }
            String[] args = java.util.Arrays.copyOf(path, path.length + 1);
            args[path.length] = "--help";
            out.getBuffer().setLength(0);
            assertEquals(0, run(args), String.join(" ", args));
            String help = out.toString();
            assertTrue(help.contains("Example"), String.join(" ", path) + " has no example:\n" + help);
            assertTrue(help.contains("Exit codes:") && help.contains("  0 ") && help.contains("  1 "),
                    String.join(" ", path) + " does not document its exit codes:\n" + help);
        }
    }

    private static void collect(picocli.CommandLine cmd, java.util.List<String> path, java.util.List<String[]> out) {
        out.add(path.toArray(new String[0]));
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(cmd.getCommandName())) {
                java.util.List<String> p = new java.util.ArrayList<>(path);
                p.add(name);
                collect(sub, p, out);
            }
        });
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
    void shouldCompareCellsOnTheSameDataInOneTable() {
        assertEquals(0, run("compare", "--cells", "lstm,gru", "--series", "4", "--steps", "1500", "--set", "train.epochs=3",
                "--set", "model.inputs=value"));
        String table = out.toString();
        for (String row : new String[] {"baseline (last value)", "lstm ", "gru "}) {
            assertTrue(table.lines().anyMatch(l -> l.startsWith(row)), "row " + row + " in\n" + table);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^lstm\\s+(\\d+)\\s+([0-9.]+)\\s+([0-9.]+)").matcher(table);
        assertTrue(m.find(), table);
        assertEquals(4385, Integer.parseInt(m.group(1)), "parameters of a 1x32 LSTM with its head");
        assertTrue(Double.parseDouble(m.group(2)) > 0);
    }

    @Test
    void shouldPrintTheEffectiveConfiguration() {
        assertEquals(0, run("config", "--set", "model.cell=gru"));
        assertTrue(out.toString().contains("model.cell=gru"));
        assertTrue(out.toString().contains("detect.spot.risk=1.0E-4"), out.toString());
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

    /** The options of {@code seismo score} as parsed from {@code args}. */
    private static ScoreCommand parseScore(String... args) {
        ScoreCommand score = new ScoreCommand();
        new CommandLine(score).parseArgs(args);
        return score;
    }

    @Test
    void scoreShouldRetrainByDefaultAndNotWithNoRetrain() {
        assertTrue(parseScore("data", "--out", "r").retrain, "retraining is the default");
        assertTrue(parseScore("data", "--out", "r", "--retrain").retrain);
        org.junit.jupiter.api.Assertions.assertFalse(parseScore("data", "--out", "r", "--no-retrain").retrain, "--no-retrain turns it off");
    }

    @Test
    void scoreShouldDefaultToTheInProcessEngineAndToOneRunPerCore() {
        ScoreCommand score = parseScore("data", "--out", "r");
        assertEquals("in-process", score.engine);
        org.junit.jupiter.api.Assertions.assertNull(score.parallel, "unset: the cores available are used");
        assertEquals("broker", parseScore("data", "--out", "r", "--engine", "broker").engine);
        assertEquals(2, run("score", "data", "--out", "r", "--engine", "carrier-pigeon"), "an unknown engine is refused");
    }
}
