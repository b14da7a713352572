package io.seismo.cli;

import java.io.PrintWriter;

import io.seismo.config.ConfigDef;
import io.seismo.config.SeismoConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seismo config}: the effective configuration, or the table of every key. */
@Command(name = "config", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  seismo config --config config/production.properties --set detect.spot.risk=0.001", "  seismo config --markdown"},
        description = "Prints the effective configuration (defaults < file < environment < --set), validated; or every key as a Markdown table.")
public final class ConfigCommand extends PrintingCommand {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--markdown", description = "Print every key with its type, default and meaning as a Markdown table.")
    boolean markdown;


    @Override
    Integer call(PrintWriter out) {
        if (markdown) {
            ConfigDef.markdownTable().forEach(out::println);
        } else {
            SeismoConfig config = configOptions.load();
            config.toMap().forEach((k, v) -> out.println(k + "=" + (k.contains("password") || k.contains("jaas") || k.contains("token") ? "******" : v)));
        }
        out.flush();
        return 0;
    }
}
