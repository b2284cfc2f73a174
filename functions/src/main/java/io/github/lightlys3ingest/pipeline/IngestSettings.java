package io.github.lightlys3ingest.pipeline;

import io.github.lightlys3ingest.contract.Defaults;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.AnalysisOptions;
import io.github.lightlys3ingest.lightly.LightlySettings;
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

    // The variables' names come from the contract the stack sets them by.
    public static final String INPUT_URI = EnvironmentVariable.INPUT_URI.key();
    public static final String OUTPUT_URI = EnvironmentVariable.OUTPUT_URI.key();
    public static final String UPLOAD_MODE = EnvironmentVariable.UPLOAD_MODE.key();
    public static final String THUMB_SUFFIX = EnvironmentVariable.THUMB_SUFFIX.key();
    public static final String THUMB_SIZE = EnvironmentVariable.THUMB_SIZE.key();
    public static final String MAX_PIXELS = EnvironmentVariable.MAX_PIXELS.key();
    public static final String MAX_OBJECT_BYTES = EnvironmentVariable.MAX_OBJECT_BYTES.key();
    public static final String CLAIM_LEASE_SECONDS = EnvironmentVariable.CLAIM_LEASE_SECONDS.key();
    public static final String LIGHTLY_DATASET_ID = EnvironmentVariable.LIGHTLY_DATASET_ID.key();
    public static final String LIGHTLY_SERVER_LOCATION = EnvironmentVariable.LIGHTLY_SERVER_LOCATION.key();
    public static final String LIGHTLY_REQUEST_TIMEOUT = EnvironmentVariable.LIGHTLY_REQUEST_TIMEOUT.key();
    public static final String DEFAULT_SERVER_LOCATION = Defaults.SERVER_LOCATION;
    public static final String CUSTOM_METADATA = EnvironmentVariable.CUSTOM_METADATA.key();
    public static final String KEY_PATTERN = EnvironmentVariable.KEY_PATTERN.key();
    public static final String SIDECAR_FILE = EnvironmentVariable.SIDECAR_FILE.key();

    /**
     * Parses settings from named values (environment variables, or CLI options under the same names).
     *
     * @throws IllegalArgumentException listing every bad or missing value, each naming its variable
     */
    public static IngestSettings parse(Function<String, String> values) {
        Parser p = new Parser(values);
        DatasourceUri input = p.required(INPUT_URI, DatasourceUri::parse);
        DatasourceUri output = p.required(OUTPUT_URI, DatasourceUri::parse);
        UploadMode mode = p.optional(UPLOAD_MODE, UploadMode::parse, UploadMode.THUMBNAILS);
        ThumbSuffix suffix = p.optional(THUMB_SUFFIX, ThumbSuffix::new, new ThumbSuffix(ThumbSuffix.DEFAULT));
        int thumbSize = p.optional(THUMB_SIZE, v -> positive(Integer.parseInt(v)), AnalysisOptions.DEFAULT_THUMB_SIZE);
        long maxPixels = p.optional(MAX_PIXELS, v -> positive(Long.parseLong(v)), AnalysisOptions.DEFAULT_MAX_PIXELS);
        long maxBytes = p.optional(MAX_OBJECT_BYTES, v -> positive(Long.parseLong(v)),
                IngestOptions.DEFAULT_MAX_OBJECT_BYTES);
        Duration lease = p.optional(CLAIM_LEASE_SECONDS, v -> Duration.ofSeconds(positive(Long.parseLong(v))),
                IngestOptions.DEFAULT_CLAIM_LEASE);
        Optional<String> dataset = Optional.ofNullable(p.optional(LIGHTLY_DATASET_ID, v -> {
            if (!v.matches("[a-f0-9]{24}")) {
                throw new IllegalArgumentException("must be 24 lower-case hex characters");
            }
            return v;
        }, null));
        String server = p.optional(LIGHTLY_SERVER_LOCATION, v -> {
            if (!v.startsWith("http://") && !v.startsWith("https://")) {
                throw new IllegalArgumentException("must be an http(s) URL");
            }
            return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
        }, DEFAULT_SERVER_LOCATION);
        Duration requestTimeout = p.optional(LIGHTLY_REQUEST_TIMEOUT,
                v -> Duration.ofSeconds(positive(Long.parseLong(v))), LightlySettings.DEFAULT_REQUEST_TIMEOUT);
        int errorsBefore = p.errors.size();
        CustomMetadataSettings metadata = new CustomMetadataSettings(
                p.optional(CUSTOM_METADATA, MetadataSource::parseList, CustomMetadataSettings.DEFAULT_SOURCES),
                Optional.ofNullable(p.optional(KEY_PATTERN, KeyPattern::parse, null)),
                Optional.ofNullable(p.optional(SIDECAR_FILE, v -> v, null)));
        if (p.errors.size() == errorsBefore) {
            p.errors.addAll(metadata.problems(CUSTOM_METADATA, KEY_PATTERN, SIDECAR_FILE));
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
     * ingested: outside the input root, inside the output root, or under a {@code .lightly/} folder
     * (never ingest our own output: that would loop).
     */
    public Optional<String> inputFileName(String bucket, String fullKey) {
        if (!input.isS3() || !input.bucket().equals(bucket) || !fullKey.startsWith(input.prefix())) {
            return Optional.empty();
        }
        if (output.isS3() && output.bucket().equals(bucket) && fullKey.startsWith(output.prefix())) {
            return Optional.empty();
        }
        String relative = fullKey.substring(input.prefix().length());
        if (relative.isEmpty() || relative.endsWith("/") || OutputLayout.isLightlyOwned(relative)) {
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
            return Optional.of(OUTPUT_URI + " (" + output + ") and " + INPUT_URI + " (" + input
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

        <T> T required(String name, Function<String, T> parse) {
            String raw = values.apply(name);
            if (raw == null || raw.isBlank()) {
                errors.add(name + " is required");
                return null;
            }
            return optional(name, parse, null);
        }

        <T> T optional(String name, Function<String, T> parse, T fallback) {
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
