package io.seismo.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.seismo.config.SeismoConfig;
import io.seismo.schema.ModelRelease;
import io.seismo.train.ModelCatalog;
import io.seismo.train.ReleasePublisher;
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
        subcommands = {ModelsCommand.ListCommand.class, ModelsCommand.RollbackCommand.class, CommandLine.HelpCommand.class})
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

    /** {@code seismo models list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = {"  seismo models list", "  seismo models list --json --model default"},
            description = {"Lists the releases of a model still on the models topic, by version: lineage, shape, inputs, data,"
                + " validation error against the last-value forecaster and the previous model, epochs and training time.",
                "The topic is compacted, so older releases may be gone; the output says which versions are."})
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--json", description = "Print JSON for machines instead of the table.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Cluster cluster = Cluster.connect(target.configOptions.load(), false)) {
                SeismoConfig config = cluster.config();
                String name = target.modelName(config);
                ModelCatalog.Listing listing = new ModelCatalog(config, target.timeout).read(name);
                if (json) {
                    out.println(json(listing));
                } else if (listing.releases().isEmpty()) {
                    out.printf("model '%s' has no release on topic '%s'%n", name, listing.topic());
                } else {
                    out.printf("model '%s' on topic '%s': %d release(s), latest %d%n%n", name, listing.topic(),
                            listing.releases().size(), listing.latest().orElseThrow().getVersion());
                    out.print(ReleaseSummary.table(listing.releases().stream().map(ReleaseSummary::of).toList()));
                    List<String> notes = notes(listing);
                    if (!notes.isEmpty()) {
                        out.println();
                        notes.forEach(out::println);
                    }
                }
            }
            out.flush();
            return 0;
        }
    }

    /** {@code seismo models rollback}. */
    @Command(name = "rollback", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = {"  seismo models rollback --to 3"},
            description = {"Rolls a model back: publishes a NEW release (latest version + 1, parent = the latest, origin ROLLBACK)"
                + " carrying the weights, shape, inputs and training information of an earlier release unchanged. Detectors"
                + " take it up live, as any higher version.",
                "Only a version still on the models topic can be rolled back to: the topic is compacted and keeps only the newest"
                    + " release per model once the log cleaner has run (see 'seismo models list').",
                "The rollback is published through the same transactional id as the trainers of train.group.id, reading the latest"
                    + " version inside its transaction: it never reuses a version. A running trainer continues from the rollback, and"
                    + " a candidate it trained from the version before is not published."})
    static final class RollbackCommand implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--to", paramLabel = "VERSION", required = true, description = "Version whose weights to bring back.")
        long toVersion;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Cluster cluster = Cluster.connect(target.configOptions.load(), false)) {
                SeismoConfig config = cluster.config();
                ModelCatalog.Listing listing;
                ModelRelease rollback;
                long offset;
                ModelCatalog catalog = new ModelCatalog(config, target.timeout);
                // The new version is decided inside the transaction that publishes it, as the trainers do theirs.
                ReleasePublisher.Committed committed = catalog.rollback(target.modelName(config), toVersion);
                listing = committed.listing();
                rollback = committed.release();
                offset = committed.offset();
                ReleaseSummary s = ReleaseSummary.of(rollback);
                out.printf("published release %d of model '%s' (%s, parent %d): %s, inputs %s, validation MSE %.4f vs last-value"
                                + " %.4f; %s@%d%n", s.version(), s.modelName(), s.originText(), s.parentVersion(), s.shape(), s.inputs(),
                        s.validationLoss(), s.baselineLoss(), listing.topic(), offset);
            }
            out.flush();
            return 0;
        }
    }
}
