package io.seismo.train;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.seismo.release.ModelReleases;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.ReleaseOrigin;
import io.seismo.schema.TrainingInfo;

/**
 * What a model release is, as plain data for people and machines (never the Avro record itself). Times are ISO-8601 UTC;
 * absent values (no parent, no previous model, no recorded time range) are null.
 *
 * @param validationLoss         the release's mean squared error on its validation split, scaled units
 * @param baselineLoss           the last-value forecaster's error on the same split
 * @param previousValidationLoss the error of the model in force before it on the same split, null when there was none
 */
public record ReleaseSummary(String modelName, long version, Long parentVersion, String origin, Long sourceVersion, String createdAt,
                             String cell, int inputSize, int hiddenSize, int layers, String shape, String inputs, int series,
                             long samples, String trainedFrom, String trainedTo, double trainLoss, double validationLoss,
                             double baselineLoss, Double previousValidationLoss, int epochs, int window, long seed,
                             long trainingMillis, int weightsBytes, long weightsChecksum, Map<String, String> hyperParameters) {
    private static final DateTimeFormatter TABLE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RANGE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    public ReleaseSummary {
        hyperParameters = Map.copyOf(hyperParameters);
    }

    /** The summary of a release read from the models topic. */
    public static ReleaseSummary of(ModelRelease r) {
        TrainingInfo t = r.getTraining();
        boolean rollback = r.getOrigin() == ReleaseOrigin.ROLLBACK;
        return new ReleaseSummary(r.getModelName(), r.getVersion(), r.getParentVersion() > 0 ? r.getParentVersion() : null,
                r.getOrigin().name(), rollback ? r.getSourceVersion() : null, iso(r.getCreatedAt()), r.getCellType(),
                r.getInputSize(), r.getHiddenSize(), r.getLayers(), ModelReleases.describe(ModelReleases.shapeOf(r)), r.getInputs(),
                t.getSeries(), t.getSamples(), iso(t.getFromTime()), iso(t.getToTime()), t.getTrainLoss(), t.getValidationLoss(),
                t.getBaselineLoss(), t.getPreviousValidationLoss() > 0 ? t.getPreviousValidationLoss() : null, t.getEpochs(),
                t.getWindow(), t.getSeed(), t.getDurationMillis(), r.getWeights().remaining(), r.getWeightsChecksum(),
                new TreeMap<>(t.getHyperParameters()));
    }

    /** "TRAINED", or "ROLLBACK of 2". */
    public String originText() {
        return sourceVersion == null ? origin : origin + " of " + sourceVersion;
    }

    /** One line per release under a header, columns aligned; numbers to the right. */
    public static String table(List<ReleaseSummary> releases) {
        String[] header = {"version", "parent", "origin", "created (UTC)", "cell and shape", "inputs", "series", "samples",
            "trained on (UTC)", "val. MSE", "last-value", "previous", "epochs", "training"};
        boolean[] right = {true, true, false, false, false, false, true, true, false, true, true, true, true, true};
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        for (ReleaseSummary s : releases) {
            rows.add(new String[] {
                Long.toString(s.version),
                s.parentVersion == null ? "-" : Long.toString(s.parentVersion),
                s.originText(),
                s.createdAt == null ? "-" : TABLE_TIME.format(Instant.parse(s.createdAt)),
                s.shape,
                s.inputs,
                Integer.toString(s.series),
                String.format(Locale.ROOT, "%,d", s.samples),
                s.trainedFrom == null || s.trainedTo == null ? "-"
                        : RANGE_TIME.format(Instant.parse(s.trainedFrom)) + " .. " + RANGE_TIME.format(Instant.parse(s.trainedTo)),
                String.format(Locale.ROOT, "%.4f", s.validationLoss),
                String.format(Locale.ROOT, "%.4f", s.baselineLoss),
                s.previousValidationLoss == null ? "-" : String.format(Locale.ROOT, "%.4f", s.previousValidationLoss),
                Integer.toString(s.epochs),
                String.format(Locale.ROOT, "%.1f s", s.trainingMillis / 1000.0)});
        }
        int[] width = new int[header.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[c] - row[c].length());
                line.append(right[c] ? pad + row[c] : row[c] + pad);
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return out.toString();
    }

    /** ISO-8601 UTC, or null for an unset (epoch) time. */
    private static String iso(Instant t) {
        return t == null || t.toEpochMilli() == 0 ? null : t.toString();
    }
}
