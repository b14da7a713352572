package io.seismo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seismo evaluate --synthetic} end to end on its own embedded broker: a small labelled synthetic set, generated
 * from a seed, scored by the production topology in event time with retraining; recall and false alarms are held to
 * conservative levels (docs/quality.md has the full-size figures).
 */
class SyntheticEvaluationIT {
    private static final Pattern KIND = Pattern.compile("\\| (\\w+) \\| (\\d+) \\| (\\d+) \\|");
    private static final Pattern FALSE_ALARMS = Pattern.compile("([0-9.]+) false alarms per 10,000 normal readings");

    @TempDir
    Path temp;

    @Test
    void shouldCatchMostInjectedAnomaliesWithFewFalseAlarms() throws Exception {
        BrokerTestSupport.Cli cli = new BrokerTestSupport.Cli();
        StringWriter out = cli.out;
        StringWriter err = cli.err;
        int code = cli.run("evaluate", "--synthetic", "--series", "4", "--steps", "4000", "--seed", "11", "--out", temp.toString());
        assertEquals(0, code, out.toString() + err);
        String report = Files.readString(temp.resolve("synthetic.md"));
        Map<String, int[]> kinds = new HashMap<>();
        Matcher m = KIND.matcher(report);
        int caught = 0;
        int total = 0;
        while (m.find()) {
            int c = Integer.parseInt(m.group(2));
            int t = Integer.parseInt(m.group(3));
            kinds.put(m.group(1), new int[] {c, t});
            caught += c;
            total += t;
        }
        assertEquals(8, kinds.size(), report);
        assertTrue(total >= 15, "enough anomalies to judge: " + report);
        assertTrue((double) caught / total >= 0.6, "recall over every kind: " + report);
        int[] sharp = {0, 0};
        for (String kind : new String[] {"spike", "dip", "stuck"}) {
            sharp[0] += kinds.get(kind)[0];
            sharp[1] += kinds.get(kind)[1];
        }
        assertTrue((double) sharp[0] / sharp[1] >= 0.75, "recall of spikes, dips and stuck sensors: " + report);
        Matcher fa = FALSE_ALARMS.matcher(report);
        assertTrue(fa.find(), report);
        assertTrue(Double.parseDouble(fa.group(1)) <= 5.0, "false alarms per 10,000 normal readings: " + report);
    }
}
