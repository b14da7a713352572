package io.seismo.cli;

import static io.seismo.config.ConfigDef.APPLICATION_ID;
import static io.seismo.config.ConfigDef.BOOTSTRAP_SERVERS;
import static io.seismo.config.ConfigDef.DETECT_SILENCE_CLOCK;
import static io.seismo.config.ConfigDef.EMBEDDED_DATA_DIR;
import static io.seismo.config.ConfigDef.MODEL_HIDDEN_SIZE;
import static io.seismo.config.ConfigDef.PROCESSING_GUARANTEE;
import static io.seismo.config.ConfigDef.STATE_DIR;
import static io.seismo.config.ConfigDef.TOPIC_PARTITIONS;
import static io.seismo.config.ConfigDef.TOPIC_READINGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.seismo.config.ConfigDef;
import io.seismo.config.ConfigException;
import io.seismo.config.Overrides;
import io.seismo.config.ProcessingGuarantee;
import io.seismo.config.SeismoConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command registered on {@code seismo} that takes configuration ranks it the same way: built-in defaults &lt; the
 * command's own defaults &lt; file &lt; environment &lt; --set; bench's flags rank as flags, above the environment.
 */
class ConfigPrecedenceTest {
    private static final String KEY = TOPIC_READINGS.name();

    @TempDir
    Path dir;

    @Test
    void everyCommandShouldRankItsDefaultsBelowTheFileTheEnvironmentAndTheFlags() throws IOException {
        Path file = dir.resolve("seismo.properties");
        Files.writeString(file, KEY + "=from-file\n");
        Set<String> checked = new TreeSet<>();
        for (String path : commandPaths(SeismoCommand.commandLine(), "")) {
            if (configOptions(command(path)).isEmpty()) {
                continue;
            }
            assertEquals("from-flag", resolve(path, true, true, true), path + ": --set beats the environment");
            assertEquals("from-env", resolve(path, true, true, false), path + ": the environment beats the file");
            assertEquals("from-file", resolve(path, true, false, false), path + ": the file beats the command's defaults");
            assertEquals(defaults(command(path)).asMap().get(KEY), resolve(path, false, false, false),
                    path + ": the command's defaults apply where nothing else is set");
            checked.add(path);
        }
        assertTrue(checked.containsAll(List.of("run", "simulate", "compare", "replay", "score", "evaluate", "models list",
                "models rollback", "config", "acls", "demo", "bench")), "commands checked: " + checked);
    }

    @Test
    void demoAndBenchShouldExposeTheirOwnDefaults() {
        Overrides demo = ((CommandDefaults) parsed("demo")).commandDefaults();
        assertEquals("seismo-demo", demo.asMap().get(APPLICATION_ID.name()));
        assertEquals("stream", demo.asMap().get(DETECT_SILENCE_CLOCK.name()));
        Overrides kept = ((CommandDefaults) parsed("demo", "--data-dir", dir.toString())).commandDefaults();
        assertEquals(dir.resolve("state").toString(), kept.asMap().get(STATE_DIR.name()), "--data-dir holds the detector's state");
        assertEquals(dir.resolve("kafka").toString(), kept.asMap().get(EMBEDDED_DATA_DIR.name()), "--data-dir holds the broker's data");
        Overrides bench = ((CommandDefaults) parsed("bench")).commandDefaults();
        assertEquals("bench-readings", bench.asMap().get(TOPIC_READINGS.name()));
    }

    @Test
    void benchFlagsAndItsBrokerShouldBeatTheFileAndTheEnvironment() throws IOException {
        Path file = dir.resolve("bench.properties");
        Files.writeString(file, "topic.partitions=3\nmodel.hidden.size=8\nbootstrap.servers=from-file:9092\n"
                + "state.dir=/var/lib/production-state\napplication.id=production-detector\n");
        BenchCommand bench = (BenchCommand) parsed("bench", "--config", file.toString(), "--partitions", "12", "--guarantee", "at_least_once",
                "--hidden", "16");
        Map<String, String> env = Map.of(SeismoConfig.envName(BOOTSTRAP_SERVERS.name()), "production:9092",
                SeismoConfig.envName(TOPIC_PARTITIONS.name()), "2", SeismoConfig.envName(MODEL_HIDDEN_SIZE.name()), "4",
                SeismoConfig.envName(PROCESSING_GUARANTEE.name()), "exactly_once_v2", SeismoConfig.envName(KEY), "from-env");
        SeismoConfig c = bench.config("localhost:39092", env);
        assertEquals("localhost:39092", c.cluster().bootstrapServers(), "bench's records go to its own broker whatever the environment says");
        assertEquals(12, c.topics().partitions(), "--partitions beats the environment");
        assertEquals(16, c.model().hiddenSize(), "--hidden beats the environment");
        assertEquals(ProcessingGuarantee.AT_LEAST_ONCE, c.cluster().processingGuarantee(), "--guarantee beats the environment");
        assertEquals("from-env", c.topics().readings(), "bench's topic names are defaults: the environment beats them");
        assertEquals("bench-detector", c.cluster().applicationId(), "bench never runs as the file's application");
        assertTrue(c.cluster().stateDir().endsWith("state") && !c.cluster().stateDir().startsWith("/var/lib"),
                "bench keeps its state in the folder it removes, not the file's: " + c.cluster().stateDir());
    }

    @Test
    void benchShouldRefuseAGuaranteeConfigurationDoesNotKnow() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> parsed("bench", "--guarantee", "exactly_once"));
        assertTrue(e.getMessage().contains("'exactly_once' is none of exactly_once_v2, at_least_once"), e.getMessage());
    }

    @Test
    void everyCommandShouldRefuseAnUnknownSeismoVariable() {
        for (String path : commandPaths(SeismoCommand.commandLine(), "")) {
            Optional<ConfigOptions> options = configOptions(command(path));
            options.ifPresent(o -> {
                ConfigException e = assertThrows(ConfigException.class,
                        () -> o.load(Overrides.NONE, Map.of("SEISMO_TOPIC_READING", "x")), path);
                assertTrue(e.getMessage().contains("did you mean 'SEISMO_TOPIC_READINGS'"), path + ": " + e.getMessage());
            });
        }
    }

    @Test
    void flagSettingsShouldRankAboveTheFileAndTheEnvironmentAndBelowSet() throws IOException {
        Path file = dir.resolve("flags.properties");
        Files.writeString(file, "topic.partitions=2\nmodel.hidden.size=8\n");
        ConfigOptions options = parse("--config", file.toString(), "--set", "model.hidden.size=16");
        SeismoConfig c = options.loadWithFlags(Overrides.NONE,
                Overrides.of(TOPIC_PARTITIONS, 12).and(MODEL_HIDDEN_SIZE, 64).and(ConfigDef.MODEL_LAYERS, 2), Map.of());
        assertEquals(12, c.topics().partitions(), "a command's flag beats the file");
        assertEquals(16, c.model().hiddenSize(), "--set beats a command's flag");
        assertEquals(2, c.model().layers());
    }

    /** KEY as command {@code path} resolves it, from its own ConfigOptions, with the file, environment and --set given or not. */
    private String resolve(String path, boolean withFile, boolean withEnv, boolean withFlag) {
        CommandLine cmd = command(path);
        ConfigOptions options = configOptions(cmd).orElseThrow();
        List<String> args = new ArrayList<>();
        if (withFile) {
            args.addAll(List.of("--config", dir.resolve("seismo.properties").toString()));
        }
        if (withFlag) {
            args.addAll(List.of("--set", KEY + "=from-flag"));
        }
        // The command's own option specs, as its mixin declares them, parse into the instance the command holds.
        new CommandLine(options).parseArgs(args.toArray(new String[0]));
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/bin", "HOME", "/root"));
        if (withEnv) {
            env.put(SeismoConfig.envName(KEY), "from-env");
        }
        return options.load(defaults(cmd), env).topics().readings();
    }

    /** The command's own defaults, with a stand-in for KEY where they lack it, so that the rank of defaults is checked too. */
    private static Overrides defaults(CommandLine cmd) {
        Overrides defaults = Overrides.of(TOPIC_READINGS, "from-defaults");
        if (cmd.getCommandSpec().userObject() instanceof CommandDefaults own) {
            defaults = defaults.and(own.commandDefaults());
        }
        return defaults;
    }

    private static ConfigOptions parse(String... args) {
        ConfigOptions options = new ConfigOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    /** The command {@code args} name, in a fresh command tree, with its options parsed from them. */
    private static Object parsed(String... args) {
        List<CommandLine> parsed = SeismoCommand.commandLine().parseArgs(args).asCommandLineList();
        return parsed.get(parsed.size() - 1).getCommandSpec().userObject();
    }

    /** A fresh command tree's command at {@code path} ("models list"). */
    private static CommandLine command(String path) {
        CommandLine cmd = SeismoCommand.commandLine();
        for (String name : path.split(" ")) {
            cmd = cmd.getSubcommands().get(name);
        }
        return cmd;
    }

    /** The ConfigOptions a command holds, directly or in one of its mixins (models' subcommands share theirs in a mixin). */
    static Optional<ConfigOptions> configOptions(CommandLine cmd) {
        return configOptions(cmd.getCommandSpec());
    }

    private static Optional<ConfigOptions> configOptions(CommandLine.Model.CommandSpec spec) {
        if (spec.userObject() instanceof ConfigOptions options) {
            return Optional.of(options);
        }
        for (CommandLine.Model.CommandSpec mixin : spec.mixins().values()) {
            Optional<ConfigOptions> found = configOptions(mixin);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Every command below {@code cmd}, as the words that name it. */
    private static List<String> commandPaths(CommandLine cmd, String prefix) {
        List<String> paths = new ArrayList<>();
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(cmd.getCommandName())) {
                String path = prefix.isEmpty() ? name : prefix + " " + name;
                paths.add(path);
                paths.addAll(commandPaths(sub, path));
            }
        });
        return paths;
    }
}
