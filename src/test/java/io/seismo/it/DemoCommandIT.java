package io.seismo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.seismo.cli.SeismoCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's demo command, end to end in-process on its embedded broker (shortened). */
class DemoCommandIT {
    @TempDir
    Path dir;

    @Test
    void shouldStreamDetectTrainAndSummarise() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cmd = SeismoCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(new StringWriter(), true));
        int code = cmd.execute("demo", "--duration", "45s", "--series", "12", "--rate", "40", "--data-dir", dir.toString(),
                "--set", "train.interval.ms=10000");
        String text = out.toString();
        assertEquals(0, code, text);
        assertTrue(text.contains("Broker up at localhost:"), text);
        assertTrue(text.contains("API and metrics: http://127.0.0.1:"), "the HTTP API's address is shown:\n" + text);
        assertTrue(text.matches("(?s).*Dashboard: http://127\\.0\\.0\\.1:\\d+/\\R.*"), "the dashboard's address is shown:\n" + text);
        assertTrue(text.contains("release 1 published"), "a model is trained and published:\n" + text);
        assertTrue(text.contains("OPENED"), "anomalies are shown as they are detected:\n" + text);
        assertTrue(text.contains("dead letter   UNDECODABLE"), "bad input is dead-lettered:\n" + text);
        Matcher m = Pattern.compile("precision ([0-9.]+)\\s+recall ([0-9.]+)").matcher(text);
        assertTrue(m.find(), text);
        double precision = Double.parseDouble(m.group(1));
        double recall = Double.parseDouble(m.group(2));
        assertTrue(precision >= 0.5 && recall >= 0.5, "precision " + precision + " recall " + recall + "\n" + text);
        assertTrue(Files.exists(dir.resolve("kafka")), "the broker kept its data in --data-dir");
    }
}
