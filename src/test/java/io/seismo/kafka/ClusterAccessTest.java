package io.seismo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterAccessTest {

    @Test
    void shouldNameTheUserOfAScramLogin() {
        Map<String, Object> config = Map.copyOf(EmbeddedKafka.saslClientSettings("SCRAM-SHA-512", "seismo", "secret"));
        assertEquals("user 'seismo'", ClusterAccess.describeUser(config));
    }

    @Test
    void shouldUnescapeQuotesInTheUserName() {
        Map<String, Object> config = Map.copyOf(EmbeddedKafka.saslClientSettings("SCRAM-SHA-256", "a\"b", "secret"));
        assertEquals("user 'a\"b'", ClusterAccess.describeUser(config));
    }

    @Test
    void shouldNameTheProtocolWhenThereIsNoLogin() {
        assertEquals("the client (PLAINTEXT)", ClusterAccess.describeUser(Map.of()));
        assertEquals("the client (SSL)", ClusterAccess.describeUser(Map.of("security.protocol", "SSL")));
    }
}
