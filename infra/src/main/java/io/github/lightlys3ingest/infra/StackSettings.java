package io.github.lightlys3ingest.infra;

import io.github.lightlys3ingest.contract.Defaults;
import io.github.lightlys3ingest.contract.UploadMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the stack is configured with, read from CDK context ({@code cdk synth -c key=value} or
 * {@code cdk.json}) and validated as a whole: {@link #fromContext} reports every mistake at once, including a
 * key that is no setting (a misspelt {@code inputprefix} would otherwise silently deploy the default).
 *
 * @param stackName              CloudFormation stack name; also prefixes the backfill function's name
 * @param input                  the Lightly INPUT datasource root (images are read from here)
 * @param output                 the Lightly LIGHTLY datasource root (thumbnails and records are written here)
 * @param lightlyAccountId       AWS account that Lightly assumes the role from
 * @param externalId             external ID Lightly must present when assuming the role
 * @param roleName               name of the role Lightly assumes
 * @param createIamUser          whether to also create an IAM user with the same policy (access key in Secrets
 *                               Manager)
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
 * @param alarmEmail             address subscribed to the alarm topic, if any
 * @param maxMessageAgeSeconds   the queue-age alarm fires when the oldest queued message is older than this
 * @param inputKmsKeyArn         KMS key of the existing input bucket's objects (SSE-KMS), if any
 * @param outputKmsKeyArn        KMS key of the existing output bucket's objects (SSE-KMS), if any
 * @param bucketEncryption       how the buckets the stack creates are encrypted
 * @param customMetadata         custom metadata sources, a comma list of key, user, tags, sidecar, exif (or none)
 * @param keyPattern             names key segments for the key source, e.g. {site}/{date}/{camera}/*
 * @param sidecarFile            the COCO-style custom metadata file ({@code s3://bucket/key.json}), if any
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
        Path functionsJar,
        Optional<String> alarmEmail,
        int maxMessageAgeSeconds,
        Optional<String> inputKmsKeyArn,
        Optional<String> outputKmsKeyArn,
        CreatedBucketEncryption bucketEncryption,

        String customMetadata,
        Optional<String> keyPattern,
        Optional<String> sidecarFile) {

    /**
     * The account Lightly's documentation gives since July 2022; its June 2022 documentation (this project's
     * seed) gave 311530292373, which {@code -c lightlyAccountId=311530292373} still selects.
     */
    public static final String DEFAULT_LIGHTLY_ACCOUNT_ID = "916419735646";
    public static final String DEFAULT_ROLE_NAME = "Lightly-S3-Integration";
    public static final String DEFAULT_STACK_NAME = "LightlyS3Ingest";
    public static final String DEFAULT_TOKEN_SECRET_NAME = "lightly-s3-ingest/lightly-token";
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
    /**
     * One hour: the oldest message waiting that long means ingestion stalled or cannot keep up. SQS stops
     * counting a message once it was received three times, so poison messages (the dead-letter alarm's
     * business) do not hold this alarm up; a large backfill can raise it, which is worth knowing too.
     */
    public static final int DEFAULT_MAX_MESSAGE_AGE_SECONDS = 3600;
    /** The ingestion queue keeps messages for SQS's default four days; the alarm must fire well before. */
    public static final int MAX_MESSAGE_AGE_LIMIT_SECONDS = 3 * 24 * 3600;

    private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,49}");
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[a-zA-Z0-9_+=,.@:/-]{10,1224}");
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern DATASET_ID = Pattern.compile("[a-f0-9]{24}");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    private static final Pattern EMAIL =
            Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    /** A key ARN (not an alias: IAM grants on an alias ARN do not cover the key), single- or multi-Region. */
    private static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\\d+:\\d{12}:key/"
            + "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})");
    private static final Pattern SCHEDULE =
            Pattern.compile("rate\\(\\d+ (minute|minutes|hour|hours|day|days)\\)|cron\\(.+\\)");
    /**
     * Context keys that are CDK's own rather than settings: the CLI's {@code aws:cdk:*} keys, feature flags
     * ({@code @aws-cdk/...}), cached lookups ({@code availability-zones:account=...}) all contain ':' or start
     * with '@'; these are the few without.
     */
    private static final Set<String> CDK_KEYS = Set.of("acknowledged-issue-numbers", "cli-telemetry");
    private static final Pattern METADATA_SOURCES =
            Pattern.compile("(none|((key|user|tags|sidecar|exif)(,(key|user|tags|sidecar|exif))*))");
    private static final Pattern KEY_PATTERN = Pattern.compile(".*\\{[A-Za-z_][^{}]*}.*");
    private static final Pattern S3_OBJECT_URI = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^*?]+\\.json");

    /**
     * Reads and validates the settings.
     *
     * @param context the whole context ({@code app.getNode().getAllContext()}): settings, CDK's own keys
     * @throws InvalidSettingsException listing every invalid, missing or unknown setting
     */
    public static StackSettings fromContext(Map<String, ?> context) {
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
                "must be at least 10 characters of a-z A-Z 0-9 _ + = , . @ : / - (Lightly's rule; pick a random "
                        + "string, e.g. `openssl rand -hex 16`)");
        String roleName = reader.text("roleName", DEFAULT_ROLE_NAME, ROLE_NAME,
                "must be 1-64 characters of letters, digits and _ + = , . @ -");
        boolean createIamUser = reader.bool("createIamUser", false);
        String datasetId = reader.required("lightlyDatasetId", DATASET_ID,
                "must be the 24 lower-case hex characters of the Lightly dataset id");
        String secretName = reader.text("lightlyTokenSecretName", DEFAULT_TOKEN_SECRET_NAME, SECRET_NAME,
                "must be a Secrets Manager secret name (letters, digits and / _ + = . @ -)");
        Optional<String> serverLocation = reader.optionalUrl("lightlyServerLocation");
        UploadMode uploadMode = reader.uploadMode("uploadMode");
        int thumbSize = (int) reader.number("thumbSize", Defaults.THUMB_SIZE, 16, 4096);
        String thumbSuffix = reader.thumbSuffix("thumbSuffix");
        long maxPixels = reader.number("maxPixels", DEFAULT_MAX_PIXELS, 1, 1_000_000_000L);
        long maxObjectBytes = reader.number("maxObjectBytes", Defaults.MAX_OBJECT_BYTES, 1, 5L * 1024 * 1024 * 1024);
        int memory = (int) reader.number("functionMemory", DEFAULT_FUNCTION_MEMORY_MB, 512, 10_240);
        int timeout = (int) reader.number("functionTimeout", DEFAULT_FUNCTION_TIMEOUT_SECONDS, 10, 900);
        int maxConcurrency = (int) reader.number("maxConcurrency", DEFAULT_MAX_CONCURRENCY, 2, 1000);
        String tagSchedule = reader.text("tagSchedule", "rate(15 minutes)", SCHEDULE,
                "must be an EventBridge schedule expression such as rate(15 minutes) or cron(0/15 * * * ? *)");
        Path jar = reader.functionsJar("functionsJar");
        Optional<String> alarmEmail = reader.optional("alarmEmail", EMAIL,
                "is not an e-mail address such as ops@example.com");
        int maxMessageAge = (int) reader.number("maxMessageAgeSeconds", DEFAULT_MAX_MESSAGE_AGE_SECONDS, 300,
                MAX_MESSAGE_AGE_LIMIT_SECONDS);
        Optional<String> inputKey = reader.kmsKeyArn("inputKmsKeyArn", input, "inputBucket");
        Optional<String> outputKey = reader.kmsKeyArn("outputKmsKeyArn", output, "outputBucket");
        CreatedBucketEncryption bucketEncryption = reader.bucketEncryption("bucketEncryption", input, output);
        String customMetadata = reader.text("customMetadata", "exif", METADATA_SOURCES,
                "must be a comma list of key, user, tags, sidecar, exif (no spaces), or none").toLowerCase(Locale.ROOT);
        Optional<String> keyPattern = reader.raw("keyPattern");
        keyPattern.filter(pattern -> !KEY_PATTERN.matcher(pattern).matches()).ifPresent(pattern -> reader.error(
                "keyPattern", "'" + pattern + "' must name key segments, e.g. {site}/{date}/{camera}/*"));
        boolean keySource = List.of(customMetadata.split(",")).contains("key");
        if (keySource && keyPattern.isEmpty()) {
            reader.error("keyPattern", "is required when customMetadata includes key (e.g. -c keyPattern='{site}/*')");
        } else if (!keySource && keyPattern.isPresent()) {
            reader.error("keyPattern", "is set but customMetadata does not include key");
        }
        Optional<String> sidecarFile = reader.optional("sidecarFile", S3_OBJECT_URI,
                "must be the s3:// URI of a .json object, e.g. s3://datalake/projects/farm-animals/metadata.json");
        if (sidecarFile.isPresent() && !List.of(customMetadata.split(",")).contains("sidecar")) {
            reader.error("sidecarFile", "is set but customMetadata does not include sidecar");
        }
        reader.rejectUnknownKeys();
        reader.throwIfInvalid();
        return new StackSettings(stackName, input, output, accountId, externalId, roleName, createIamUser,
                datasetId, secretName, serverLocation, uploadMode, thumbSize, thumbSuffix, maxPixels,
                maxObjectBytes, memory, timeout, maxConcurrency, tagSchedule, jar, alarmEmail, maxMessageAge,
                inputKey, outputKey, bucketEncryption, customMetadata, keyPattern, sidecarFile);
    }

    /** True when object tags are a custom metadata source: the ingestion function then reads them. */
    public boolean readsObjectTags() {
        return List.of(customMetadata.split(",")).contains("tags");
    }

    /**
     * Reads typed values from context, recording one error per bad key instead of stopping at the first, and
     * the keys it read: those are the settings.
     */
    private static final class Reader {
        private final Map<String, ?> context;
        private final Set<String> settings = new LinkedHashSet<>();
        private final List<String> errors = new ArrayList<>();

        Reader(Map<String, ?> context) {
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

        /** Every user key that no setting read, with the setting it most likely meant. */
        void rejectUnknownKeys() {
            context.keySet().stream()
                    .filter(key -> !settings.contains(key) && isUserKey(key))
                    .sorted()
                    .forEach(key -> error(key, "is not a setting; did you mean " + nearestSetting(key) + "?"));
        }

        private static boolean isUserKey(String key) {
            return !key.contains(":") && !key.startsWith("@") && !CDK_KEYS.contains(key);
        }

        private String nearestSetting(String key) {
            String lower = key.toLowerCase(Locale.ROOT);
            return settings.stream()
                    .min(Comparator.comparingInt((String s) -> editDistance(lower, s.toLowerCase(Locale.ROOT))))
                    .orElseThrow();
        }

        private Optional<String> raw(String key) {
            settings.add(key);
            Object value = context.get(key);
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

        Optional<String> optional(String key, Pattern pattern, String rule) {
            Optional<String> value = raw(key);
            value.filter(text -> !pattern.matcher(text).matches())
                    .ifPresent(text -> error(key, "'" + text + "' " + rule));
            return value;
        }

        /** The key of an existing bucket's objects; a bucket the stack creates gets its key from bucketEncryption. */
        Optional<String> kmsKeyArn(String key, DatasourceLocation location, String bucketKey) {
            Optional<String> value = raw(key);
            if (value.isEmpty()) {
                return value;
            }
            String arn = value.get();
            if (arn.matches("arn:aws[a-z-]*:kms:.*:alias/.*")) {
                error(key, "'" + arn + "' is an alias ARN; give the key ARN (arn:aws:kms:<region>:<account>:key/<key "
                        + "id>): IAM grants on an alias do not cover the key (`aws kms describe-key --key-id "
                        + "<alias>` shows the key ARN)");
            } else if (!KMS_KEY_ARN.matcher(arn).matches()) {
                error(key, "'" + arn + "' is not a KMS key ARN such as "
                        + "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
            } else if (location.existingBucket().isEmpty()) {
                error(key, "names the key of an existing bucket, but the stack creates this bucket (no "
                        + bucketKey + "); pass -c " + bucketKey + "=<name> or use -c bucketEncryption=kms");
            }
            return value;
        }

        CreatedBucketEncryption bucketEncryption(String key, DatasourceLocation input, DatasourceLocation output) {
            String value = raw(key).orElse("s3");
            CreatedBucketEncryption mode;
            try {
                mode = CreatedBucketEncryption.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                error(key, "'" + value + "' must be s3 (S3-managed keys) or kms (a key the stack creates)");
                return CreatedBucketEncryption.S3;
            }
            if (mode == CreatedBucketEncryption.KMS && input.existingBucket().isPresent()
                    && output.existingBucket().isPresent()) {
                error(key, "kms applies to buckets the stack creates, but inputBucket and outputBucket both exist; "
                        + "give their keys with inputKmsKeyArn and outputKmsKeyArn instead");
            }
            return mode;
        }

        Optional<String> optionalUrl(String key) {
            Optional<String> value = raw(key);
            value.filter(url -> !url.matches("https?://[^\\s/]+(/\\S*)?"))
                    .ifPresent(url -> error(key, "'" + url + "' must be an http(s) URL such as "
                            + Defaults.SERVER_LOCATION));
            return value;
        }

        UploadMode uploadMode(String key) {
            Optional<String> value = raw(key);
            try {
                return value.map(UploadMode::parse).orElse(UploadMode.DEFAULT);
            } catch (IllegalArgumentException e) {
                error(key, "'" + value.get() + "' must be thumbnails or metadata");
                return UploadMode.DEFAULT;
            }
        }

        String thumbSuffix(String key) {
            String value = raw(key).orElse(Defaults.THUMB_SUFFIX);
            if (!value.contains("[filename]") || value.startsWith("/")) {
                error(key, "'" + value + "' must contain [filename] and be relative to the output root");
            }
            return value;
        }

        Path functionsJar(String key) {
            Path jar = Path.of(raw(key).orElse(Defaults.FUNCTIONS_JAR));
            if (!Files.isRegularFile(jar)) {
                error(key, jar.toAbsolutePath() + " does not exist; run `mvn package` first (it builds "
                        + Defaults.FUNCTIONS_JAR + "), and run cdk from the repository root");
            } else if (!jar.getFileName().toString().endsWith(".jar")) {
                error(key, jar + " must be a .jar file");
            }
            return jar;
        }
    
        /** Levenshtein distance: the number of single-character edits that turn one word into the other. */
        private static int editDistance(String a, String b) {
            int[] previous = new int[b.length() + 1];
            int[] current = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                previous[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                current[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                    current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
                }
                int[] swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.length()];
        }
}
}
