package io.seismo.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.seismo.config.SeismoConfig;
import io.seismo.train.ModelCatalog;
import io.seismo.train.ReleaseSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seismo models}: the releases on the models topic, and rolling a model back to an earlier one. */
@Command(name = "models", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  seismo models list", "  seismo models rollback --to 3"},
        description = {"Lists the releases of a model on the models topic, or rolls the model back to an earlier release.",
            "The models topic is compacted: once the log cleaner has run, only the newest release of each model is left on it."},
        subcommands = {ModelsListCommand.class, ModelsRollbackCommand.class, CommandLine.HelpCommand.class})
public final class ModelsCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The listing as JSON: model, topic, releases (plain summaries) and the versions no longer on the topic. */
    public static String json(ModelCatalog.Listing listing) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", listing.modelName());
        doc.put("topic", listing.topic());
        doc.put("releases", listing.releases().stream().map(ReleaseSummary::of).toList());
        doc.put("missingVersions", listing.missingVersions());
        doc.put("undecodableRecords", listing.undecodable());
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the releases as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** What the listing lacks, in one line each: versions compacted away, undecodable records; empty when complete. */
    public static List<String> notes(ModelCatalog.Listing listing) {
        List<String> notes = new java.util.ArrayList<>();
        List<Long> missing = listing.missingVersions();
        if (!missing.isEmpty()) {
            notes.add(String.format(java.util.Locale.ROOT,
                    "versions %s of model '%s' are no longer on topic '%s': it is compacted and keeps only the newest release"
                            + " per model, so they can neither be listed nor rolled back to",
                    ModelCatalog.joined(missing), listing.modelName(), listing.topic()));
        }
        if (listing.undecodable() > 0) {
            notes.add(listing.undecodable() + " undecodable record(s) of model '" + listing.modelName() + "' skipped");
        }
        return notes;
    }

    /** Options both subcommands share. */
    static final class Target {
        @Mixin
        ConfigOptions configOptions;

        @Option(names = "--model", paramLabel = "NAME", description = "Model name (default: model.name of the configuration).")
        String model;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
                description = "How long reading the models topic or publishing may take (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        String modelName(SeismoConfig config) {
            return model == null ? config.model().name() : model;
        }
    }
}
