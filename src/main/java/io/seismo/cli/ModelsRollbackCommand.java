package io.seismo.cli;

import java.io.PrintWriter;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.ModelRelease;
import io.seismo.train.ModelCatalog;
import io.seismo.train.ReleasePublisher;
import io.seismo.train.ReleaseSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
final class ModelsRollbackCommand extends PrintingCommand {
    @Mixin
    ModelsCommand.Target target;

    @Option(names = "--to", paramLabel = "VERSION", required = true, description = "Version whose weights to bring back.")
    long toVersion;


    @Override
    Integer call(PrintWriter out) {
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
