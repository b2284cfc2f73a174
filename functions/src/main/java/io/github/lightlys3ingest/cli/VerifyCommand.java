package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.access.AccessReport;
import io.github.lightlys3ingest.access.AccessVerifier;
import io.github.lightlys3ingest.access.DatasourceChecks;
import io.github.lightlys3ingest.access.Light;
import io.github.lightlys3ingest.access.RoleArn;
import io.github.lightlys3ingest.access.StackOutputs;
import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.contract.StackOutput;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.storage.DatasourceUri;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/** The "lights": can the datasources be listed, read, written and overwritten, directly or through the role. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check access to the datasources: List and Read on --input; List, Write, Read, Overwrite and"
                + " Delete on --output (with a probe object under <output>/" + DatasourceChecks.PROBE_FOLDER
                + ", removed again).",
                "With --role-arn the checks go through the role (AssumeRole with the external ID), and the role"
                        + " itself is checked: 12 h maximum session, external ID required.",
                "With --lightly-dataset-id (token from LIGHTLY_TOKEN) Lightly's own verify of the dataset's"
                        + " datasource is shown too.",
                "Exit 0 when no light is red, 1 when one is, 2 for bad arguments."})
final class VerifyCommand implements Callable<Integer> {
    static final String EXTERNAL_ID_ENV = "LIGHTLY_EXTERNAL_ID";
    private static final String GREEN = "\u001B[32m";
    private static final String YELLOW = "\u001B[33m";
    private static final String RED = "\u001B[31m";
    private static final String RESET = "\u001B[0m";

    @Option(names = "--input", paramLabel = "s3://bucket/prefix/", description = "INPUT datasource: List and Read.")
    String input;

    @Option(names = "--output", paramLabel = "s3://bucket/prefix/",
            description = "LIGHTLY (output) datasource: List, Write, Read, Overwrite, Delete.")
    String output;

    @Option(names = "--role-arn", paramLabel = "ARN",
            description = "Run the S3 checks through this role (AssumeRole) and check the role itself.")
    String roleArn;

    @Option(names = "--external-id", paramLabel = "ID",
            description = "The role's external ID (required with --role-arn). Env: " + EXTERNAL_ID_ENV + ".")
    String externalId;

    @Option(names = "--lightly-dataset-id", paramLabel = "ID",
            description = "Also show Lightly's verify of this dataset's datasource (token from LIGHTLY_TOKEN).")
    String datasetId;

    @Option(names = "--stack", paramLabel = "NAME",
            description = "Take --input and --output from this CloudFormation stack's outputs (options win).")
    String stack;

    @Option(names = "--json", description = "Print the result as JSON instead of a table.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Function<String, String> env;
    private final Supplier<AwsClients> aws;

    VerifyCommand(Surroundings surroundings) {
        this.env = surroundings.env();
        this.aws = surroundings.aws();
    }

    @Override
    public Integer call() throws Exception {
        String external = externalId != null ? externalId : env.apply(EXTERNAL_ID_ENV);
        AwsClients clients = aws.get();
        Optional<StackOutputs> outputs = Optional.empty();
        if (stack != null) {
            try (CloudFormationClient cloudFormation = clients.cloudFormation()) {
                outputs = Optional.of(StackOutputs.read(cloudFormation, stack.trim()));
            }
        }
        String in = input != null ? input : outputs.flatMap(o -> o.get(StackOutput.INPUT_URI)).orElse(null);
        String out = output != null ? output : outputs.flatMap(o -> o.get(StackOutput.OUTPUT_URI)).orElse(null);
        AccessVerifier.Target target = new AccessVerifier.Target(
                in == null ? null : DatasourceUri.parse(in), out == null ? null : DatasourceUri.parse(out),
                roleArn == null ? null : new RoleArn(roleArn.trim()), external == null ? null : external.trim());
        Optional<LightlyClient> lightly = datasetId == null ? Optional.empty()
                : Optional.of(LightlyConnection.open(env, clients, datasetId.trim()));
        AccessReport report = new AccessVerifier(clients).verify(target, lightly);
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            stdout.print(table(report, System.console() != null && env.apply("NO_COLOR") == null));
        }
        stdout.flush();
        return report.passed() ? 0 : Main.EXIT_INCOMPLETE;
    }

    /** The lights as an aligned table; colours (ANSI) only when asked, for a terminal. */
    static String table(AccessReport report, boolean colour) {
        StringBuilder text = new StringBuilder();
        text.append("verify");
        if (report.input() != null) {
            text.append("  input ").append(report.input());
        }
        if (report.output() != null) {
            text.append("  output ").append(report.output());
        }
        text.append(report.roleArn() == null ? "  (your own credentials)" : "  through " + report.roleArn())
                .append('\n');
        List<Light> lights = report.lights();
        int subjectWidth = lights.stream().mapToInt(l -> l.subject().length()).max().orElse(0);
        int checkWidth = lights.stream().mapToInt(l -> l.check().length()).max().orElse(0);
        for (Light light : lights) {
            String symbol = switch (light.state()) {
                case GREEN -> "✔";
                case YELLOW -> "–";
                case RED -> "✘";
            };
            String line = String.format("  %s  %-" + subjectWidth + "s  %-" + checkWidth + "s", symbol,
                    light.subject(), light.check());
            if (light.detail() == null) {
                line = line.stripTrailing();
            }
            if (colour) {
                String code = switch (light.state()) {
                    case GREEN -> GREEN;
                    case YELLOW -> YELLOW;
                    case RED -> RED;
                };
                line = code + line + RESET;
            }
            text.append(line);
            if (light.detail() != null) {
                text.append("  ").append(light.detail());
            }
            text.append('\n');
        }
        List<Light> failures = report.failures();
        long skipped = lights.stream().filter(l -> l.state() == Light.State.YELLOW).count();
        if (failures.isEmpty()) {
            text.append("passed").append(skipped == 0 ? "" : " (" + skipped + " not checked)").append('\n');
        } else {
            text.append("failed: ").append(failures.size()).append(" red light").append(failures.size() == 1 ? "" : "s")
                    .append(skipped == 0 ? "" : ", " + skipped + " not checked").append('\n');
        }
        return text.toString();
    }
}
