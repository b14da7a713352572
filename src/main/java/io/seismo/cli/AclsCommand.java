package io.seismo.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.seismo.config.SeismoConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seismo acls}: the kafka-acls.sh commands that grant what {@code seismo run} needs under this configuration. */
@Command(name = "acls", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  seismo acls --config config/production.properties --principal User:seismo"},
        description = "Prints the kafka-acls.sh commands that grant a principal exactly what 'seismo run' needs under the effective "
                + "configuration (topics, internal topics, consumer groups, transactional ids).")
public final class AclsCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--principal", defaultValue = "User:seismo", description = "Principal to grant (default: ${DEFAULT-VALUE}).")
    String principal;

    @Option(names = "--command-config", defaultValue = "admin.properties",
            description = "Client properties of an administrator, for kafka-acls.sh (default: ${DEFAULT-VALUE}).")
    String commandConfig;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SeismoConfig config = configOptions.load();
        String bootstrap = config.cluster().embedded() ? "localhost:9092" : config.cluster().bootstrapServers();
        for (String line : AclPlan.commands(AclPlan.of(config, principal), bootstrap, commandConfig)) {
            out.println(line);
        }
        out.flush();
        return 0;
    }
}
