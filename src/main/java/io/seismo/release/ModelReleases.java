package io.seismo.release;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Locale;

import io.seismo.config.SeismoConfig;
import io.seismo.nn.CellType;
import io.seismo.nn.InputEncoding;
import io.seismo.nn.Network;
import io.seismo.nn.NetworkShape;
import io.seismo.nn.WeightsCodec;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.TrainingInfo;

/**
 * Converts between the {@code ModelRelease} record on the models topic and a {@link Network}, and decides whether a
 * record read from the topic is a usable release: anyone who can write to the topic can write anything there, so every
 * field is checked before anything is allocated for it, and every failure is a {@link ReleaseRejectedException} with
 * its {@link RejectionReason}.
 */
public final class ModelReleases {
    /**
     * The largest version a release may carry (2^53): far beyond any real count of releases, small enough that the next
     * version never overflows and every version is exact as a JSON number.
     */
    public static final long MAX_VERSION = 1L << 53;

    private ModelReleases() {
    }

    /**
     * Decodes a record of the models topic and checks it with {@link #verify}.
     *
     * @throws ReleaseRejectedException if it is not a usable release
     */
    public static ModelRelease decodeVerified(byte[] bytes) {
        ModelRelease release;
        try {
            release = ModelRelease.getDecoder().decode(bytes);
        } catch (java.io.IOException | RuntimeException e) {
            throw new ReleaseRejectedException(RejectionReason.UNDECODABLE, "not a model release: " + e, e);
        }
        verify(release);
        return release;
    }

    /**
     * Checks what a release must satisfy whatever the detector's configuration: a name, a version in [1,
     * {@link #MAX_VERSION}] above its parent's, a weights blob no larger than the message size allowed and whose CRC32
     * is the record's {@code weightsChecksum}. The blob's own structure is checked when it is decoded.
     *
     * @throws ReleaseRejectedException naming what is wrong
     */
    public static void verify(ModelRelease release) {
        if (release.getModelName() == null || release.getModelName().isEmpty() || release.getWeights() == null
                || release.getCellType() == null || release.getInputs() == null) {
            throw new ReleaseRejectedException(RejectionReason.UNDECODABLE, "release without a name, cell, inputs or weights");
        }
        long version = release.getVersion();
        if (version < 1 || version > MAX_VERSION || release.getParentVersion() < 0 || release.getParentVersion() >= version) {
            throw new ReleaseRejectedException(RejectionReason.VERSION_OUT_OF_RANGE, String.format(Locale.ROOT,
                    "release of model '%s' has version %d (parent %d): versions run from 1 to %d, each above its parent",
                    release.getModelName(), version, release.getParentVersion(), MAX_VERSION));
        }
        ByteBuffer weights = release.getWeights().duplicate();
        if (weights.remaining() < 4) {
            throw new ReleaseRejectedException(RejectionReason.CORRUPT_WEIGHTS, "release " + version + ": weights blob of "
                    + weights.remaining() + " bytes");
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        weights.limit(weights.limit() - 4);
        crc.update(weights);
        if (crc.getValue() != release.getWeightsChecksum()) {
            throw new ReleaseRejectedException(RejectionReason.CHECKSUM_MISMATCH, String.format(Locale.ROOT,
                    "release %d of model '%s': weights checksum %d, but the blob's CRC32 is %d", version, release.getModelName(),
                    release.getWeightsChecksum(), crc.getValue()));
        }
    }

    /** The network shape the configuration asks for: one scaled value in per step. */
    public static NetworkShape configuredShape(SeismoConfig.Model model) {
        return new NetworkShape(CellType.parse(model.cell()), inputsOf(model).inputSize(), model.hiddenSize(), model.layers());
    }

    /** The inputs the configuration asks for. */
    public static InputEncoding inputsOf(SeismoConfig.Model model) {
        return InputEncoding.parse(model.inputs());
    }

    /** The shape a release declares. */
    public static NetworkShape shapeOf(ModelRelease release) {
        return new NetworkShape(CellType.parse(release.getCellType()), release.getInputSize(), release.getHiddenSize(),
                release.getLayers());
    }

    /**
     * The release's network, if it has the expected shape and intact weights.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    public static Network toNetwork(ModelRelease release, NetworkShape expected, InputEncoding expectedInputs) {
        verify(release);
        InputEncoding declaredInputs;
        try {
            declaredInputs = InputEncoding.parse(release.getInputs());
        } catch (RuntimeException e) {
            throw new ReleaseRejectedException(RejectionReason.INPUTS_MISMATCH, "release " + release.getVersion() + ": " + e.getMessage(), e);
        }
        if (!declaredInputs.equals(expectedInputs)) {
            throw new ReleaseRejectedException(RejectionReason.INPUTS_MISMATCH, String.format(Locale.ROOT,
                    "release %d of model '%s' reads inputs %s but this detector is configured for %s",
                    release.getVersion(), release.getModelName(), declaredInputs, expectedInputs));
        }
        return toNetwork(release, expected);
    }

    /** As {@link #toNetwork(ModelRelease, NetworkShape, InputEncoding)}, for value-only inputs or when the caller checked them. */
    public static Network toNetwork(ModelRelease release, NetworkShape expected) {
        verify(release);
        NetworkShape declared;
        try {
            declared = shapeOf(release);
        } catch (RuntimeException e) {
            throw new ReleaseRejectedException(RejectionReason.SHAPE_MISMATCH, "release " + release.getVersion() + ": " + e.getMessage(), e);
        }
        if (!declared.equals(expected)) {
            throw new ReleaseRejectedException(RejectionReason.SHAPE_MISMATCH, String.format(Locale.ROOT,
                    "release %d of model '%s' is %s but this detector is configured for %s",
                    release.getVersion(), release.getModelName(), describe(declared), describe(expected)));
        }
        try {
            return WeightsCodec.decode(release.getWeights(), expected);
        } catch (RuntimeException e) {
            throw new ReleaseRejectedException(RejectionReason.CORRUPT_WEIGHTS, String.format(Locale.ROOT, "release %d of model '%s': %s",
                    release.getVersion(), release.getModelName(), e.getMessage()), e);
        }
    }

    /** A release record for a trained network. */
    public static ModelRelease toRelease(String modelName, long version, long parentVersion, Network network, TrainingInfo training,
                                         Instant createdAt) {
        return toRelease(modelName, version, parentVersion, network, InputEncoding.VALUE_ONLY, training, createdAt);
    }

    /** A release record for a trained network reading the given inputs. */
    public static ModelRelease toRelease(String modelName, long version, long parentVersion, Network network, InputEncoding inputs,
                                         TrainingInfo training, Instant createdAt) {
        NetworkShape shape = network.shape();
        byte[] weights = WeightsCodec.encode(network);
        return ModelRelease.newBuilder()
                .setModelName(modelName)
                .setVersion(version)
                .setParentVersion(parentVersion)
                .setCreatedAt(createdAt)
                .setCellType(shape.cell().id())
                .setInputSize(shape.inputSize())
                .setHiddenSize(shape.hiddenSize())
                .setLayers(shape.layers())
                .setInputs(inputs.toString())
                .setWeights(ByteBuffer.wrap(weights))
                .setWeightsChecksum(checksum(weights))
                .setTraining(training)
                .build();
    }

    /**
     * Release 1 of the configured model with freshly initialised weights ({@code seed}) and no training: a fixed model
     * whose cost per step is that of a trained one, for benchmarks and for tests that need the outcome to depend on the
     * input only.
     */
    public static ModelRelease untrained(SeismoConfig config, long seed, Instant createdAt) {
        Network network = Network.initialise(configuredShape(config.model()), seed);
        TrainingInfo info = TrainingInfo.newBuilder().setSeries(0).setSamples(0).setEpochs(0).setWindow(config.train().window())
                .setTrainLoss(0).setValidationLoss(0).setBaselineLoss(0).setSeed(seed).setFromTime(Instant.EPOCH)
                .setToTime(Instant.EPOCH).setDurationMillis(0).build();
        return toRelease(config.model().name(), 1, 0, network, inputsOf(config.model()), info, createdAt);
    }

    /** The release in Avro single-object encoding, as written to the models topic. */
    public static byte[] encode(ModelRelease release) {
        try {
            ByteBuffer buffer = ModelRelease.getEncoder().encode(release);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** e.g. "lstm 1x32 (1 layer)". */
    public static String describe(NetworkShape shape) {
        return WeightsCodec.describe(shape);
    }

    /** The blob's own CRC32 (of everything before its last four bytes), for people and tools reading the record. */
    private static long checksum(byte[] blob) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(blob, 0, blob.length - 4);
        return crc.getValue();
    }
}
