package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class DetectorFailureTest {

    @Test
    void shouldFindARefusalAmongTheCauses() {
        TopicAuthorizationException refused = new TopicAuthorizationException("Authorization failed.");
        assertSame(refused, DetectorApp.securityCause(new StreamsException("Could not create topic x.", refused)));
        SaslAuthenticationException login = new SaslAuthenticationException("bad password");
        assertSame(login, DetectorApp.securityCause(new StreamsException(new RuntimeException(login))));
        assertNull(DetectorApp.securityCause(new StreamsException("boom", new IllegalStateException("x"))));
    }

    @Test
    void shouldExplainAFailureWithEveryCauseOnce() {
        StreamsException e = new StreamsException("Could not create topic app-series-state-changelog.",
                new TopicAuthorizationException("Authorization failed."));
        assertEquals("Could not create topic app-series-state-changelog: Authorization failed", DetectorApp.explain(e));
        TopicAuthorizationException inner = new TopicAuthorizationException("Not authorized");
        assertEquals("Not authorized", DetectorApp.explain(new StreamsException(inner)));
    }
}
