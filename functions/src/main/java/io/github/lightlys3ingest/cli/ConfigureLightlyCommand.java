package io.github.lightlys3ingest.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.access.DatasourcePlan;
import io.github.lightlys3ingest.access.StackOutputs;
import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.contract.StackOutput;
import io.github.lightlys3ingest.contract.UploadMode;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.DatasourcePurpose;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.lightly.ObjectId;
import io.github.lightlys3ingest.lightly.S3DelegatedAccessDatasource;
import io.github.lightlys3ingest.metadata.ConfigurationPlan;
import io.github.lightlys3ingest.metadata.CustomMetadataSettings;
import io.github.lightlys3ingest.metadata.FieldInference;
import io.github.lightlys3ingest.metadata.KeyPattern;
import io.github.lightlys3ingest.metadata.MetadataField;
import io.github.lightlys3ingest.metadata.MetadataSource;
import io.github.lightlys3ingest.pipeline.OutputLayout;
import io.github.lightlys3ingest.pipeline.ThumbSuffix;
import io.github.lightlys3ingest.storage.DatasourceUri;
import io.github.lightlys3ingest.storage.ObjectStore;
import io.github.lightlys3ingest.storage.ObjectStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Sets the dataset's INPUT and LIGHTLY datasources (S3 delegated access) through Lightly's API, idempotently. */
@Command(name = "configure-lightly", mixinStandardHelpOptions = true,
        description = {"Set the Lightly dataset's INPUT and LIGHTLY datasources to S3 delegated access through the"
                + " role: one PUT .../datasource per purpose, skipped when the dataset already has exactly that"
                + " datasource.",
                "Then register the custom metadata fields (docs/custom-metadata.md) in the dataset's metadata"
                        + " configuration, so Lightly offers them as filters; fields already configured are kept.",
                "Every value is checked against the API's rules before anything is sent. --stack reads the role,"
                        + " datasources, region, upload mode, thumb suffix and dataset id from the deployed stack's"
                        + " outputs; options win.",
                "Token from LIGHTLY_TOKEN (never printed); server from LIGHTLY_SERVER_LOCATION.",
                "Exit 0 when the datasources are set, 2 for bad arguments, 3 when AWS or Lightly fails."})
final class ConfigureLightlyCommand implements Callable<Integer> {
    static final String DATASET_ID_ENV = "LIGHTLY_DATASET_ID";
    private static final long MAX_RECORD_BYTES = 16L * 1024 * 1024;

    @Option(names = "--lightly-dataset-id", paramLabel = "ID",
            description = "The dataset. Env: " + DATASET_ID_ENV + ".")
    String datasetId;

    @Option(names = "--input", paramLabel = "s3://bucket/prefix/", description = "INPUT datasource (the images).")
    String input;

    @Option(names = "--output", paramLabel = "s3://bucket/prefix/",
            description = "LIGHTLY datasource (thumbnails, Lightly's files).")
    String output;

    @Option(names = "--role-arn", paramLabel = "ARN", description = "The role Lightly assumes.")
    String roleArn;

    @Option(names = "--external-id", paramLabel = "ID",
            description = "The role's external ID (required). Env: " + VerifyCommand.EXTERNAL_ID_ENV + ".")
    String externalId;

    @Option(names = "--region", paramLabel = "REGION",
            description = "The buckets' region. Default: the stack's, else AWS_REGION or AWS_DEFAULT_REGION.")
    String region;

    @Option(names = "--upload-mode", paramLabel = "thumbnails|metadata",
            description = "thumbnails (default): Lightly shows the thumbnails; metadata: no thumbnails,"
                    + " thumbSuffix null.")
    String uploadMode;

    @Option(names = "--thumb-suffix", paramLabel = "TEMPLATE",
            description = "Where thumbnails are, relative to the output (thumbnails mode only). Default: "
                    + S3DelegatedAccessDatasource.DEFAULT_THUMB_SUFFIX)
    String thumbSuffix;

    @Option(names = "--stack", paramLabel = "NAME",
            description = "Read the values from this CloudFormation stack's outputs.")
    String stack;

    @Option(names = "--custom-metadata", paramLabel = "LIST",
            description = "Custom metadata sources whose known fields are registered: key (the key pattern's names),"
                    + " exif (make, model, capturedAt, gps). Default: the stack's, else CUSTOM_METADATA, else exif.")
    String customMetadata;

    @Option(names = "--key-pattern", paramLabel = "PATTERN",
            description = "The ingester's key pattern, for the key source. Default: the stack's, else KEY_PATTERN.")
    String keyPattern;

    @Option(names = "--field", paramLabel = "PATH:TYPE",
            description = "A custom metadata field to register, e.g. sidecar.weather:string or user.operator:string"
                    + " (types int, float, string, bool, datetime). Repeatable.")
    List<String> fields = new ArrayList<>();

    @Option(names = "--fields-from-records", paramLabel = "N", defaultValue = "0",
            description = "Also register every field found in the first N records in --output (their"
                    + " customMetaData), with the type its values have. Default ${DEFAULT-VALUE}.")
    int fieldsFromRecords;

    @Option(names = "--dry-run",
            description = "Print the requests instead of sending them; nothing is read from or sent to Lightly.")
    boolean dryRun;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Function<String, String> env;
    private final Supplier<AwsClients> aws;

    ConfigureLightlyCommand(Surroundings surroundings) {
        this.env = surroundings.env();
        this.aws = surroundings.aws();
    }

    @Override
    public Integer call() throws Exception {
        AwsClients clients = aws.get();
        Optional<StackOutputs> outputs = Optional.empty();
        if (stack != null) {
            try (var cloudFormation = clients.cloudFormation()) {
                outputs = Optional.of(StackOutputs.read(cloudFormation, stack.trim()));
            }
        }
        Values values = new Values(outputs);
        String dataset = values.required("--lightly-dataset-id", datasetId, StackOutput.DATASET_ID, DATASET_ID_ENV);
        if (!ObjectId.isValid(dataset)) {
            throw new IllegalArgumentException("Lightly dataset id must be " + ObjectId.SHAPE + ", got '" + dataset
                    + "'");
        }
        List<S3DelegatedAccessDatasource> wanted = datasources(values);

        List<MetadataField> metadataFields = metadataFields(values, clients, wanted.get(1).fullPath());

        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            out.println("dry run: nothing is sent. configure-lightly would send:");
            for (S3DelegatedAccessDatasource datasource : wanted) {
                out.println("PUT " + LightlyConnection.serverLocation(env) + "/v1/datasets/" + dataset
                        + "/datasource?token=***");
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(datasource));
            }
            if (!metadataFields.isEmpty()) {
                out.println("POST " + LightlyConnection.serverLocation(env) + "/v1/datasets/" + dataset
                        + "/configuration/metadata?token=*** (a PUT of the existing '" + ConfigurationPlan.NAME
                        + "' configuration instead, if the dataset has one; fields already configured are left out)");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", ConfigurationPlan.NAME);
                body.put("configs", metadataFields.stream().map(ConfigurationPlan::entry).toList());
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body));
            }
            out.flush();
            return 0;
        }
        LightlyClient lightly = LightlyConnection.open(env, clients, dataset);
        List<DatasourcePlan.Change> changes = DatasourcePlan.plan(wanted, lightly.listDatasources());
        int pathWidth = wanted.stream().mapToInt(d -> d.fullPath().length()).max().orElse(0);
        out.println("dataset " + dataset + ":");
        for (DatasourcePlan.Change change : changes) {
            if (change.action().sends()) {
                lightly.setDatasource(change.desired());
            }
            out.printf("  %-7s  %-" + pathWidth + "s  %s%n", change.desired().purpose(), change.desired().fullPath(),
                    describe(change));
        }
        if (!metadataFields.isEmpty()) {
            registerFields(lightly, metadataFields, out);
        }
        out.flush();
        return 0;
    }

    /** Adds the fields Lightly's configuration lacks, and says for each what was done. */
    private static void registerFields(LightlyClient lightly, List<MetadataField> fields, PrintWriter out)
            throws IOException {
        ConfigurationPlan plan = ConfigurationPlan.plan(fields, lightly.listMetadataConfigurations());
        switch (plan.action()) {
            case CREATE -> lightly.createMetadataConfiguration(ConfigurationPlan.NAME, plan.entries());
            case UPDATE -> lightly.updateMetadataConfiguration(plan.existingId(), ConfigurationPlan.NAME,
                    plan.entries());
            case NONE -> { }
        }
        int width = fields.stream().mapToInt(field -> field.path().length()).max().orElse(0);
        out.println("custom metadata fields (configuration '" + ConfigurationPlan.NAME + "'):");
        plan.added().forEach(field -> out.printf("  %-" + width + "s  %-20s  added%n", field.path(), field.type()));
        plan.present().forEach(field -> out.printf("  %-" + width + "s  %-20s  already configured, nothing sent%n",
                field.path(), field.type()));
    }

    /**
     * The custom metadata fields to register: those given with --field, those known from the sources and key
     * pattern, and those found in records; the first type given for a path wins.
     */
    private List<MetadataField> metadataFields(Values values, AwsClients clients, String outputPath)
            throws IOException {
        Set<MetadataSource> sources = MetadataSource.parseList(values.first(customMetadata,
                StackOutput.CUSTOM_METADATA, EnvironmentVariable.CUSTOM_METADATA.key())
                .orElse(MetadataSource.EXIF.code()));
        Optional<KeyPattern> pattern = values
                .first(keyPattern, StackOutput.KEY_PATTERN, EnvironmentVariable.KEY_PATTERN.key())
                .map(text -> {
                    try {
                        return KeyPattern.parse(text);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--key-pattern " + e.getMessage());
                    }
                });
        CustomMetadataSettings settings = new CustomMetadataSettings(sources, pattern, Optional.empty());
        List<String> problems = settings.problems("--custom-metadata", "--key-pattern", "--sidecar-file");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        if (fieldsFromRecords < 0) {
            throw new IllegalArgumentException("--fields-from-records must not be negative");
        }
        List<MetadataField> result = new ArrayList<>();
        for (String field : fields) {
            MetadataField parsed = MetadataField.parse(field);
            String section = parsed.path().split("\\.", 2)[0];
            if (Arrays.stream(MetadataSource.values()).noneMatch(source -> source.section().equals(section))) {
                throw new IllegalArgumentException("--field " + field + ": the path must start with one of path, user,"
                        + " tags, sidecar, exif (the sections of customMetaData)");
            }
            result.add(parsed);
        }
        result.addAll(settings.knownFields());
        if (fieldsFromRecords > 0) {
            result.addAll(fieldsFromRecords(ObjectStores.open(DatasourceUri.parse(outputPath), clients::s3)));
        }
        return result;
    }

    /** The fields in the customMetaData of the first {@code --fields-from-records} records. */
    private List<MetadataField> fieldsFromRecords(ObjectStore output) throws IOException {
        List<String> keys = new ArrayList<>();
        try {
            output.list(OutputLayout.RECORDS, null, info -> {
                keys.add(info.key());
                if (keys.size() >= fieldsFromRecords) {
                    throw new EnoughRecords();
                }
            });
        } catch (EnoughRecords enough) {
            // the listing stops after the records asked for
        }
        FieldInference inference = new FieldInference();
        for (String key : keys) {
            JsonNode custom = Json.MAPPER.readTree(output.read(key, MAX_RECORD_BYTES))
                    .path("sampleCreateRequest").path("customMetaData");
            if (custom.isObject()) {
                inference.observe(Json.MAPPER.convertValue(custom, new TypeReference<Map<String, Object>>() { }));
            }
        }
        return inference.fields();
    }

    /** Ends a listing early. */
    private static final class EnoughRecords extends RuntimeException {
        EnoughRecords() {
            super(null, null, false, false);
        }
    }

    /** The two datasources, validated against the API's rules before anything is sent. */
    private List<S3DelegatedAccessDatasource> datasources(Values values) {
        String inputPath = s3Folder("--input", values.required("--input", input, StackOutput.INPUT_URI, null));
        String outputPath = s3Folder("--output", values.required("--output", output, StackOutput.OUTPUT_URI, null));
        String role = values.required("--role-arn", roleArn, StackOutput.ROLE_ARN, null);
        String external = values.required("--external-id", externalId, null, VerifyCommand.EXTERNAL_ID_ENV);
        String bucketRegion = values.first(region, StackOutput.REGION, "AWS_REGION")
                .or(() -> Optional.ofNullable(env.apply("AWS_DEFAULT_REGION")).filter(v -> !v.isBlank()))
                .orElseThrow(() -> new IllegalArgumentException("--region is required (or --stack, or AWS_REGION)"));
        UploadMode mode = UploadMode.parse(values.first(uploadMode, StackOutput.UPLOAD_MODE, null)
                .orElse(UploadMode.THUMBNAILS.code()));
        String suffix = null;
        if (mode == UploadMode.METADATA) {
            if (thumbSuffix != null) {
                throw new IllegalArgumentException(
                        "--thumb-suffix makes no sense with --upload-mode metadata (no thumbnails)");
            }
        } else {
            suffix = new ThumbSuffix(values.first(thumbSuffix, StackOutput.THUMB_SUFFIX, null)
                    .orElse(S3DelegatedAccessDatasource.DEFAULT_THUMB_SUFFIX)).template();
        }
        return List.of(
                new S3DelegatedAccessDatasource(DatasourcePurpose.INPUT, inputPath, bucketRegion, role, external,
                        suffix),
                new S3DelegatedAccessDatasource(DatasourcePurpose.LIGHTLY, outputPath, bucketRegion, role, external,
                        suffix));
    }

    private static String s3Folder(String option, String text) {
        DatasourceUri uri = DatasourceUri.parse(text);
        if (!uri.isS3()) {
            throw new IllegalArgumentException(
                    option + " must be an S3 datasource (s3://bucket/prefix/), got '" + text + "'");
        }
        return uri.toString();
    }

    private static String describe(DatasourcePlan.Change change) {
        return switch (change.action()) {
            case CREATE -> "set (the dataset had none for this purpose)";
            case UPDATE -> "updated (" + String.join("; ", change.differences()) + ")";
            case RESEND -> "sent again (Lightly does not return the external ID, so it could not be compared)";
            case UNCHANGED -> "unchanged, nothing sent";
        };
    }

    /** A value from the option, else the stack output, else the environment variable. */
    private final class Values {
        private final Optional<StackOutputs> outputs;

        Values(Optional<StackOutputs> outputs) {
            this.outputs = outputs;
        }

        Optional<String> first(String option, StackOutput output, String envName) {
            if (option != null && !option.isBlank()) {
                return Optional.of(option.trim());
            }
            Optional<String> fromStack = output == null ? Optional.empty() : outputs.flatMap(o -> o.get(output));
            if (fromStack.isPresent()) {
                return fromStack;
            }
            return envName == null ? Optional.empty()
                    : Optional.ofNullable(env.apply(envName)).map(String::trim).filter(v -> !v.isEmpty());
        }

        String required(String option, String value, StackOutput output, String envName) {
            return first(value, output, envName).orElseThrow(() -> new IllegalArgumentException(option + " is required"
                    + (output == null || stack == null ? ""
                            : " (stack " + stack + " has no output " + output.key() + ")")
                    + (envName == null ? "" : " (or set " + envName + ")")));
        }
    }
}
