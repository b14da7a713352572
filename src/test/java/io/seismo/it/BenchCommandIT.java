package io.seismo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** {@code seismo bench}, small: every figure it promises is printed, and measured (not zero, not missing). */
class BenchCommandIT {
    @Test
    void shouldPrintThroughputOfBothTopologiesTheirRatioLatencyStateAndMemory() {
        BrokerTestSupport.Cli cli = new BrokerTestSupport.Cli();
        StringWriter out = cli.out;
        StringWriter err = cli.err;
        int code = cli.run("bench", "--records", "20000", "--keys", "200", "--partitions", "2", "--hidden", "8", "--rate", "500",
                "--latency-seconds", "3");
        String text = out.toString();
        assertEquals(0, code, text + err);
        for (String topology : new String[] {"pass-through", "detector"}) {
            Matcher m = Pattern.compile("(?m)^" + topology + "\\s+([0-9,]+)\\s+([0-9.]+)\\s+[0-9,]+\\s+([0-9,]+)").matcher(text);
            assertTrue(m.find(), topology + " row in\n" + text);
            assertTrue(Long.parseLong(m.group(1).replace(",", "")) > 0, text);
            assertTrue(Long.parseLong(m.group(3).replace(",", "")) > 0, "allocation measured\n" + text);
        }
        Matcher ratio = Pattern.compile("ratio detector / pass-through: ([0-9.]+)").matcher(text);
        assertTrue(ratio.find() && Double.parseDouble(ratio.group(1)) > 0, text);
        Matcher state = Pattern.compile("state per series: ([0-9,]+) bytes").matcher(text);
        assertTrue(state.find() && Long.parseLong(state.group(1).replace(",", "")) > 100, "an LSTM state is hundreds of bytes\n" + text);
        for (String who : new String[] {"pass-through", "detector"}) {
            Matcher latency = Pattern.compile(who + ":\\s+p50 ([0-9]+) ms, p99 ([0-9]+) ms, max [0-9]+ ms \\(([0-9,]+) readings").matcher(text);
            assertTrue(latency.find(), who + " latency in\n" + text);
            assertTrue(Long.parseLong(latency.group(3).replace(",", "")) > 1000, "most of the 1,500 offered readings measured\n" + text);
            assertTrue(Long.parseLong(latency.group(1)) <= Long.parseLong(latency.group(2)), text);
        }
        assertTrue(text.contains("heap used after GC") && text.contains("RSS"), text);
    }
}
