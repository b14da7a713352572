package io.seismo.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.seismo.config.SeismoConfig;
import picocli.CommandLine.Option;

/** The configuration options every command shares: a properties file and key=value overrides. */
public final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file (see config/seismo.properties). Environment variables SEISMO_<KEY> override it.")
    Path file;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Sets a configuration key; overrides the file and the environment. Repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The configuration: file &lt; environment &lt; defaults given here &lt; --set. */
    SeismoConfig load(Map<String, String> commandDefaults) {
        Map<String, String> merged = new LinkedHashMap<>(commandDefaults);
        merged.putAll(overrides);
        return SeismoConfig.load(file, System.getenv(), merged);
    }
}
