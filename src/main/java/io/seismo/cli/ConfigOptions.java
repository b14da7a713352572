package io.seismo.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.seismo.config.Overrides;
import io.seismo.config.SeismoConfig;
import picocli.CommandLine.Option;

/**
 * The configuration options every command shares: a properties file and key=value overrides. Every command obtains its
 * configuration here, in one order: built-in defaults &lt; the command's own defaults &lt; file &lt; environment &lt;
 * the command's own flags &lt; --set.
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
        return load(Overrides.NONE);
    }

    /**
     * The configuration: built-in defaults &lt; {@code commandDefaults} &lt; file &lt; environment &lt; --set. A command's
     * defaults are defaults: whatever the user sets anywhere wins over them.
     */
    SeismoConfig load(Overrides commandDefaults) {
        return load(commandDefaults, System.getenv());
    }

    /** The same with the environment given rather than the process's. */
    SeismoConfig load(Overrides commandDefaults, Map<String, String> environment) {
        return loadWithFlags(commandDefaults, Overrides.NONE, environment);
    }

    /**
     * The configuration with, besides a command's defaults, settings that are no defaults but the command's own flags or
     * facts of its run (bench's --partitions, --guarantee and --hidden, the address of the broker it started): they rank
     * as command-line flags do, above the file and the environment, and --set, the more explicit, still wins over them.
     * Built-in defaults &lt; {@code commandDefaults} &lt; file &lt; environment &lt; {@code flagSettings} &lt; --set.
     */
    SeismoConfig loadWithFlags(Overrides commandDefaults, Overrides flagSettings, Map<String, String> environment) {
        Map<String, String> flags = new LinkedHashMap<>(flagSettings.asMap());
        flags.putAll(overrides);
        return SeismoConfig.load(commandDefaults.asMap(), file, environment, flags);
    }
}
