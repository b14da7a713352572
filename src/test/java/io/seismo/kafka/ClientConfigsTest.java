package io.seismo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientConfigsTest {

    @Test
    void producerAcceptsEightMegabyteRecordsWithAcksAll() {
        Map<String, Object> c = ClientConfigs.producer("localhost:1");
        assertEquals("localhost:1", c.get("bootstrap.servers"));
        assertEquals("all", c.get("acks"));
        assertTrue((int) c.get("max.request.size") > EmbeddedKafka.MAX_RECORD_BYTES);
    }

    @Test
    void transactionalProducerCarriesItsTransactionalId() {
        assertEquals(
                "tx-1", ClientConfigs.transactionalProducer("localhost:1", "tx-1").get("transactional.id"));
    }

    @Test
    void consumerIsolationLevelFollowsTheFlag() {
        assertEquals(
                "read_committed", ClientConfigs.consumer("localhost:1", "g", true).get("isolation.level"));
        assertEquals(
                "read_uncommitted",
                ClientConfigs.consumer("localhost:1", "g", false).get("isolation.level"));
        assertTrue(
                (int) ClientConfigs.consumer("localhost:1", "g", true).get("max.partition.fetch.bytes")
                        > EmbeddedKafka.MAX_RECORD_BYTES);
    }

    @Test
    void everyCallReturnsAFreshMutableMap() {
        Map<String, Object> a = ClientConfigs.admin("localhost:1");
        a.put("client.id", "x");
        assertEquals(Map.of("bootstrap.servers", "localhost:1"), ClientConfigs.admin("localhost:1"));
    }
}
