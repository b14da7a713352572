package io.seismo.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.seismo.config.SeismoConfig;
import picocli.CommandLine.Option;

/**
 * The configuration options every command shares: a properties file and key=value overrides. Every command obtains its
 * configuration here, in one order: built-in defaults &lt; the command's own defaults &lt; file &lt; environment &lt; --set.
 */
public final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file (see config/seismo.properties); it overrides the command's own defaults, and environment variables SEISMO_<KEY> override it.")
    Path file;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Sets a configuration key; overrides the file and the environment. Repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The configuration: built-in defaults &lt; file &lt; environment &lt; --set. */
    SeismoConfig load() {
        return load(Map.of());
    }

    /**
     * The configuration: built-in defaults &lt; {@code commandDefaults} &lt; file &lt; environment &lt; --set. A command's
     * defaults are defaults: whatever the user sets anywhere wins over them.
     */
    SeismoConfig load(Map<String, String> commandDefaults) {
        return load(commandDefaults, System.getenv());
    }

    /** The same with the environment given rather than the process's. */
    SeismoConfig load(Map<String, String> commandDefaults, Map<String, String> environment) {
        return SeismoConfig.load(commandDefaults, file, environment, overrides);
    }

    /**
     * The configuration with settings that are no defaults but a command's own flags or facts of its run (bench's
     * --partitions, --guarantee and --hidden, the address of the broker it started): they rank as command-line flags do,
     * above the file and the environment, and --set, the more explicit, still wins over them.
     */
    SeismoConfig loadWithFlags(Map<String, String> flagSettings) {
        Map<String, String> flags = new LinkedHashMap<>(flagSettings);
        flags.putAll(overrides);
        return SeismoConfig.load(Map.of(), file, System.getenv(), flags);
    }
}
