package io.seismo.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import io.seismo.config.ConfigException;

/** The {@code seismo} command: entry point of the launcher script and the shaded jar. */
@Command(name = "seismo", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  seismo demo", "  seismo help run"},
        versionProvider = SeismoCommand.Version.class,
        description = "Kafka Streams anomaly detector for sensor and metric streams.",
        subcommands = {DemoCommand.class, RunCommand.class, SimulateCommand.class, CompareCommand.class, ReplayCommand.class, ScoreCommand.class, EvaluateCommand.class, BenchCommand.class,
                ModelsCommand.class, ConfigCommand.class, AclsCommand.class, CommandLine.HelpCommand.class})
public final class SeismoCommand implements Runnable {
    /** Packages whose generated Avro classes may be instantiated (Avro 1.12.2 refuses others). */
    static final String AVRO_TRUSTED_PACKAGES = "io.seismo.schema,java.lang,java.util,java.math,java.time";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line with Seismo's exception handling: one clear line and a non-zero exit code. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new SeismoCommand());
        cmd.setExecutionExceptionHandler(new FailureHandler());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        documentExitCodes(cmd);
        return cmd;
    }

    public static void main(String[] args) {
        if (System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") == null) {
            System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", AVRO_TRUSTED_PACKAGES);
        }
        int code = commandLine().execute(args);
        System.exit(code);
    }

    /** Exit codes every command shares, shown in its help unless it lists its own. */
    static final java.util.Map<String, String> EXIT_CODES = exitCodes("0", "done", "1", "failed (one line on stderr says why)", "2",
            "bad arguments or configuration (the line names the key or option)");

    private static java.util.Map<String, String> exitCodes(String... codeAndMeaning) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < codeAndMeaning.length; i += 2) {
            m.put(codeAndMeaning[i], codeAndMeaning[i + 1]);
        }
        return m;
    }

    /** Gives every command without its own list of exit codes the shared one; {@code replay} adds its refusal. */
    private static void documentExitCodes(CommandLine cmd) {
        CommandLine.Model.UsageMessageSpec usage = cmd.getCommandSpec().usageMessage();
        if (usage.exitCodeList().isEmpty()) {
            java.util.Map<String, String> codes = new java.util.LinkedHashMap<>(EXIT_CODES);
            if ("replay".equals(cmd.getCommandName())) {
                codes.put("3", "--into trainer: nothing published, the validation gate refused the candidate");
            }
            usage.exitCodeListHeading("Exit codes:%n").exitCodeList(codes);
        }
        cmd.getSubcommands().values().forEach(SeismoCommand::documentExitCodes);
    }

    /** Maps failures to exit code 1 and a single readable line (the stack trace goes to the debug log). */
    static final class FailureHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
            PrintWriter err = cmd.getErr();
            String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            err.println(cmd.getColorScheme().errorText("seismo: " + message));
            err.flush();
            org.slf4j.LoggerFactory.getLogger(SeismoCommand.class).debug("command failed", ex);
            return ex instanceof ConfigException ? 2 : 1;
        }
    }

    /** Version from the jar manifest, or "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SeismoCommand.class.getPackage().getImplementationVersion();
            return new String[] {"seismo " + (v == null ? "development" : v)};
        }
    }
}
