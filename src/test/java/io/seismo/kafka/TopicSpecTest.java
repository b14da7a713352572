package io.seismo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

    @Test
    void compactedTopicHasCompactPolicyAndMaxMessageBytes() {
        TopicSpec spec = TopicSpec.compacted("state", 3, 9_000_000);
        assertEquals("state", spec.name());
        assertEquals(3, spec.partitions());
        assertEquals(
                Map.of("cleanup.policy", "compact", "max.message.bytes", "9000000"), spec.configs());
    }

    @Test
    void plainAndRetainedTopics() {
        assertTrue(TopicSpec.of("plain", 1).configs().isEmpty());
        assertEquals(Map.of("retention.ms", "3600000"), TopicSpec.retained("r", 1, 3_600_000).configs());
    }

    @Test
    void withConfigReturnsACopyAndLeavesTheOriginalUnchanged() {
        TopicSpec plain = TopicSpec.of("t", 1);
        TopicSpec tuned = plain.withConfig("segment.bytes", "1048576");
        assertTrue(plain.configs().isEmpty());
        assertEquals(Map.of("segment.bytes", "1048576"), tuned.configs());
    }

    @Test
    void configsAreCopiedAndUnmodifiable() {
        Map<String, String> configs = new HashMap<>(Map.of("a", "1"));
        TopicSpec spec = new TopicSpec("t", 1, configs);
        configs.put("b", "2");
        assertEquals(Map.of("a", "1"), spec.configs());
        assertThrows(UnsupportedOperationException.class, () -> spec.configs().put("c", "3"));
    }

    @Test
    void rejectsBlankNamesAndFewerThanOnePartition() {
        assertThrows(IllegalArgumentException.class, () -> TopicSpec.of(" ", 1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TopicSpec.of("t", 0));
        assertTrue(e.getMessage().contains("at least 1 partition"), e.getMessage());
    }
}
