package io.seismo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.cli.ModelsCommand;
import io.seismo.nn.CellType;
import io.seismo.nn.Network;
import io.seismo.nn.NetworkShape;
import io.seismo.release.ModelReleases;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.TrainingInfo;
import org.junit.jupiter.api.Test;

class ReleaseSummaryTest {
    private static final Network NETWORK = Network.initialise(new NetworkShape(CellType.LSTM, 1, 8, 1), 7);

    static ModelRelease trained(long version, long parent, double validation, double baseline, double previous) {
        TrainingInfo info = TrainingInfo.newBuilder()
                .setSeries(6)
                .setSamples(2400)
                .setEpochs(12)
                .setWindow(64)
                .setTrainLoss(0.3)
                .setValidationLoss(validation)
                .setBaselineLoss(baseline)
                .setPreviousValidationLoss(previous)
                .setSeed(42)
                .setFromTime(Instant.parse("2026-11-26T03:00:00Z"))
                .setToTime(Instant.parse("2026-11-27T03:00:00Z"))
                .setDurationMillis(1500)
                .setHyperParameters(Map.of("train.epochs", "12", "model.cell", "lstm"))
                .build();
        return ModelReleases.toRelease("default", version, parent, NETWORK, info,
                Instant.parse("2026-11-27T04:00:00Z").plusSeconds(60 * version));
    }

    private static ModelCatalog.Listing listing(ModelRelease... releases) {
        return new ModelCatalog.Listing("default", "models", List.of(releases), 0);
    }

    @Test
    void shouldShowLineageShapeDataAndErrorsOfEveryReleaseInOneAlignedRow() {
        ModelRelease first = trained(1, 0, 0.445, 0.765, 0);
        ModelRelease second = trained(2, 1, 0.401, 0.770, 0.430);
        ModelRelease rollback = ModelCatalog.rollback(listing(first, second), 1, Instant.parse("2026-11-27T05:00:00Z"));
        String table = ReleaseSummary.table(List.of(first, second, rollback).stream().map(ReleaseSummary::of).toList());
        List<String> lines = table.lines().toList();

        assertEquals(4, lines.size(), table);
        assertTrue(lines.get(0).startsWith("version  parent  origin"), table);
        for (String column : new String[] {"created (UTC)", "cell and shape", "inputs", "series", "samples", "trained on (UTC)",
            "val. MSE", "last-value", "previous", "epochs", "training"}) {
            assertTrue(lines.get(0).contains(column), column + " in\n" + table);
        }
        assertTrue(lines.get(1).matches("\\s*1\\s+-\\s+TRAINED\\s+2026-11-27 04:01:00\\s+lstm 1x8 \\(1 layer\\)\\s+value\\s+6\\s+2,400"
                + "\\s+2026-11-26 03:00 \\.\\. 2026-11-27 03:00\\s+0\\.4450\\s+0\\.7650\\s+-\\s+12\\s+1\\.5 s"), lines.get(1));
        assertTrue(lines.get(2).contains("0.4010") && lines.get(2).contains("0.4300"), lines.get(2));
        assertTrue(lines.get(3).matches("\\s*3\\s+2\\s+ROLLBACK of 1\\s+2026-11-27 05:00:00\\s"
                + ".*0\\.4450\\s+0\\.7650\\s+-\\s+12\\s+1\\.5 s"), lines.get(3));
        int versionEnd = lines.get(0).indexOf("version") + "version".length();
        assertTrue(lines.stream().allMatch(l -> l.charAt(versionEnd - 1) != ' '), "versions are right-aligned:\n" + table);
    }

    @Test
    void shouldLeaveAbsentParentPreviousModelAndTimeRangeEmptyRatherThanZero() {
        ModelRelease bare = ModelReleases.toRelease("default", 1, 0, NETWORK, TrainingInfo.newBuilder().build(), Instant.EPOCH);
        ReleaseSummary s = ReleaseSummary.of(bare);
        assertNull(s.parentVersion());
        assertNull(s.sourceVersion());
        assertNull(s.previousValidationLoss());
        assertNull(s.trainedFrom());
        assertNull(s.createdAt());
        assertEquals("TRAINED", s.originText());
        String row = ReleaseSummary.table(List.of(s)).lines().toList().get(1);
        assertTrue(row.matches("\\s*1\\s+-\\s+TRAINED\\s+-\\s+lstm.*"), row);
    }

    @Test
    void shouldWritePlainJsonWithLineageErrorsHyperParametersAndMissingVersions() throws Exception {
        ModelRelease second = trained(2, 1, 0.401, 0.770, 0.430);
        ModelRelease first = trained(1, 0, 0.445, 0.765, 0);
        ModelRelease rollback = ModelCatalog.rollback(listing(first, second), 1, Instant.parse("2026-11-27T05:00:00Z"));
        // Version 1 compacted away: only 2 and the rollback remain.
        String json = ModelsCommand.json(listing(second, rollback));
        JsonNode doc = new ObjectMapper().readTree(json);

        assertEquals("default", doc.get("model").asText());
        assertEquals("models", doc.get("topic").asText());
        assertEquals(List.of(1L), List.of(doc.get("missingVersions").get(0).asLong()));
        JsonNode releases = doc.get("releases");
        assertEquals(2, releases.size());
        JsonNode r2 = releases.get(0);
        assertEquals(2, r2.get("version").asLong());
        assertEquals(1, r2.get("parentVersion").asLong());
        assertEquals("TRAINED", r2.get("origin").asText());
        assertTrue(r2.get("sourceVersion").isNull());
        assertEquals("2026-11-27T04:02:00Z", r2.get("createdAt").asText());
        assertEquals("lstm", r2.get("cell").asText());
        assertEquals(8, r2.get("hiddenSize").asInt());
        assertEquals(0.401, r2.get("validationLoss").asDouble(), 1e-12);
        assertEquals(0.770, r2.get("baselineLoss").asDouble(), 1e-12);
        assertEquals(0.430, r2.get("previousValidationLoss").asDouble(), 1e-12);
        assertEquals("2026-11-26T03:00:00Z", r2.get("trainedFrom").asText());
        assertEquals(1500, r2.get("trainingMillis").asLong());
        assertEquals("12", r2.get("hyperParameters").get("train.epochs").asText());
        JsonNode r3 = releases.get(1);
        assertEquals("ROLLBACK", r3.get("origin").asText());
        assertEquals(1, r3.get("sourceVersion").asLong());
        assertEquals(2, r3.get("parentVersion").asLong());
        assertFalse(json.contains("\"schema\""), "no Avro internals in the JSON:\n" + json);
        assertFalse(json.contains("weights\""), "no weight bytes in the JSON:\n" + json);
    }

    @Test
    void shouldSayWhichVersionsWereCompactedAwayAndThatTheyCannotBeRolledBackTo() {
        List<String> notes = ModelsCommand.notes(listing(trained(4, 3, 0.4, 0.7, 0.5)));
        assertEquals(List.of("versions 1, 2, 3 of model 'default' are no longer on topic 'models': it is compacted and keeps only"
                + " the newest release per model, so they can neither be listed nor rolled back to"), notes);
        assertEquals(List.of(), ModelsCommand.notes(listing(trained(1, 0, 0.4, 0.7, 0), trained(2, 1, 0.4, 0.7, 0.5))));
    }
}
