package io.seismo.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.seismo.config.SeismoConfig;
import org.junit.jupiter.api.Test;

/** A scoring run's namespace: its own application, state, topics and trainer group, on the event and stream clocks. */
class ScoringRunIsolationTest {
    @Test
    void shouldGiveARunItsOwnNamespaceAndClocks() {
        SeismoConfig base = SeismoConfig.defaults().with(Map.of("serde.format", "registry", "schema.registry.url", "http://registry:8081"));
        Map<String, String> expected = new HashMap<>(base.toMap());
        expected.putAll(Map.ofEntries(Map.entry("application.id", "run-app"), Map.entry("state.dir", Path.of("st").toString()),
                Map.entry("topic.readings", "run-readings"), Map.entry("topic.anomalies", "run-anomalies"),
                Map.entry("topic.training", "run-training"), Map.entry("topic.models", "run-models"),
                Map.entry("topic.deadletter", "run-deadletter"), Map.entry("topic.feedback", "run-feedback"),
                Map.entry("topic.scores", "run-scores"), Map.entry("topic.partitions", "3"), Map.entry("train.group.id", "run-trainer"),
                Map.entry("train.clock", "event"), Map.entry("detect.silence.clock", "stream"), Map.entry("train.cold.start.history.ms", "0"),
                Map.entry("commit.interval.ms", "50"), Map.entry("serde.format", "single-object"),
                Map.entry("bootstrap.servers", "in-process:9092")));
        assertEquals(expected, ScoringRun.isolated(base, "run-", Path.of("st"), 3).toMap());
    }

    @Test
    void shouldKeepTheBrokerOfABaseThatHasOne() {
        SeismoConfig base = SeismoConfig.defaults().with(Map.of("bootstrap.servers", "kafka:9092"));
        assertEquals("kafka:9092", ScoringRun.isolated(base, "run-", Path.of("st"), 1).cluster().bootstrapServers());
    }
}
