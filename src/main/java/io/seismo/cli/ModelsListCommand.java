package io.seismo.cli;

import java.io.PrintWriter;
import java.util.List;

import io.seismo.config.SeismoConfig;
import io.seismo.train.ModelCatalog;
import io.seismo.train.ReleaseSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seismo models list}. */
@Command(name = "list", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  seismo models list", "  seismo models list --json --model default"},
        description = {"Lists the releases of a model still on the models topic, by version: lineage, shape, inputs, data,"
            + " validation error against the last-value forecaster and the previous model, epochs and training time.",
            "The topic is compacted, so older releases may be gone; the output says which versions are."})
final class ModelsListCommand extends PrintingCommand {
    @Mixin
    ModelsCommand.Target target;

    @Option(names = "--json", description = "Print JSON for machines instead of the table.")
    boolean json;


    @Override
    Integer call(PrintWriter out) {
        try (Cluster cluster = Cluster.connect(target.configOptions.load(), false)) {
            SeismoConfig config = cluster.config();
            String name = target.modelName(config);
            ModelCatalog.Listing listing = new ModelCatalog(config, target.timeout).read(name);
            if (json) {
                out.println(ModelsCommand.json(listing));
            } else if (listing.releases().isEmpty()) {
                out.printf("model '%s' has no release on topic '%s'%n", name, listing.topic());
            } else {
                out.printf("model '%s' on topic '%s': %d release(s), latest %d%n%n", name, listing.topic(),
                        listing.releases().size(), listing.latest().orElseThrow().getVersion());
                out.print(ReleaseSummary.table(listing.releases().stream().map(ReleaseSummary::of).toList()));
                List<String> notes = ModelsCommand.notes(listing);
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
