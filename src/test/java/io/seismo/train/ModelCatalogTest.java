package io.seismo.train;

import static io.seismo.train.ReleaseSummaryTest.trained;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import io.seismo.schema.ModelRelease;
import io.seismo.schema.ReleaseOrigin;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private static final Instant NOW = Instant.parse("2026-11-27T05:00:00Z");

    private static ModelCatalog.Listing listing(ModelRelease... releases) {
        return new ModelCatalog.Listing("default", "models", List.of(releases), 0);
    }

    @Test
    void shouldSortReleasesByVersionAndNameTheVersionsCompactedAway() {
        ModelCatalog.Listing l = listing(trained(5, 4, 0.4, 0.7, 0.5), trained(2, 1, 0.4, 0.7, 0.5));
        assertEquals(List.of(2L, 5L), l.versions());
        assertEquals(5, l.latest().orElseThrow().getVersion());
        assertEquals(List.of(1L, 3L, 4L), l.missingVersions());
        assertEquals("1, 3, 4", ModelCatalog.joined(l.missingVersions()));
    }

    @Test
    void shouldRollBackAsANewLatestReleaseCarryingTheEarlierOneUnchanged() {
        ModelRelease first = trained(1, 0, 0.445, 0.765, 0);
        ModelRelease second = trained(2, 1, 0.401, 0.770, 0.430);
        ModelRelease rollback = ModelCatalog.rollback(listing(first, second), 1, NOW);

        assertEquals(3, rollback.getVersion());
        assertEquals(2, rollback.getParentVersion());
        assertEquals(ReleaseOrigin.ROLLBACK, rollback.getOrigin());
        assertEquals(1, rollback.getSourceVersion());
        assertEquals(NOW, rollback.getCreatedAt());
        assertEquals(first.getWeights(), rollback.getWeights());
        assertEquals(first.getWeightsChecksum(), rollback.getWeightsChecksum());
        assertEquals(first.getTraining(), rollback.getTraining());
        assertEquals(first.getCellType(), rollback.getCellType());
        assertEquals(first.getHiddenSize(), rollback.getHiddenSize());
        assertEquals(first.getInputs(), rollback.getInputs());
        assertEquals(1, first.getVersion(), "the source release is not modified");
    }

    @Test
    void shouldRefuseAVersionNoLongerOnTheTopicInOneLineNamingTheVersionsThatAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCatalog.rollback(listing(trained(2, 1, 0.4, 0.7, 0.5), trained(3, 2, 0.4, 0.7, 0.5)), 1, NOW));
        assertEquals("version 1 of model 'default' is not on topic 'models' (versions there: 2, 3); the topic is compacted,"
                + " so only releases still on it can be rolled back to", e.getMessage());
    }

    @Test
    void shouldRefuseToRollBackToTheLatestVersion() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCatalog.rollback(listing(trained(1, 0, 0.4, 0.7, 0), trained(2, 1, 0.4, 0.7, 0.5)), 2, NOW));
        assertTrue(e.getMessage().contains("version 2 is already the latest release of model 'default'"), e.getMessage());
    }

    @Test
    void shouldRefuseToRollBackAModelWithoutReleases() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCatalog.rollback(listing(), 1, NOW));
        assertEquals("model 'default' has no release on topic 'models' to roll back", e.getMessage());
    }
}
