package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.lightly.LightlyApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code java -jar lightly-s3-ingest.jar <command>}: the local face of the ingester. User mistakes end as one
 * line on stderr and exit code 2; systemic failures (credentials, unreachable endpoints) exit 3.
 */
@Command(name = "lightly-s3-ingest", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Feeds images from a folder or S3 prefix into a Lightly dataset.",
        subcommands = {AnalyzeCommand.class, IngestCommand.class, TagCommand.class, BackfillCommand.class,
                VerifyCommand.class, ConfigureLightlyCommand.class, BenchCommand.class, StatusCommand.class,
                ReportCommand.class, RedriveCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Some objects could not be processed (they are listed); the run itself worked. */
    public static final int EXIT_INCOMPLETE = 1;
    /** Bad arguments or configuration. */
    public static final int EXIT_USAGE = 2;
    /** Credentials, permissions or an endpoint failed: nothing more could be done. */
    public static final int EXIT_SYSTEMIC = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(Surroundings.ofProcess()).execute(args));
    }

    /**
     * The configured command line, shared by {@link #main} and tests: commands whose constructor takes
     * {@link Surroundings} get the given one.
     */
    static CommandLine commandLine(Surroundings surroundings) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                try {
                    return type.getDeclaredConstructor(Surroundings.class).newInstance(surroundings);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(type);
                }
            }
        };
        CommandLine cli = new CommandLine(new Main(), factory);
        cli.setExecutionExceptionHandler(new Failures());
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage());
            e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for more information.");
            return EXIT_USAGE;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Turns exceptions that reach the top into one line and an exit code; stack traces only for bugs. */
    static final class Failures implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
            if (e instanceof IllegalArgumentException) {
                cli.getErr().println("error: " + e.getMessage());
                return EXIT_USAGE;
            }
            if (e instanceof IOException || e instanceof UncheckedIOException || e instanceof SdkException
                    || e instanceof LightlyApiException) {
                cli.getErr().println("error: " + e.getMessage());
                return EXIT_SYSTEMIC;
            }
            throw new IllegalStateException(e);
        }
    }

    /** Reads the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lightly-s3-ingest " + (v == null ? "dev" : v)};
        }
    }
}
