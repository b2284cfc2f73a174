package io.github.lightlys3ingest.lightly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.lightlys3ingest.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Client for the parts of Lightly's API this project uses (see the test resource lightly-api/NOTES.md). Thread-safe.
 *
 * <p>Failures come in two kinds. {@link IOException}: the request could not be completed within the
 * {@link RetryPolicy} or before the deadline (network errors, 408/429/5xx); trying again later may work.
 * {@link LightlyApiException}: Lightly refused the request (400, 401, 403, 404, ...); trying again will not
 * help. Messages never contain the token, raw or URL-encoded, and failures after retries name the server.
 *
 * <p>Outages: a call that used up its retries on network errors, timeouts or 5xx answers makes Lightly
 * suspect, and further calls get a single attempt until one is answered. When {@value #OUTAGE_CALLS} calls
 * in a row failed like this, Lightly counts as down: the failing call and every later one throw a systemic
 * {@link LightlyUnavailableException}, later ones without sending anything. Any answer that is not retried
 * (success or refusal) clears the count. The state belongs to one client; {@link #withDeadline} starts afresh.
 */
public final class LightlyClient implements SampleSink {

    /** The tag creator Lightly's pip uploader used; the closest match for an uploader outside the web app. */
    static final String TAG_CREATOR = "USER_PIP";
    /** Name given to the first tag, as Lightly names it. */
    static final String INITIAL_TAG_NAME = "initial-tag";

    private static final DateTimeFormatter UPSIZE_TAG_NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd_HH'h'mm'm'ss's'").withZone(ZoneOffset.UTC);
    private static final Pattern FILE_NAME_EXISTS = Pattern.compile("(?i).*file ?name.*exist.*");
    /** A dead host shows within this; a live one connects in milliseconds. */
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Calls in a row that used up their retries on network errors or 5xx before Lightly counts as down. */
    static final int OUTAGE_CALLS = 3;

    private final LightlySettings settings;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Instant deadline;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Health health = new Health();

    /** A client with Lightly's retry policy and real time. */
    public LightlyClient(LightlySettings settings) {
        this(settings, RetryPolicy.DEFAULT, Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /**
     * A client with its own retry policy and time source, without a deadline.
     *
     * @param clock   the time deadlines are compared with and upsize tags are named after
     * @param sleeper how waits between retries are spent
     */
    public LightlyClient(LightlySettings settings, RetryPolicy retryPolicy, Clock clock, Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.deadline = Instant.MAX;
        Duration connectTimeout = settings.requestTimeout().compareTo(MAX_CONNECT_TIMEOUT) < 0
                ? settings.requestTimeout() : MAX_CONNECT_TIMEOUT;
        // never follow redirects: the token is in the query string and must not travel to another host
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.json = Json.MAPPER;
    }

    private LightlyClient(LightlyClient base, Instant deadline) {
        this.settings = base.settings;
        this.retryPolicy = base.retryPolicy;
        this.clock = base.clock;
        this.sleeper = base.sleeper;
        this.http = base.http;
        this.json = base.json;
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    /**
     * The same client bound to a deadline, such as the end of a Lambda invocation: it starts no wait that
     * would end after the deadline, shortens each request's timeout to the time left, and fails with an
     * {@link IOException} instead, so the work can be retried later.
     */
    public LightlyClient withDeadline(Instant deadline) {
        return new LightlyClient(this, deadline);
    }

    /** The settings this client uses. */
    public LightlySettings settings() {
        return settings;
    }

    @Override
    public Optional<String> datasetId() {
        return Optional.of(settings.datasetId());
    }

    /**
     * Creates the sample exactly once, without relying on Lightly to refuse duplicates (its API declares no
     * uniqueness of file names). After an attempt that may have reached Lightly without an answer telling
     * (5xx, timeout, reset or lost response once the request was sent), the next attempt first looks the
     * file name up and returns the id found; only when there is none is the POST sent again. A 409 (or a 400
     * saying the name exists) is the second defence: the existing sample's id is returned. Lookups and
     * POSTs share the retry policy's attempts. When nothing fails this is one request.
     *
     * @return the sample id, never empty
     */
    @Override
    public Optional<String> createSample(SampleCreateRequest request) throws IOException {
        Objects.requireNonNull(request, "request");
        String path = datasetPath("/samples");
        URI create = uri(path, Map.of());
        URI lookup = uri(datasetPath("/samples/partial"), findQuery(request.fileName()));
        byte[] payload = json.writeValueAsBytes(request);
        Attempts attempts = new Attempts("POST " + path);
        boolean mayExist = false;
        while (true) {
            if (mayExist) {
                Reply found = attempts.send("GET", lookup, null);
                if (found == null) {
                    attempts.backOff();
                    continue;
                }
                if (!found.isSuccess()) {
                    throw refusal("GET " + datasetPath("/samples/partial"), found);
                }
                Optional<String> existing = matching(found, request.fileName());
                if (existing.isPresent()) {
                    return existing;
                }
                mayExist = false;
            }
            Reply reply = attempts.send("POST", create, payload);
            if (reply == null) {
                mayExist = attempts.mayHaveArrived();
                attempts.backOff();
                continue;
            }
            if (reply.isSuccess()) {
                String id = parse(reply, "POST " + path).path("id").asText("");
                if (!ObjectId.isValid(id)) {
                    throw new IOException("unexpected response to POST " + path + " (HTTP " + reply.status()
                            + "): no sample id");
                }
                return Optional.of(id);
            }
            if (isFileNameConflict(reply)) {
                Optional<String> existing = findSample(request.fileName());
                if (existing.isPresent()) {
                    return existing;
                }
            }
            throw refusal("POST " + path, reply);
        }
    }

    /** The id of the sample with exactly this file name, if the dataset has one. */
    @Override
    public Optional<String> findSample(String fileName) throws IOException {
        String path = datasetPath("/samples/partial");
        Reply reply = call("GET", path, findQuery(fileName), null);
        if (!reply.isSuccess()) {
            throw refusal("GET " + path, reply);
        }
        return matching(reply, fileName);
    }

    /** The sample with this id, or empty when Lightly answers 404. */
    @Override
    public Optional<LightlySample> getSample(String sampleId) throws IOException {
        String path = datasetPath("/samples/" + requireId(sampleId));
        Reply reply = call("GET", path, Map.of(), null);
        if (reply.status() == 404 && !"DATASET_UNKNOWN".equals(errorField(reply, "code"))) {
            return Optional.empty();
        }
        if (!reply.isSuccess()) {
            throw refusal("GET " + path, reply);
        }
        JsonNode sample = parse(reply, "GET " + path);
        JsonNode custom = sample.path("customMetaData");
        Map<String, Object> customMetaData = custom.isObject()
                ? json.convertValue(custom, new TypeReference<LinkedHashMap<String, Object>>() { })
                : Map.of();
        return Optional.of(new LightlySample(sampleId, text(sample, "fileName"), customMetaData));
    }

    /** {@code PUT} of the sample: replaces the fields the request names. Repeating it is harmless. */
    @Override
    public void updateSample(String sampleId, SampleUpdateRequest request) throws IOException {
        Objects.requireNonNull(request, "request");
        expectSuccess("PUT", datasetPath("/samples/" + requireId(sampleId)), Map.of(), request);
    }

    // mode=fileNames (not ids) so the match can be checked exactly here, whatever matching the server does
    private static Map<String, String> findQuery(String fileName) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("mode", "fileNames");
        query.put("fileName", fileName);
        return query;
    }

    private Optional<String> matching(Reply reply, String fileName) throws IOException {
        for (JsonNode sample : parse(reply, "GET " + datasetPath("/samples/partial"))) {
            if (fileName.equals(sample.path("fileName").asText(null))) {
                return Optional.of(sample.path("id").asText());
            }
        }
        return Optional.empty();
    }

    private static String requireId(String sampleId) {
        if (!ObjectId.isValid(sampleId)) {
            throw new IllegalArgumentException("sample id must be " + ObjectId.SHAPE + ", got '" + sampleId
                    + "'");
        }
        return sampleId;
    }

    /**
     * Tags the samples added since the last tag, as Lightly's uploader did at the end of a run: the initial
     * tag when the dataset has none, otherwise an upsize tag named after the current UTC time
     * ({@code 20230328_14h05m09s}).
     *
     * <p>Rule for "added since": every tag records how many samples the dataset had when it was made or
     * last upsized ({@code totSize}); its bitmask cannot reach further than that. The samples covered by
     * tags are the largest {@code totSize} (or bitmask length) of any tag. When the dataset's
     * {@code nSamples} exceeds it, the dataset is upsized; otherwise nothing is done. Calling this twice in
     * a row therefore creates at most one tag, and a repeated call after a lost response finds the
     * tag already there.
     */
    public TagResult createTagIfNeeded(ImageType imageType) throws IOException {
        Objects.requireNonNull(imageType, "imageType");
        String tagsPath = datasetPath("/tags");
        List<JsonNode> tags = new ArrayList<>();
        expectSuccess("GET", tagsPath, Map.of(), null).forEach(tags::add);
        DatasetInfo dataset = getDataset();
        if (tags.isEmpty()) {
            if (dataset.nSamples() == 0) {
                return new TagResult(TagResult.Action.NONE, null);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", INITIAL_TAG_NAME);
            body.put("creator", TAG_CREATOR);
            body.put("imgType", imageType.apiValue());
            createTag(datasetPath("/tags/initial"), body, "TAG_INITIAL_EXISTS");
            return new TagResult(TagResult.Action.INITIAL, INITIAL_TAG_NAME);
        }
        long covered = tags.stream().mapToLong(LightlyClient::samplesCovered).max().orElse(0);
        if (dataset.nSamples() <= covered) {
            String newest = tags.stream()
                    .max(Comparator.comparingLong(tag -> tag.path("createdAt").asLong()))
                    .map(tag -> tag.path("name").asText())
                    .orElseThrow();
            return new TagResult(TagResult.Action.NONE, newest);
        }
        String name = UPSIZE_TAG_NAME.format(clock.instant());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("upsizeTagName", name);
        body.put("upsizeTagCreator", TAG_CREATOR);
        createTag(datasetPath("/tags/upsize"), body, "TAG_NAME_EXISTS");
        return new TagResult(TagResult.Action.UPSIZE, name);
    }

    /** The dataset's name, type and size. */
    public DatasetInfo getDataset() throws IOException {
        JsonNode dataset = expectSuccess("GET", datasetPath(""), Map.of(), null);
        return new DatasetInfo(text(dataset, "id"), text(dataset, "name"), text(dataset, "type"),
                text(dataset, "imgType"), dataset.path("nSamples").asLong(), dataset.path("sizeInBytes").asLong());
    }

    /** Sets the dataset's datasource for the config's purpose (one call per purpose). */
    public void setDatasource(S3DelegatedAccessDatasource config) throws IOException {
        Objects.requireNonNull(config, "config");
        expectSuccess("PUT", datasetPath("/datasource"), Map.of(), config);
    }

    /** Every datasource the dataset has, one per purpose. */
    public List<ConfiguredDatasource> listDatasources() throws IOException {
        List<ConfiguredDatasource> result = new ArrayList<>();
        for (JsonNode datasource : expectSuccess("GET", datasetPath("/datasource/all"), Map.of(), null)) {
            result.add(new ConfiguredDatasource(text(datasource, "id"), text(datasource, "type"),
                    purpose(text(datasource, "purpose")), text(datasource, "fullPath"),
                    text(datasource, "thumbSuffix"), text(datasource, "s3Region"), text(datasource, "s3ARN"),
                    text(datasource, "s3ExternalId")));
        }
        return List.copyOf(result);
    }

    /** Asks Lightly to check that it can list, read, write and overwrite in the dataset's datasource. */
    public DatasourceVerification verifyDatasource() throws IOException {
        JsonNode verification = expectSuccess("GET", datasetPath("/datasource/verify"), Map.of(), null);
        Map<String, String> errors = new HashMap<>();
        verification.path("errors").fields().forEachRemaining(error -> {
            if (error.getValue().isTextual()) {
                errors.put(error.getKey(), settings.mask(error.getValue().asText()));
            }
        });
        return new DatasourceVerification(verification.path("canRead").asBoolean(),
                verification.path("canWrite").asBoolean(), verification.path("canList").asBoolean(),
                verification.path("canOverwrite").asBoolean(), errors);
    }

    /** The dataset's custom metadata configurations ({@code GET .../configuration/metadata}). */
    public List<MetadataConfiguration> listMetadataConfigurations() throws IOException {
        List<MetadataConfiguration> result = new ArrayList<>();
        for (JsonNode configuration : expectSuccess("GET", datasetPath("/configuration/metadata"), Map.of(), null)) {
            List<ConfigurationEntry> entries = new ArrayList<>();
            for (JsonNode entry : configuration.path("configs")) {
                JsonNode defaultValue = entry.path("defaultValue");
                entries.add(new ConfigurationEntry(text(entry, "name"), text(entry, "path"),
                        defaultValue.isMissingNode() || defaultValue.isNull()
                                ? null : json.treeToValue(defaultValue, Object.class),
                        text(entry, "valueDataType")));
            }
            result.add(new MetadataConfiguration(text(configuration, "id"), text(configuration, "name"), entries));
        }
        return List.copyOf(result);
    }

    /**
     * Creates a custom metadata configuration ({@code POST .../configuration/metadata}).
     *
     * @return its id
     */
    public String createMetadataConfiguration(String name, List<ConfigurationEntry> configs) throws IOException {
        String path = datasetPath("/configuration/metadata");
        String id = expectSuccess("POST", path, Map.of(), configurationBody(name, configs)).path("id").asText("");
        if (!ObjectId.isValid(id)) {
            throw new IOException("unexpected response to POST " + path + ": no configuration id");
        }
        return id;
    }

    /** Replaces a custom metadata configuration ({@code PUT .../configuration/metadata/{id}}). */
    public void updateMetadataConfiguration(String id, String name, List<ConfigurationEntry> configs)
            throws IOException {
        if (!ObjectId.isValid(id)) {
            throw new IllegalArgumentException("configuration id must be 24 hex characters: " + id);
        }
        expectSuccess("PUT", datasetPath("/configuration/metadata/" + id), Map.of(), configurationBody(name, configs));
    }

    private static Map<String, Object> configurationBody(String name, List<ConfigurationEntry> configs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", Objects.requireNonNull(name, "name"));
        body.put("configs", List.copyOf(configs));
        return body;
    }

    private void createTag(String path, Map<String, Object> body, String alreadyDoneCode) throws IOException {
        Reply reply = call("POST", path, Map.of(), body);
        // a repeated request whose first attempt did go through finds its own tag
        if (!reply.isSuccess() && !alreadyDoneCode.equals(errorField(reply, "code"))) {
            throw refusal("POST " + path, reply);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static DatasourcePurpose purpose(String value) {
        for (DatasourcePurpose purpose : DatasourcePurpose.values()) {
            if (purpose.name().equals(value)) {
                return purpose;
            }
        }
        return null;
    }

    private static long samplesCovered(JsonNode tag) {
        long bitMaskLength = 0;
        String bitMask = tag.path("bitMaskData").asText("");
        if (bitMask.startsWith("0x") && bitMask.length() > 2) {
            bitMaskLength = new BigInteger(bitMask.substring(2), 16).bitLength();
        }
        return Math.max(tag.path("totSize").asLong(), bitMaskLength);
    }

    private boolean isFileNameConflict(Reply reply) {
        if (reply.status() == 409) {
            return true;
        }
        String error = errorField(reply, "error");
        return reply.status() == 400 && error != null && FILE_NAME_EXISTS.matcher(error).matches();
    }

    private JsonNode expectSuccess(String method, String path, Map<String, String> query, Object body)
            throws IOException {
        Reply reply = call(method, path, query, body);
        if (!reply.isSuccess()) {
            throw refusal(method + " " + path, reply);
        }
        return parse(reply, method + " " + path);
    }

    /** Sends the request, repeating it as the retry policy says; returns the first non-retryable reply. */
    private Reply call(String method, String path, Map<String, String> query, Object body) throws IOException {
        byte[] payload = body == null ? null : json.writeValueAsBytes(body);
        URI uri = uri(path, query);
        Attempts attempts = new Attempts(method + " " + path);
        while (true) {
            Reply reply = attempts.send(method, uri, payload);
            if (reply != null) {
                return reply;
            }
            attempts.backOff();
        }
    }

    /**
     * The attempts of one call under the retry policy, the deadline and the client's view of Lightly's
     * health. Not thread-safe: one per call.
     */
    private final class Attempts {
        private final String operation;
        private int retry;
        private String lastFailure = "no attempt";
        private int lastStatus;
        private boolean lastMayHaveArrived;
        private boolean lastIsOutage;
        private Optional<Duration> retryAfter = Optional.empty();

        Attempts(String operation) throws LightlyUnavailableException {
            this.operation = operation;
            health.requireUp();
        }

        /** One attempt: the reply when it is final (success or refusal), null when it failed retryably. */
        Reply send(String method, URI uri, byte[] payload) throws IOException {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new IOException(where() + operation + ": deadline reached; last failure: " + lastFailure);
            }
            Duration timeout = left.compareTo(settings.requestTimeout()) < 0 ? left : settings.requestTimeout();
            try {
                HttpResponse<String> response = http.send(request(method, uri, payload, timeout),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                Reply reply = new Reply(response.statusCode(), response.body());
                if (!RetryPolicy.isRetryable(reply.status())) {
                    health.answered();
                    return reply;
                }
                lastStatus = reply.status();
                retryAfter = retryAfter(response.headers());
                // a 429 is a refusal before any work; any other retryable status may follow work done
                lastMayHaveArrived = lastStatus != 429;
                lastIsOutage = lastStatus != 429;
                lastFailure = method + " " + uri.getPath() + ": HTTP " + lastStatus
                        + Optional.ofNullable(errorField(reply, "code")).map(c -> " " + c).orElse("");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(operation + " was interrupted");
            } catch (IOException e) {
                lastStatus = 0;
                retryAfter = Optional.empty();
                // refused or never connected: the request was not sent
                lastMayHaveArrived = !(e instanceof ConnectException || e instanceof HttpConnectTimeoutException);
                lastIsOutage = true;
                // the cause is left off on purpose: exception texts of the HTTP stack could hold the URL with the token
                lastFailure = method + " " + uri.getPath() + ": " + e.getClass().getSimpleName()
                        + Optional.ofNullable(e.getMessage()).map(m -> " " + settings.mask(m)).orElse("");
            }
            return null;
        }

        /** Whether the last failed attempt may have been carried out by Lightly although no answer said so. */
        boolean mayHaveArrived() {
            return lastMayHaveArrived;
        }

        /** Waits before the next attempt, or throws when the policy, the deadline or Lightly's health say stop. */
        void backOff() throws IOException {
            if (retry >= (health.suspect() ? 0 : retryPolicy.maxRetries())) {
                if (lastIsOutage) {
                    health.exhausted(lastFailure);
                }
                throw new LightlyUnavailableException(where() + operation + " failed after " + attempts(retry + 1)
                        + "; last failure: " + lastFailure, false);
            }
            Duration wait = retryPolicy.delayBefore(retry, lastStatus, retryAfter,
                    ThreadLocalRandom.current().nextDouble());
            if (!clock.instant().plus(wait).isBefore(deadline)) {
                throw new IOException(where() + operation + " gave up after " + attempts(retry + 1) + ": waiting "
                        + seconds(wait) + " for the next would pass the deadline; last failure: " + lastFailure);
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(operation + " was interrupted");
            }
            retry++;
            health.requireUp();
        }
    }

    private static String attempts(int n) {
        return n == 1 ? "1 attempt" : n + " attempts";
    }

    private String where() {
        return "Lightly at " + settings.server() + ": ";
    }

    /**
     * Whether Lightly answers, as seen by the calls of one client: counts calls in a row that used up
     * their retries on network errors, timeouts or 5xx.
     */
    private final class Health {
        private int exhaustedInARow;
        private String down;

        synchronized void answered() {
            if (down == null) {
                exhaustedInARow = 0;
            }
        }

        synchronized boolean suspect() {
            return exhaustedInARow > 0;
        }

        /** Counts a call that used up its retries; the call that makes Lightly count as down throws. */
        synchronized void exhausted(String lastFailure) throws LightlyUnavailableException {
            exhaustedInARow++;
            if (down == null && exhaustedInARow >= OUTAGE_CALLS) {
                down = "Lightly at " + settings.server() + " is unavailable: " + exhaustedInARow
                        + " calls in a row failed after their retries; last failure: " + lastFailure;
            }
            requireUp();
        }

        synchronized void requireUp() throws LightlyUnavailableException {
            if (down != null) {
                throw new LightlyUnavailableException(down, true);
            }
        }
    }

    private HttpRequest request(String method, URI uri, byte[] payload, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", "lightly-s3-ingest");
        if (payload == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
    }

    private URI uri(String path, Map<String, String> query) {
        String base = settings.serverLocation().toString().replaceAll("/+$", "");
        StringJoiner parameters = new StringJoiner("&", "?", "");
        parameters.add("token=" + encode(settings.token()));
        query.forEach((name, value) -> parameters.add(encode(name) + "=" + encode(value)));
        return URI.create(base + path + parameters);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String datasetPath(String suffix) {
        return "/v1/datasets/" + settings.datasetId() + suffix;
    }

    private Optional<Duration> retryAfter(HttpHeaders headers) {
        return headers.firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    Duration until = Duration.between(clock.instant(), at);
                    return Optional.of(until.isNegative() ? Duration.ZERO : until);
                } catch (DateTimeParseException unreadable) {
                    return Optional.empty();
                }
            }
        });
    }

    private JsonNode parse(Reply reply, String operation) throws IOException {
        if (reply.body().isBlank()) {
            return json.missingNode();
        }
        try {
            return json.readTree(reply.body());
        } catch (JsonProcessingException e) {
            throw new IOException("unexpected response to " + operation + " (HTTP " + reply.status() + "): not JSON");
        }
    }

    private String errorField(Reply reply, String field) {
        try {
            JsonNode value = json.readTree(reply.body()).path(field);
            return value.isValueNode() ? settings.mask(value.asText()) : null;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    private LightlyApiException refusal(String operation, Reply reply) {
        String error = errorField(reply, "error");
        if (error == null && !reply.body().isBlank()) {
            String body = settings.mask(reply.body().strip());
            error = body.length() > 200 ? body.substring(0, 200) + "..." : body;
        }
        return new LightlyApiException(operation, reply.status(), errorField(reply, "code"), error,
                errorField(reply, "requestId"));
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private record Reply(int status, String body) {
        boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }
}
