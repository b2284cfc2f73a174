package io.github.lightlys3ingest.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything the stack is configured with, read from CDK context ({@code cdk synth -c key=value} or
 * {@code cdk.json}) and validated as a whole: {@link #fromContext} reports every mistake at once.
 *
 * @param stackName              CloudFormation stack name; also prefixes the backfill function's name
 * @param input                  the Lightly INPUT datasource root (images are read from here)
 * @param output                 the Lightly LIGHTLY datasource root (thumbnails and records are written here)
 * @param lightlyAccountId       AWS account that Lightly assumes the role from
 * @param externalId             external ID Lightly must present when assuming the role
 * @param roleName               name of the role Lightly assumes
 * @param createIamUser          whether to also create an IAM user with the same policy (access key in Secrets Manager)
 * @param lightlyDatasetId       the Lightly dataset the samples go to
 * @param lightlyTokenSecretName Secrets Manager secret holding the Lightly API token (created by the user)
 * @param lightlyServerLocation  Lightly API base URL, when not the default
 * @param uploadMode             thumbnails or metadata
 * @param thumbSize              longest thumbnail edge in pixels
 * @param thumbSuffix            Lightly thumb-suffix template
 * @param maxPixels              images with more pixels are rejected, not decoded
 * @param maxObjectBytes         larger objects are rejected, not read
 * @param functionMemoryMb       memory of the ingestion function in MB
 * @param functionTimeoutSeconds timeout of the ingestion function in seconds
 * @param maxConcurrency         maximum concurrent ingestion invocations, which bounds requests to Lightly
 * @param tagSchedule            EventBridge schedule expression of the tag step
 * @param functionsJar           the functions jar deployed to all Lambda functions
 */
public record StackSettings(
        String stackName,
        DatasourceLocation input,
        DatasourceLocation output,
        String lightlyAccountId,
        String externalId,
        String roleName,
        boolean createIamUser,
        String lightlyDatasetId,
        String lightlyTokenSecretName,
        Optional<String> lightlyServerLocation,
        UploadMode uploadMode,
        int thumbSize,
        String thumbSuffix,
        long maxPixels,
        long maxObjectBytes,
        int functionMemoryMb,
        int functionTimeoutSeconds,
        int maxConcurrency,
        String tagSchedule,
        Path functionsJar) {

    /** Lightly's account in its June 2022 documentation (the seed's value); later docs give 916419735646. */
    public static final String DEFAULT_LIGHTLY_ACCOUNT_ID = "311530292373";
    public static final String DEFAULT_ROLE_NAME = "Lightly-S3-Integration";
    public static final String DEFAULT_STACK_NAME = "LightlyS3Ingest";
    public static final String DEFAULT_TOKEN_SECRET_NAME = "lightly-s3-ingest/lightly-token";
    public static final String DEFAULT_THUMB_SUFFIX = ".lightly/thumbnails/[filename]_thumb.[extension]";
    public static final String DEFAULT_FUNCTIONS_JAR = "functions/target/lightly-s3-ingest.jar";
    /**
     * 1769 MB, one vCPU: measured with 20 ms per S3 and 150 ms per Lightly round trip and ten objects of a batch
     * in flight (docs/benchmarks.md), it costs the fewest GB-seconds per object: small images are bound by the
     * round trips, which more memory does not shorten, and 12 MP photos by the CPU, where twice the vCPUs for
     * 1.7 times the price breaks even at best. It holds two 50 MP analyses (under 200 MB of heap each,
     * measured) and the bytes of the objects in flight.
     */
    public static final int DEFAULT_FUNCTION_MEMORY_MB = 1769;
    public static final int DEFAULT_FUNCTION_TIMEOUT_SECONDS = 120;
    /** Lightly's own uploader used 8 concurrent workers. */
    public static final int DEFAULT_MAX_CONCURRENCY = 8;
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    public static final long DEFAULT_MAX_OBJECT_BYTES = 256L * 1024 * 1024;

    private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,49}");
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[a-zA-Z0-9_+=,.@:/-]{10,1224}");
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern DATASET_ID = Pattern.compile("[a-f0-9]{24}");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    private static final Pattern SCHEDULE = Pattern.compile("rate\\(\\d+ (minute|minutes|hour|hours|day|days)\\)|cron\\(.+\\)");

    /**
     * Reads and validates the settings.
     *
     * @param context looks a context key up; returns null when the key is not set
     * @throws InvalidSettingsException listing every invalid or missing setting
     */
    public static StackSettings fromContext(Function<String, Object> context) {
        var reader = new Reader(context);
        String stackName = reader.text("stackName", DEFAULT_STACK_NAME, STACK_NAME,
                "must start with a letter and contain only letters, digits and '-', at most 50 characters");
        DatasourceLocation input = reader.location("inputBucket", "inputPrefix");
        DatasourceLocation output = reader.location("outputBucket", "outputPrefix");
        if (input.overlaps(output)) {
            reader.error("outputPrefix", "the output root s3://" + output.existingBucket().orElseThrow() + "/"
                    + output.prefix() + " and the input root s3://" + input.existingBucket().orElseThrow() + "/"
                    + input.prefix() + " lie inside one another; writing thumbnails and records there would "
                    + "trigger ingestion again (a recursive loop). Use disjoint prefixes, e.g. inputPrefix="
                    + "projects/farm-animals/ and outputPrefix=lightly/farm-animals/");
        }
        String accountId = reader.text("lightlyAccountId", DEFAULT_LIGHTLY_ACCOUNT_ID, ACCOUNT_ID,
                "must be a 12-digit AWS account id");
        String externalId = reader.required("externalId", EXTERNAL_ID,
                "must be at least 10 characters of a-z A-Z 0-9 _ + = , . @ : / - (Lightly's rule; pick a random string, "
                        + "e.g. `openssl rand -hex 16`)");
        String roleName = reader.text("roleName", DEFAULT_ROLE_NAME, ROLE_NAME,
                "must be 1-64 characters of letters, digits and _ + = , . @ -");
        boolean createIamUser = reader.bool("createIamUser", false);
        String datasetId = reader.required("lightlyDatasetId", DATASET_ID,
                "must be the 24 lower-case hex characters of the Lightly dataset id");
        String secretName = reader.text("lightlyTokenSecretName", DEFAULT_TOKEN_SECRET_NAME, SECRET_NAME,
                "must be a Secrets Manager secret name (letters, digits and / _ + = . @ -)");
        Optional<String> serverLocation = reader.optionalUrl("lightlyServerLocation");
        UploadMode uploadMode = reader.uploadMode("uploadMode");
        int thumbSize = (int) reader.number("thumbSize", 128, 16, 4096);
        String thumbSuffix = reader.thumbSuffix("thumbSuffix");
        long maxPixels = reader.number("maxPixels", DEFAULT_MAX_PIXELS, 1, 1_000_000_000L);
        long maxObjectBytes = reader.number("maxObjectBytes", DEFAULT_MAX_OBJECT_BYTES, 1, 5L * 1024 * 1024 * 1024);
        int memory = (int) reader.number("functionMemory", DEFAULT_FUNCTION_MEMORY_MB, 512, 10_240);
        int timeout = (int) reader.number("functionTimeout", DEFAULT_FUNCTION_TIMEOUT_SECONDS, 10, 900);
        int maxConcurrency = (int) reader.number("maxConcurrency", DEFAULT_MAX_CONCURRENCY, 2, 1000);
        String tagSchedule = reader.text("tagSchedule", "rate(15 minutes)", SCHEDULE,
                "must be an EventBridge schedule expression such as rate(15 minutes) or cron(0/15 * * * ? *)");
        Path jar = reader.functionsJar("functionsJar");
        reader.throwIfInvalid();
        return new StackSettings(stackName, input, output, accountId, externalId, roleName, createIamUser,
                datasetId, secretName, serverLocation, uploadMode, thumbSize, thumbSuffix, maxPixels,
                maxObjectBytes, memory, timeout, maxConcurrency, tagSchedule, jar);
    }

    /** Reads typed values from context, recording one error per bad key instead of stopping at the first. */
    private static final class Reader {
        private final Function<String, Object> context;
        private final List<String> errors = new ArrayList<>();

        Reader(Function<String, Object> context) {
            this.context = context;
        }

        void error(String key, String message) {
            errors.add(key + ": " + message);
        }

        void throwIfInvalid() {
            if (!errors.isEmpty()) {
                throw new InvalidSettingsException(errors);
            }
        }

        private Optional<String> raw(String key) {
            Object value = context.apply(key);
            if (value == null) {
                return Optional.empty();
            }
            String text = value.toString().trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        }

        String text(String key, String fallback, Pattern pattern, String rule) {
            String value = raw(key).orElse(fallback);
            if (!pattern.matcher(value).matches()) {
                error(key, "'" + value + "' " + rule);
            }
            return value;
        }

        String required(String key, Pattern pattern, String rule) {
            Optional<String> value = raw(key);
            if (value.isEmpty()) {
                error(key, "is required (pass -c " + key + "=...); it " + rule);
                return "";
            }
            if (!pattern.matcher(value.get()).matches()) {
                // The external id is sensitive enough not to be echoed back into CI logs.
                error(key, "the given value " + rule);
            }
            return value.get();
        }

        boolean bool(String key, boolean fallback) {
            Optional<String> value = raw(key);
            if (value.isEmpty()) {
                return fallback;
            }
            String text = value.get().toLowerCase(Locale.ROOT);
            if (!text.equals("true") && !text.equals("false")) {
                error(key, "'" + value.get() + "' must be true or false");
                return fallback;
            }
            return Boolean.parseBoolean(text);
        }

        long number(String key, long fallback, long min, long max) {
            Optional<String> value = raw(key);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                long parsed = Long.parseLong(value.get());
                if (parsed < min || parsed > max) {
                    error(key, parsed + " is out of range; allowed " + min + " to " + max);
                }
                return parsed;
            } catch (NumberFormatException e) {
                error(key, "'" + value.get() + "' is not a whole number");
                return fallback;
            }
        }

        DatasourceLocation location(String bucketKey, String prefixKey) {
            Optional<String> bucket = raw(bucketKey);
            bucket.filter(name -> !BUCKET_NAME.matcher(name).matches() || name.contains(".."))
                    .ifPresent(name -> error(bucketKey, "'" + name + "' is not a valid S3 bucket name "
                            + "(3-63 characters of a-z 0-9 . -; give the name, not an s3:// URI)"));
            String prefix = raw(prefixKey).orElse("");
            if (prefix.startsWith("/") || prefix.startsWith("s3://")) {
                error(prefixKey, "'" + prefix + "' must be a key prefix relative to the bucket root, "
                        + "e.g. projects/farm-animals/ (no leading '/', no s3://)");
            } else if (prefix.contains("*") || prefix.contains("?") || prefix.contains("//")) {
                error(prefixKey, "'" + prefix + "' must not contain '*', '?' or '//'");
            }
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                // A datasource root is a folder: without the slash, projects/farm would also match projects/farm-2/.
                prefix = prefix + "/";
            }
            return new DatasourceLocation(bucket, prefix);
        }

        Optional<String> optionalUrl(String key) {
            Optional<String> value = raw(key);
            value.filter(url -> !url.matches("https?://[^\\s/]+(/\\S*)?"))
                    .ifPresent(url -> error(key, "'" + url + "' must be an http(s) URL such as https://api.lightly.ai"));
            return value;
        }

        UploadMode uploadMode(String key) {
            String value = raw(key).orElse("thumbnails");
            try {
                return UploadMode.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                error(key, "'" + value + "' must be thumbnails or metadata");
                return UploadMode.THUMBNAILS;
            }
        }

        String thumbSuffix(String key) {
            String value = raw(key).orElse(DEFAULT_THUMB_SUFFIX);
            if (!value.contains("[filename]") || value.startsWith("/")) {
                error(key, "'" + value + "' must contain [filename] and be relative to the output root");
            }
            return value;
        }

        Path functionsJar(String key) {
            Path jar = Path.of(raw(key).orElse(DEFAULT_FUNCTIONS_JAR));
            if (!Files.isRegularFile(jar)) {
                error(key, jar.toAbsolutePath() + " does not exist; run `mvn package` first (it builds "
                        + DEFAULT_FUNCTIONS_JAR + "), and run cdk from the repository root");
            } else if (!jar.getFileName().toString().endsWith(".jar")) {
                error(key, jar + " must be a .jar file");
            }
            return jar;
        }
    }
}
