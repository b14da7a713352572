package io.seismo.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code seismo} command: entry point of the launcher script and the shaded jar. */
@Command(name = "seismo", mixinStandardHelpOptions = true, versionProvider = SeismoCommand.Version.class,
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
        return cmd;
    }

    public static void main(String[] args) {
        if (System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") == null) {
            System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", AVRO_TRUSTED_PACKAGES);
        }
        int code = commandLine().execute(args);
        System.exit(code);
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
            return ex instanceof io.seismo.config.ConfigException ? 2 : 1;
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
