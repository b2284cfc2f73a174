package io.github.lightlys3ingest.pipeline;

import static io.github.lightlys3ingest.contract.EnvironmentVariable.CLAIM_LEASE_SECONDS;
import static io.github.lightlys3ingest.contract.EnvironmentVariable.CUSTOM_METADATA;
import static io.github.lightlys3ingest.contract.EnvironmentVariable.KEY_PATTERN;
import static io.github.lightlys3ingest.contract.EnvironmentVariable.INPUT_URI;
import static io.github.lightlys3ingest.contract.EnvironmentVariable.LIGHTLY_DATASET_ID;
import static io.github.lightlys3ingest.contract.EnvironmentVariable.LIGHTLY_REQUEST_TIMEOUT;
import static io.github.lightlys3ingest.contract.EnvironmentVariable.LIGHTLY_SERVER_LOCATION;
import static io.github.lightlys3ingest.contract.EnvironmentVariable.MAX_OBJECT_BYTES;
import static io.github.lightlys3ingest.contract.EnvironmentVariable.MAX_PIXELS;
import static io.github.lightlys3ingest.contract.EnvironmentVariable.OUTPUT_URI;
import static io.github.lightlys3ingest.contract.EnvironmentVariable.SIDECAR_FILE;
import static io.github.lightlys3ingest.contract.EnvironmentVariable.THUMB_SIZE;
import static io.github.lightlys3ingest.contract.EnvironmentVariable.THUMB_SUFFIX;
import static io.github.lightlys3ingest.contract.EnvironmentVariable.UPLOAD_MODE;

import io.github.lightlys3ingest.contract.Defaults;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.contract.UploadMode;
import io.github.lightlys3ingest.image.AnalysisOptions;
import io.github.lightlys3ingest.lightly.LightlySettings;
import io.github.lightlys3ingest.lightly.ObjectId;
import io.github.lightlys3ingest.metadata.CustomMetadataSettings;
import io.github.lightlys3ingest.metadata.KeyPattern;
import io.github.lightlys3ingest.metadata.MetadataSource;
import io.github.lightlys3ingest.storage.DatasourceUri;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The ingester's configuration, parsed and validated once. Lambda reads it from environment variables;
 * the CLI from its options, which default to the same variables. Names below are those variables.
 *
 * @param input          {@code INPUT_URI}: input datasource root (folder or {@code s3://bucket/prefix/})
 * @param output         {@code OUTPUT_URI}: output (LIGHTLY) datasource root
 * @param uploadMode     {@code UPLOAD_MODE}: thumbnails (default) or metadata
 * @param thumbSuffix    {@code THUMB_SUFFIX}: thumbnail key template
 * @param thumbSize      {@code THUMB_SIZE}: thumbnail box in pixels (default 128)
 * @param maxPixels      {@code MAX_PIXELS}: larger images are rejected before decoding
 * @param maxObjectBytes {@code MAX_OBJECT_BYTES}: larger objects are rejected before reading
 * @param claimLease     {@code CLAIM_LEASE_SECONDS}: age after which a claim counts as abandoned
 * @param datasetId      {@code LIGHTLY_DATASET_ID}: empty means a dry run (nothing sent to Lightly)
 * @param serverLocation {@code LIGHTLY_SERVER_LOCATION}: Lightly API base URL
 * @param lightlyRequestTimeout {@code LIGHTLY_REQUEST_TIMEOUT}: seconds one Lightly call may take (default 30)
 * @param customMetadata {@code CUSTOM_METADATA} (sources, default exif), {@code KEY_PATTERN}, {@code SIDECAR_FILE}
 */
public record IngestSettings(DatasourceUri input, DatasourceUri output, UploadMode uploadMode, ThumbSuffix thumbSuffix,
                             int thumbSize, long maxPixels, long maxObjectBytes, Duration claimLease,
                             Optional<String> datasetId, String serverLocation, Duration lightlyRequestTimeout,
                             CustomMetadataSettings customMetadata) {

    /**
     * Parses settings from named values (environment variables, or CLI options under the same names).
     *
     * @throws IllegalArgumentException listing every bad or missing value, each naming its variable
     */
    public static IngestSettings parse(Function<String, String> values) {
        Parser p = new Parser(values);
        DatasourceUri input = p.required(INPUT_URI, DatasourceUri::parse);
        DatasourceUri output = p.required(OUTPUT_URI, DatasourceUri::parse);
        UploadMode mode = p.optional(UPLOAD_MODE, UploadMode::parse, UploadMode.DEFAULT);
        ThumbSuffix suffix = p.optional(THUMB_SUFFIX, ThumbSuffix::new, new ThumbSuffix(ThumbSuffix.DEFAULT));
        int thumbSize = p.optional(THUMB_SIZE, v -> positive(Integer.parseInt(v)), AnalysisOptions.DEFAULT_THUMB_SIZE);
        long maxPixels = p.optional(MAX_PIXELS, v -> positive(Long.parseLong(v)), AnalysisOptions.DEFAULT_MAX_PIXELS);
        long maxBytes = p.optional(MAX_OBJECT_BYTES, v -> positive(Long.parseLong(v)),
                IngestOptions.DEFAULT_MAX_OBJECT_BYTES);
        Duration lease = p.optional(CLAIM_LEASE_SECONDS, v -> Duration.ofSeconds(positive(Long.parseLong(v))),
                IngestOptions.DEFAULT_CLAIM_LEASE);
        Optional<String> dataset = Optional.ofNullable(p.optional(LIGHTLY_DATASET_ID, v -> {
            if (!ObjectId.isValid(v)) {
                throw new IllegalArgumentException("must be " + ObjectId.SHAPE);
            }
            return v;
        }, null));
        String server = p.optional(LIGHTLY_SERVER_LOCATION, v -> {
            if (!v.startsWith("http://") && !v.startsWith("https://")) {
                throw new IllegalArgumentException("must be an http(s) URL");
            }
            return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
        }, Defaults.SERVER_LOCATION);
        Duration requestTimeout = p.optional(LIGHTLY_REQUEST_TIMEOUT,
                v -> Duration.ofSeconds(positive(Long.parseLong(v))), LightlySettings.DEFAULT_REQUEST_TIMEOUT);
        int errorsBefore = p.errors.size();
        CustomMetadataSettings metadata = new CustomMetadataSettings(
                p.optional(CUSTOM_METADATA, MetadataSource::parseList, CustomMetadataSettings.DEFAULT_SOURCES),
                Optional.ofNullable(p.optional(KEY_PATTERN, KeyPattern::parse, null)),
                Optional.ofNullable(p.optional(SIDECAR_FILE, v -> v, null)));
        if (p.errors.size() == errorsBefore) {
            p.errors.addAll(metadata.problems(CUSTOM_METADATA.key(), KEY_PATTERN.key(), SIDECAR_FILE.key()));
        }
        if (input != null && output != null) {
            nestingError(input, output).ifPresent(p.errors::add);
        }
        if (!p.errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", p.errors));
        }
        return new IngestSettings(input, output, mode, suffix, thumbSize, maxPixels, maxBytes, lease, dataset, server,
                requestTimeout, metadata);
    }

    public AnalysisOptions analysisOptions() {
        return new AnalysisOptions(maxPixels, thumbSize, "jpg", uploadMode == UploadMode.THUMBNAILS);
    }

    public IngestOptions ingestOptions() {
        return new IngestOptions(uploadMode, thumbSuffix, maxObjectBytes, claimLease);
    }

    /**
     * The key of an input object relative to the input root, or empty when the object must not be
     * ingested: outside the input root, inside the output root, or no input name
     * ({@link OutputLayout#isInputName}).
     */
    public Optional<String> inputFileName(String bucket, String fullKey) {
        if (!input.isS3() || !input.bucket().equals(bucket) || !fullKey.startsWith(input.prefix())) {
            return Optional.empty();
        }
        if (output.isS3() && output.bucket().equals(bucket) && fullKey.startsWith(output.prefix())) {
            return Optional.empty();
        }
        String relative = fullKey.substring(input.prefix().length());
        if (!OutputLayout.isInputName(relative)) {
            return Optional.empty();
        }
        return Optional.of(relative);
    }

    private static Optional<String> nestingError(DatasourceUri input, DatasourceUri output) {
        boolean sameRoot = input.isS3() == output.isS3()
                && (input.isS3() ? input.bucket().equals(output.bucket()) : true);
        if (!sameRoot) {
            return Optional.empty();
        }
        String in = input.isS3() ? input.prefix() : input.dir() + "/";
        String out = output.isS3() ? output.prefix() : output.dir() + "/";
        if (out.startsWith(in) || in.startsWith(out)) {
            return Optional.of(OUTPUT_URI.key() + " (" + output + ") and " + INPUT_URI.key() + " (" + input
                    + ") must not contain each other: the ingester would read its own output");
        }
        return Optional.empty();
    }

    private static <N extends Number> N positive(N n) {
        if (n.longValue() <= 0) {
            throw new IllegalArgumentException("must be positive");
        }
        return n;
    }

    /** Collects one message per bad value instead of stopping at the first. */
    private static final class Parser {
        private final Function<String, String> values;
        private final List<String> errors = new ArrayList<>();

        Parser(Function<String, String> values) {
            this.values = values;
        }

        <T> T required(EnvironmentVariable variable, Function<String, T> parse) {
            String name = variable.key();
            String raw = values.apply(name);
            if (raw == null || raw.isBlank()) {
                errors.add(name + " is required");
                return null;
            }
            return optional(variable, parse, null);
        }

        <T> T optional(EnvironmentVariable variable, Function<String, T> parse, T fallback) {
            String name = variable.key();
            String raw = values.apply(name);
            if (raw == null || raw.isBlank()) {
                return fallback;
            }
            try {
                return parse.apply(raw.trim());
            } catch (RuntimeException e) {
                String why = e instanceof NumberFormatException ? "must be a number" : e.getMessage();
                errors.add(name + "='" + raw + "': " + why);
                return fallback;
            }
        }
    }
}
