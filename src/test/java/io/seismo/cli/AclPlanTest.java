package io.seismo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.seismo.config.SeismoConfig;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;

class AclPlanTest {

    private static List<String> describe(List<AclBinding> acls) {
        return acls.stream().map(b -> b.pattern().resourceType() + " " + b.pattern().name()
                + (b.pattern().patternType().name().equals("PREFIXED") ? "*" : "") + " " + b.entry().operation()).toList();
    }

    @Test
    void shouldGrantOnlySeismosTopicsGroupsAndTransactionalIds() {
        List<String> acls = describe(AclPlan.of(SeismoConfig.defaults(), "User:seismo"));
        assertEquals(List.of(
                "TOPIC readings READ", "TOPIC readings CREATE",
                "TOPIC anomalies WRITE", "TOPIC anomalies READ", "TOPIC anomalies CREATE",
                "TOPIC deadletter WRITE", "TOPIC deadletter CREATE",
                "TOPIC feedback READ", "TOPIC feedback WRITE", "TOPIC feedback CREATE",
                "TOPIC training READ", "TOPIC training WRITE", "TOPIC training CREATE",
                "TOPIC models READ", "TOPIC models WRITE", "TOPIC models CREATE",
                "TOPIC seismo-detector-* READ", "TOPIC seismo-detector-* WRITE", "TOPIC seismo-detector-* CREATE",
                "GROUP seismo-detector READ", "GROUP seismo-trainer READ",
                "TRANSACTIONAL_ID seismo-trainer-publisher WRITE",
                "TRANSACTIONAL_ID seismo-detector-* WRITE"), acls);
    }

    @Test
    void shouldFollowTheConfiguration() {
        SeismoConfig config = SeismoConfig.parse(Map.of("topics.create", "false", "topic.scores", "scores",
                "processing.guarantee", "at_least_once", "application.id", "plant-7"));
        List<String> acls = describe(AclPlan.of(config, "User:seismo"));
        assertTrue(acls.contains("TOPIC scores WRITE"), acls.toString());
        assertTrue(acls.contains("TOPIC plant-7-* CREATE"), "Kafka Streams still creates its changelog: " + acls);
        assertTrue(acls.stream().noneMatch(a -> a.startsWith("TOPIC readings CREATE")), acls.toString());
        assertEquals(List.of("TRANSACTIONAL_ID seismo-trainer-publisher WRITE"),
                acls.stream().filter(a -> a.startsWith("TRANSACTIONAL_ID")).toList(), "only the trainer's, without exactly-once");
        assertTrue(describe(AclPlan.of(config.with(Map.of("http.enabled", "false")), "User:seismo")).stream()
                .noneMatch(a -> a.equals("TOPIC anomalies READ")), "without the HTTP API nothing reads the anomalies back");
        assertTrue(describe(AclPlan.of(config.with(Map.of("http.enabled", "false")), "User:seismo")).stream()
                .noneMatch(a -> a.equals("TOPIC feedback WRITE")), "without the HTTP API nothing writes feedback");
    }

    @Test
    void shouldPrintOneKafkaAclsCommandPerResource() {
        List<String> commands = AclPlan.commands(AclPlan.of(SeismoConfig.defaults(), "User:seismo"), "broker:9093", "admin.properties");
        assertEquals(11, commands.size(), commands.stream().collect(Collectors.joining("\n")));
        assertEquals("kafka-acls.sh --bootstrap-server broker:9093 --command-config admin.properties --add --allow-principal User:seismo"
                + " --operation Read --operation Write --operation Create --topic seismo-detector- --resource-pattern-type prefixed",
                commands.get(6));
        assertEquals("kafka-acls.sh --bootstrap-server broker:9093 --command-config admin.properties --add --allow-principal User:seismo"
                + " --operation Write --transactional-id seismo-trainer-publisher", commands.get(9));
        assertEquals("kafka-acls.sh --bootstrap-server broker:9093 --command-config admin.properties --add --allow-principal User:seismo"
                + " --operation Write --transactional-id seismo-detector- --resource-pattern-type prefixed", commands.get(10));
    }
}
