package io.seismo.release;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Locale;

import io.seismo.nn.CellType;
import io.seismo.nn.InputEncoding;
import io.seismo.nn.Network;
import io.seismo.nn.NetworkShape;
import io.seismo.nn.WeightsCodec;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.TrainingInfo;

/** Converts between the {@code ModelRelease} record on the models topic and a {@link Network}. */
public final class ModelReleases {
    private ModelReleases() {
    }

    /** The network shape the configuration asks for: one scaled value in per step. */
    public static NetworkShape configuredShape(io.seismo.config.SeismoConfig.Model model) {
        return new NetworkShape(CellType.parse(model.cell()), inputsOf(model).inputSize(), model.hiddenSize(), model.layers());
    }

    /** The inputs the configuration asks for. */
    public static InputEncoding inputsOf(io.seismo.config.SeismoConfig.Model model) {
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
        InputEncoding declaredInputs = InputEncoding.parse(release.getInputs());
        if (!declaredInputs.equals(expectedInputs)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "release %d of model '%s' reads inputs %s but this detector is configured for %s",
                    release.getVersion(), release.getModelName(), declaredInputs, expectedInputs));
        }
        return toNetwork(release, expected);
    }

    /** As {@link #toNetwork(ModelRelease, NetworkShape, InputEncoding)}, for value-only inputs or when the caller checked them. */
    public static Network toNetwork(ModelRelease release, NetworkShape expected) {
        NetworkShape declared = shapeOf(release);
        if (!declared.equals(expected)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "release %d of model '%s' is %s but this detector is configured for %s",
                    release.getVersion(), release.getModelName(), describe(declared), describe(expected)));
        }
        try {
            return WeightsCodec.decode(release.getWeights(), expected);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "release %d of model '%s': %s",
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
    public static ModelRelease untrained(io.seismo.config.SeismoConfig config, long seed, Instant createdAt) {
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
