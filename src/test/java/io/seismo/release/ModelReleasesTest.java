package io.seismo.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;

import io.seismo.config.SeismoConfig;
import io.seismo.nn.CellType;
import io.seismo.nn.InputEncoding;
import io.seismo.nn.Network;
import io.seismo.nn.NetworkShape;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.TrainingInfo;
import org.junit.jupiter.api.Test;

class ModelReleasesTest {
    private final NetworkShape shape = new NetworkShape(CellType.LSTM, 1, 5, 2);
    private final Network network = Network.initialise(shape, 3);

    private ModelRelease release() {
        return ModelReleases.toRelease("m", 4, 3, network, TrainingInfo.newBuilder().setSamples(10).build(), Instant.ofEpochMilli(1000));
    }

    @Test
    void shouldMakeAnUntrainedFirstReleaseOfTheConfiguredModel() {
        SeismoConfig config = SeismoConfig.parse(java.util.Map.of("model.hidden.size", "8"));
        ModelRelease a = ModelReleases.untrained(config, 5, Instant.EPOCH);
        assertEquals(1, a.getVersion());
        assertEquals(0, a.getParentVersion());
        assertEquals(0, a.getTraining().getEpochs());
        Network n = ModelReleases.toNetwork(a, ModelReleases.configuredShape(config.model()), ModelReleases.inputsOf(config.model()));
        assertEquals(8, n.shape().hiddenSize());
        assertEquals(a.getWeights(), ModelReleases.untrained(config, 5, Instant.EPOCH).getWeights(), "the same seed, the same weights");
        assertTrue(!a.getWeights().equals(ModelReleases.untrained(config, 6, Instant.EPOCH).getWeights()), "another seed, other weights");
    }

    @Test
    void shouldRoundTripThroughTheTopicEncoding() throws java.io.IOException {
        ModelRelease decoded = ModelRelease.getDecoder().decode(ByteBuffer.wrap(ModelReleases.encode(release())), null);
        assertEquals(4, decoded.getVersion());
        assertEquals(3, decoded.getParentVersion());
        assertEquals("lstm", decoded.getCellType());
        assertEquals(shape, ModelReleases.shapeOf(decoded));
        assertArrayEquals(network.parameters(), ModelReleases.toNetwork(decoded, shape).parameters());
    }

    @Test
    void shouldRefuseAReleaseOfAnotherShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelReleases.toNetwork(release(), new NetworkShape(CellType.LSTM, 1, 5, 1)));
        assertTrue(e.getMessage().contains("lstm 1x5 (2 layers)") && e.getMessage().contains("lstm 1x5 (1 layer)"), e.getMessage());
    }

    @Test
    void shouldRefuseAReleaseReadingOtherInputs() {
        InputEncoding calendar = InputEncoding.parse("value,time-of-day");
        Network withCalendar = Network.initialise(new NetworkShape(CellType.GRU, 3, 4, 1), 1);
        ModelRelease r = ModelReleases.toRelease("m", 1, 0, withCalendar, calendar, TrainingInfo.newBuilder().build(), Instant.EPOCH);
        assertEquals("value,time-of-day", r.getInputs());
        assertArrayEquals(withCalendar.parameters(), ModelReleases.toNetwork(r, withCalendar.shape(), calendar).parameters());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelReleases.toNetwork(r, withCalendar.shape(),
                InputEncoding.parse("value,day-of-week,gap")));
        assertTrue(e.getMessage().contains("reads inputs value,time-of-day"), e.getMessage());
    }

    @Test
    void shouldRefuseCorruptedWeights() {
        ModelRelease r = release();
        byte[] weights = new byte[r.getWeights().remaining()];
        r.getWeights().duplicate().get(weights);
        weights[17] ^= 0x01;
        r.setWeights(ByteBuffer.wrap(weights));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelReleases.toNetwork(r, shape));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void shouldRefuseVersionsOutsideOneToTheLargestAndParentsNotBelow() {
        for (long[] vp : new long[][] {{0, 0}, {-1, 0}, {Long.MIN_VALUE, 0}, {Long.MAX_VALUE, 0}, {ModelReleases.MAX_VERSION + 1, 0},
                {5, 5}, {5, 6}, {5, -1}}) {
            ModelRelease r = ModelRelease.newBuilder(release()).setVersion(vp[0]).setParentVersion(vp[1]).build();
            ReleaseRejectedException e = assertThrows(ReleaseRejectedException.class, () -> ModelReleases.verify(r));
            assertEquals(RejectionReason.VERSION_OUT_OF_RANGE, e.reason(), "version " + vp[0] + ", parent " + vp[1]);
        }
        ModelReleases.verify(ModelRelease.newBuilder(release()).setVersion(ModelReleases.MAX_VERSION).build());
    }

    @Test
    void shouldRefuseARecordWhoseChecksumIsNotItsBlobs() {
        ModelRelease r = ModelRelease.newBuilder(release()).setWeightsChecksum(release().getWeightsChecksum() + 1).build();
        ReleaseRejectedException e = assertThrows(ReleaseRejectedException.class, () -> ModelReleases.toNetwork(r, shape));
        assertEquals(RejectionReason.CHECKSUM_MISMATCH, e.reason());
    }

    @Test
    void shouldRefuseBytesThatAreNotAReleaseAsUndecodable() {
        for (byte[] bytes : new byte[][] {new byte[0], {(byte) 0xC3, 0x01}, "not a release".getBytes(java.nio.charset.StandardCharsets.UTF_8)}) {
            ReleaseRejectedException e = assertThrows(ReleaseRejectedException.class, () -> ModelReleases.decodeVerified(bytes));
            assertEquals(RejectionReason.UNDECODABLE, e.reason());
        }
        assertEquals(4, ModelReleases.decodeVerified(ModelReleases.encode(release())).getVersion());
    }

    @Test
    void shouldNameTheReasonOfAnyFailure() {
        assertEquals(RejectionReason.SHAPE_MISMATCH, ReleaseRejectedException.reasonOf(
                assertThrows(ReleaseRejectedException.class, () -> ModelReleases.toNetwork(release(), new NetworkShape(CellType.GRU, 1, 5, 2)))));
        assertEquals(RejectionReason.FAILED, ReleaseRejectedException.reasonOf(new IllegalStateException("boom")));
    }
}
