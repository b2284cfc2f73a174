package io.github.lightlys3ingest.lightly;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An in-memory Lightly API on {@code 127.0.0.1} for tests: the calls {@link LightlyClient} makes, with
 * every request validated against the test resource lightly-api/openapi.json (see {@link LightlyOpenApi}).
 *
 * <p>Each request is first validated; failures are recorded ({@link #validationErrors()}, tests assert it
 * is empty) and answered 400 with the report. Then an injected fault, if any, is applied; then the token is
 * checked (401 {@code JWT_INVALID}, echoing the token raw and as sent, URL-encoded, as careless servers do),
 * then the dataset (404 {@code DATASET_UNKNOWN}). A sample whose file name exists is answered 409
 * {@code CONFLICT}, unless {@link #acceptDuplicates(boolean)} makes it behave as Lightly's API is documented:
 * no uniqueness of file names, a second sample. Samples can be read and updated ({@code PUT} replaces the
 * fields the body names and keeps the others). For outages, {@link #refuseConnections()} closes the port and
 * {@link #failAll(Fault)} answers every request with a fault. The stub's own responses are validated too
 * ({@link #responseValidationErrors()}).
 *
 * <pre>{@code
 * try (LightlyApiStub stub = LightlyApiStub.start()) {
 *     LightlyClient client = new LightlyClient(stub.settings(Duration.ofSeconds(2)), fastRetries, clock, sleeper);
 *     stub.failNext(LightlyApiStub.CREATE_SAMPLE, Fault.TOO_MANY_REQUESTS, Fault.RESET);
 *     client.createSample(request);
 *     assertEquals(List.of(), stub.validationErrors());
 * }
 * }</pre>
 */
public final class LightlyApiStub implements AutoCloseable {

    /** The token the stub accepts. */
    public static final String TOKEN = "stub-token-8f3a-secret";

    /** Endpoint keys used by {@link #requestCount(String)} and {@link #failNext(String, Fault...)}. */
    public static final String GET_DATASET = "GET /v1/datasets/{datasetId}";
    public static final String CREATE_SAMPLE = "POST /v1/datasets/{datasetId}/samples";
    public static final String FIND_SAMPLES = "GET /v1/datasets/{datasetId}/samples/partial";
    public static final String GET_SAMPLE = "GET /v1/datasets/{datasetId}/samples/{sampleId}";
    public static final String UPDATE_SAMPLE = "PUT /v1/datasets/{datasetId}/samples/{sampleId}";
    public static final String GET_TAGS = "GET /v1/datasets/{datasetId}/tags";
    public static final String CREATE_INITIAL_TAG = "POST /v1/datasets/{datasetId}/tags/initial";
    public static final String UPSIZE_TAGS = "POST /v1/datasets/{datasetId}/tags/upsize";
    public static final String SET_DATASOURCE = "PUT /v1/datasets/{datasetId}/datasource";
    public static final String LIST_DATASOURCES = "GET /v1/datasets/{datasetId}/datasource/all";
    public static final String VERIFY_DATASOURCE = "GET /v1/datasets/{datasetId}/datasource/verify";
    public static final String LIST_METADATA_CONFIGURATIONS = "GET /v1/datasets/{datasetId}/configuration/metadata";
    public static final String CREATE_METADATA_CONFIGURATION = "POST /v1/datasets/{datasetId}/configuration/metadata";
    public static final String UPDATE_METADATA_CONFIGURATION =
            "PUT /v1/datasets/{datasetId}/configuration/metadata/{configurationId}";
    /** Key for {@link #failNext(String, Fault...)} matching any endpoint. */
    public static final String ANY = "*";

    /** What the stub can do to a request instead of answering it normally. */
    public enum Fault {
        /** 429 {@code TOO_MANY_REQUESTS}, with {@code Retry-After} when {@link #retryAfterSeconds(int)} is set. */
        TOO_MANY_REQUESTS,
        /** 500. */
        SERVER_ERROR,
        /** 503, with {@code Retry-After} when set. */
        SERVICE_UNAVAILABLE,
        /**
         * Processes the request, then waits {@link #slowDelay(Duration)} before answering (past a short client
         * timeout).
         */
        SLOW,
        /** Closes the connection without processing or answering. */
        RESET,
        /** Processes the request (a sample is created), then closes the connection without answering. */
        LOST_RESPONSE,
        /** Processes the request (a sample is created), then answers 500. */
        SERVER_ERROR_AFTER_PROCESSING,
        /** Reads the request and never answers (until the client gives up or the stub is closed). */
        HANG
    }

    /**
     * Random faults: each request draws one number from a generator seeded with {@code seed} and gets a
     * fault with the given probabilities (their sum must not exceed 1). The same seed and the same request
     * order give the same faults.
     *
     * @param endpoint only requests to this endpoint key get faults; null for all
     */
    public record FaultPlan(long seed, double tooManyRequests, double serverError, double slow, double reset,
                            double lostResponse, double serverErrorAfterProcessing, String endpoint) {

        /** No faults yet; add them with the with-methods. */
        public static FaultPlan seeded(long seed) {
            return new FaultPlan(seed, 0, 0, 0, 0, 0, 0, null);
        }

        public FaultPlan withTooManyRequests(double probability) {
            return new FaultPlan(seed, probability, serverError, slow, reset, lostResponse, serverErrorAfterProcessing,
                    endpoint);
        }

        public FaultPlan withServerError(double probability) {
            return new FaultPlan(seed, tooManyRequests, probability, slow, reset, lostResponse,
                    serverErrorAfterProcessing, endpoint);
        }

        public FaultPlan withSlow(double probability) {
            return new FaultPlan(seed, tooManyRequests, serverError, probability, reset, lostResponse,
                    serverErrorAfterProcessing, endpoint);
        }

        public FaultPlan withReset(double probability) {
            return new FaultPlan(seed, tooManyRequests, serverError, slow, probability, lostResponse,
                    serverErrorAfterProcessing, endpoint);
        }

        public FaultPlan withLostResponse(double probability) {
            return new FaultPlan(seed, tooManyRequests, serverError, slow, reset, probability,
                    serverErrorAfterProcessing, endpoint);
        }

        /** The request is carried out (a sample created), then answered 500. */
        public FaultPlan withServerErrorAfterProcessing(double probability) {
            return new FaultPlan(seed, tooManyRequests, serverError, slow, reset, lostResponse, probability, endpoint);
        }

        public FaultPlan onlyFor(String endpointKey) {
            return new FaultPlan(seed, tooManyRequests, serverError, slow, reset, lostResponse,
                    serverErrorAfterProcessing, endpointKey);
        }
    }

    /**
     * A sample as the stub holds it.
     *
     * @param id      generated id
     * @param index   position in the dataset, from 0
     * @param request the request body that created it
     */
    public record StoredSample(String id, int index, JsonNode request) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATASET_PATH = Pattern.compile("^/v1/datasets/([^/]+)(/.*)?$");
    private static final Pattern SAMPLE_PATH = Pattern.compile("^/samples/(?!partial$)([^/]+)$");
    private static final Map<String, String> ENDPOINTS = Map.ofEntries(
            Map.entry("GET ", GET_DATASET),
            Map.entry("POST /samples", CREATE_SAMPLE),
            Map.entry("GET /samples/partial", FIND_SAMPLES),
            Map.entry("GET /tags", GET_TAGS),
            Map.entry("POST /tags/initial", CREATE_INITIAL_TAG),
            Map.entry("POST /tags/upsize", UPSIZE_TAGS),
            Map.entry("PUT /datasource", SET_DATASOURCE),
            Map.entry("GET /datasource/all", LIST_DATASOURCES),
            Map.entry("GET /datasource/verify", VERIFY_DATASOURCE),
            Map.entry("GET /configuration/metadata", LIST_METADATA_CONFIGURATIONS),
            Map.entry("POST /configuration/metadata", CREATE_METADATA_CONFIGURATION),
            Map.entry("PUT /configuration/metadata/{configurationId}", UPDATE_METADATA_CONFIGURATION));
    private static final Pattern CONFIGURATION_PATH = Pattern.compile("^/configuration/metadata/([^/]+)$");

    static {
        // without it the JDK server's separate header and body writes meet delayed ACKs: ~40 ms per request
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private HttpServer server;
    private final int port;
    private final String token;
    private final ExecutorService executor;
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private final String defaultDatasetId;
    private final Object lock = new Object();
    // all below guarded by lock
    private final Map<String, Dataset> datasets = new LinkedHashMap<>();
    private final List<String> validationErrors = new ArrayList<>();
    private final List<String> responseValidationErrors = new ArrayList<>();
    private final Map<String, Integer> requests = new TreeMap<>();
    private final Map<String, Deque<Fault>> queuedFaults = new HashMap<>();
    private FaultPlan faultPlan;
    private Random faultRandom;
    private Duration slowDelay = Duration.ofSeconds(2);
    private int retryAfterSeconds;
    private int duplicateStatus = 409;
    private boolean acceptDuplicates;
    private Fault alwaysFault;
    private int samplesCreated;
    private long nextId = 1;
    private long lastTimestamp;
    private DatasourceVerification verification = new DatasourceVerification(true, true, true, true, Map.of());

    private LightlyApiStub(String token) throws IOException {
        this.token = token;
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "lightly-api-stub");
            thread.setDaemon(true);
            return thread;
        });
        server = listen(0);
        port = server.getAddress().getPort();
        defaultDatasetId = addDataset("stub-dataset");
    }

    private HttpServer listen(int onPort) throws IOException {
        HttpServer listening = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
        listening.setExecutor(executor);
        listening.createContext("/", this::handle);
        listening.start();
        return listening;
    }

    /** Starts a stub on a free port with one empty dataset ({@link #datasetId()}). */
    public static LightlyApiStub start() {
        return start(TOKEN);
    }

    /** Starts a stub that accepts the given token instead of {@link #TOKEN}. */
    public static LightlyApiStub start(String token) {
        try {
            return new LightlyApiStub(token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server at once; requests still being handled (hanging ones too) are abandoned. */
    @Override
    public void close() {
        closed.countDown();
        synchronized (lock) {
            if (server != null) {
                server.stop(0);
            }
        }
        executor.shutdownNow();
    }

    /** Closes the port: connections are refused until {@link #acceptConnections()}. */
    public void refuseConnections() {
        synchronized (lock) {
            if (server != null) {
                server.stop(0);
                server = null;
            }
        }
    }

    /** Listens again on the same port after {@link #refuseConnections()}. */
    public void acceptConnections() {
        synchronized (lock) {
            if (server == null) {
                try {
                    server = listen(port);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** Base URL to use as {@code LIGHTLY_SERVER_LOCATION}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The token the stub accepts. */
    public String token() {
        return token;
    }

    /** The dataset created at start. */
    public String datasetId() {
        return defaultDatasetId;
    }

    /** Settings for the default dataset with the given request timeout. */
    public LightlySettings settings(Duration requestTimeout) {
        return new LightlySettings(baseUri(), token, defaultDatasetId, requestTimeout);
    }

    /** Adds an empty dataset and returns its id. */
    public String addDataset(String name) {
        synchronized (lock) {
            Dataset dataset = new Dataset(newId(), name, timestamp());
            datasets.put(dataset.id, dataset);
            return dataset.id;
        }
    }

    /** Adds a sample to the default dataset directly, as if an earlier run had created it; returns its id. */
    public String addSample(String fileName) {
        synchronized (lock) {
            return dataset(defaultDatasetId).addSample(JSON.createObjectNode().put("fileName", fileName)).id();
        }
    }

    /** The next requests to {@code endpoint} (or {@link #ANY}) get these faults, one each, in order. */
    public void failNext(String endpoint, Fault... faults) {
        synchronized (lock) {
            queuedFaults.computeIfAbsent(endpoint, key -> new ArrayDeque<>()).addAll(List.of(faults));
        }
    }

    /** Every request from now on gets this fault (null: none), before queued and random faults. */
    public void failAll(Fault fault) {
        synchronized (lock) {
            alwaysFault = fault;
        }
    }

    /**
     * With true, a sample whose file name exists is created again (as Lightly's API declares no uniqueness of
     * file names); with false (the default) it is answered as {@link #duplicateStatus(int)} says.
     */
    public void acceptDuplicates(boolean accept) {
        synchronized (lock) {
            acceptDuplicates = accept;
        }
    }

    /** Random faults from now on; null for none. Queued faults ({@link #failNext}) come first. */
    public void faultPlan(FaultPlan plan) {
        synchronized (lock) {
            faultPlan = plan;
            faultRandom = plan == null ? null : new Random(plan.seed());
        }
    }

    /** How long a SLOW fault holds its answer back (default 2 s). */
    public void slowDelay(Duration delay) {
        synchronized (lock) {
            slowDelay = delay;
        }
    }

    /** {@code Retry-After} seconds sent with 429 and 503 faults; 0 (the default) sends none. */
    public void retryAfterSeconds(int seconds) {
        synchronized (lock) {
            retryAfterSeconds = seconds;
        }
    }

    /**
     * Status for a sample whose file name exists: 409 {@code CONFLICT} (default) or 400
     * {@code SAMPLE_CREATE_REQUEST_INVALID_FORMAT}, both with an error text saying the file name exists.
     */
    public void duplicateStatus(int status) {
        if (status != 409 && status != 400) {
            throw new IllegalArgumentException("duplicate status must be 409 or 400");
        }
        synchronized (lock) {
            duplicateStatus = status;
        }
    }

    /** What {@code GET .../datasource/verify} answers once a datasource is set (default: everything granted). */
    public void verification(DatasourceVerification result) {
        synchronized (lock) {
            verification = result;
        }
    }

    /** Every request that failed validation against the OpenAPI document, as "endpoint: key: message". */
    public List<String> validationErrors() {
        synchronized (lock) {
            return List.copyOf(validationErrors);
        }
    }

    /** Every answer of the stub itself that did not match the document (a bug in the stub). */
    public List<String> responseValidationErrors() {
        synchronized (lock) {
            return List.copyOf(responseValidationErrors);
        }
    }

    /** Requests received per endpoint key (such as {@link #CREATE_SAMPLE}), faulted ones included. */
    public Map<String, Integer> requestsByEndpoint() {
        synchronized (lock) {
            return Map.copyOf(requests);
        }
    }

    /** Requests received for one endpoint key. */
    public int requestCount(String endpoint) {
        synchronized (lock) {
            return requests.getOrDefault(endpoint, 0);
        }
    }

    /** Samples created through the API (201 answers, lost ones included), over all datasets. */
    public int samplesCreated() {
        synchronized (lock) {
            return samplesCreated;
        }
    }

    /** How many samples each file name has in a dataset (more than 1 only with {@link #acceptDuplicates}). */
    public Map<String, Integer> samplesPerFileName(String datasetId) {
        synchronized (lock) {
            Map<String, Integer> counts = new TreeMap<>();
            dataset(datasetId).all.forEach(sample -> counts.merge(sample.request().path("fileName").asText(), 1,
                    Integer::sum));
            return counts;
        }
    }

    /** The default dataset's samples by file name, in creation order. */
    public Map<String, StoredSample> samplesByFileName() {
        return samplesByFileName(defaultDatasetId);
    }

    /** A dataset's samples by file name, in creation order. */
    public Map<String, StoredSample> samplesByFileName(String datasetId) {
        synchronized (lock) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(dataset(datasetId).samples));
        }
    }

    /** The default dataset's tags ({@code TagData}), oldest first. */
    public List<JsonNode> tags() {
        synchronized (lock) {
            return dataset(defaultDatasetId).tags.stream().map(node -> (JsonNode) node.deepCopy())
                    .collect(Collectors.toList());
        }
    }

    /** The default dataset's metadata configurations ({@code ConfigurationData}), oldest first. */
    public List<JsonNode> metadataConfigurations() {
        synchronized (lock) {
            return dataset(defaultDatasetId).configurations.values().stream().map(node -> (JsonNode) node.deepCopy())
                    .collect(Collectors.toList());
        }
    }

    /** The default dataset's datasources as last set, with their ids. */
    public List<JsonNode> datasources() {
        synchronized (lock) {
            return dataset(defaultDatasetId).datasources.values().stream().map(node -> (JsonNode) node.deepCopy())
                    .collect(Collectors.toList());
        }
    }

    private Dataset dataset(String id) {
        Dataset dataset = datasets.get(id);
        if (dataset == null) {
            throw new IllegalArgumentException("no dataset " + id);
        }
        return dataset;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
            byte[] body = exchange.getRequestBody().readAllBytes();
            Matcher datasetPath = DATASET_PATH.matcher(path);
            String suffix = datasetPath.matches() ? template(Objects.toString(datasetPath.group(2), "")) : "";
            String endpoint = !datasetPath.matches() ? method + " " + path
                    : SAMPLE_PATH.matcher(suffix).matches() && method.equals("GET") ? GET_SAMPLE
                    : SAMPLE_PATH.matcher(suffix).matches() && method.equals("PUT") ? UPDATE_SAMPLE
                    : ENDPOINTS.getOrDefault(method + " " + suffix, method + " " + path);

            ValidationReport report = validate(method, path, query, exchange, body);
            Fault fault;
            Duration delay;
            int retryAfter;
            synchronized (lock) {
                requests.merge(endpoint, 1, Integer::sum);
                report.getMessages().stream()
                        .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                        .forEach(message -> validationErrors.add(endpoint + ": " + describe(message)));
                fault = nextFault(endpoint);
                delay = slowDelay;
                retryAfter = retryAfterSeconds;
            }
            if (fault == Fault.RESET) {
                return;
            }
            if (fault == Fault.HANG) {
                closed.await();
                return;
            }
            if (fault == Fault.TOO_MANY_REQUESTS || fault == Fault.SERVER_ERROR || fault == Fault.SERVICE_UNAVAILABLE) {
                int status = fault == Fault.TOO_MANY_REQUESTS ? 429 : fault == Fault.SERVER_ERROR ? 500 : 503;
                // plain text, as a gateway in front of the API would answer; the document has no code for these
                byte[] text = ("injected fault " + fault).getBytes(StandardCharsets.UTF_8);
                if (retryAfter > 0 && status != 500) {
                    exchange.getResponseHeaders().add("Retry-After", Integer.toString(retryAfter));
                }
                exchange.getResponseHeaders().add("Content-Type", "text/plain");
                exchange.sendResponseHeaders(status, text.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(text);
                }
                return;
            }
            Reply reply = answer(method, path, datasetPath, endpoint, query, body, report,
                    exchange.getRequestURI().getRawQuery());
            if (fault == Fault.LOST_RESPONSE) {
                return;
            }
            if (fault == Fault.SERVER_ERROR_AFTER_PROCESSING) {
                reply = error(500, "INTERNAL_SERVER_ERROR", "injected fault after the request was carried out");
            }
            if (fault == Fault.SLOW) {
                Thread.sleep(delay.toMillis());
            }
            send(exchange, path, method, reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the client went away (timeout) or the stub has a bug; the connection is closed either way
            if (!(e instanceof IOException)) {
                e.printStackTrace();
            }
        }
    }

    private Reply answer(String method, String path, Matcher datasetPath, String endpoint,
                         Map<String, List<String>> query, byte[] body, ValidationReport report, String rawQuery) {
        String given = first(query, "token");
        if (!token.equals(given)) {
            // echoes the token raw and URL-encoded, as careless servers do, so tests can check that the client masks it
            return error(401, "JWT_INVALID", given == null ? "the token is missing"
                    : "token " + given + " is not valid (query " + rawQuery + ")");
        }
        if (report.hasErrors()) {
            return error(400, "BAD_REQUEST", report.getMessages().stream()
                    .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                    .map(LightlyApiStub::describe).collect(Collectors.joining("; ")));
        }
        if (!datasetPath.matches() || endpoint.equals(method + " " + path)) {
            return error(404, "NOT_FOUND", "the stub does not implement " + method + " " + path);
        }
        JsonNode json;
        try {
            json = body.length == 0 ? JSON.missingNode() : JSON.readTree(body);
        } catch (IOException e) {
            return error(400, "MALFORMED_REQUEST", "body is not JSON");
        }
        synchronized (lock) {
            Dataset dataset = datasets.get(datasetPath.group(1));
            if (dataset == null) {
                return error(404, "DATASET_UNKNOWN", "dataset " + datasetPath.group(1) + " does not exist");
            }
            switch (endpoint) {
                case GET_DATASET:
                    return dataset.describe();
                case CREATE_SAMPLE:
                    return dataset.createSample(json);
                case FIND_SAMPLES:
                    return dataset.findSamples(query);
                case GET_SAMPLE:
                    return dataset.getSample(SAMPLE_PATH.matcher(datasetPath.group(2)).replaceAll("$1"));
                case UPDATE_SAMPLE:
                    return dataset.updateSample(SAMPLE_PATH.matcher(datasetPath.group(2)).replaceAll("$1"), json);
                case GET_TAGS:
                    return new Reply(200, JSON.<JsonNode>valueToTree(dataset.tags));
                case CREATE_INITIAL_TAG:
                    return dataset.createInitialTag(json);
                case UPSIZE_TAGS:
                    return dataset.upsize(json);
                case SET_DATASOURCE:
                    return dataset.setDatasource(json);
                case LIST_DATASOURCES:
                    return new Reply(200, JSON.<JsonNode>valueToTree(dataset.datasources.values()));
                case VERIFY_DATASOURCE:
                    return dataset.verify();
                case LIST_METADATA_CONFIGURATIONS:
                    return new Reply(200, JSON.<JsonNode>valueToTree(dataset.configurations.values()));
                case CREATE_METADATA_CONFIGURATION:
                    return dataset.setConfiguration(null, json);
                case UPDATE_METADATA_CONFIGURATION: {
                    Matcher id = CONFIGURATION_PATH.matcher(datasetPath.group(2));
                    return dataset.setConfiguration(id.matches() ? id.group(1) : "", json);
                }
                default:
                    throw new IllegalStateException("unrouted endpoint " + endpoint);
            }
        }
    }

    /** A dataset-relative path with its ids replaced by their parameter names, as {@link #ENDPOINTS} keys it. */
    private static String template(String datasetRelative) {
        return CONFIGURATION_PATH.matcher(datasetRelative).replaceFirst("/configuration/metadata/{configurationId}");
    }

    private Fault nextFault(String endpoint) {
        if (alwaysFault != null) {
            return alwaysFault;
        }
        for (String key : List.of(endpoint, ANY)) {
            Deque<Fault> queue = queuedFaults.get(key);
            if (queue != null && !queue.isEmpty()) {
                return queue.poll();
            }
        }
        if (faultPlan == null || (faultPlan.endpoint() != null && !faultPlan.endpoint().equals(endpoint))) {
            return null;
        }
        double draw = faultRandom.nextDouble();
        double[] thresholds = {faultPlan.tooManyRequests(), faultPlan.serverError(), faultPlan.slow(),
                faultPlan.reset(), faultPlan.lostResponse(), faultPlan.serverErrorAfterProcessing()};
        Fault[] faults = {Fault.TOO_MANY_REQUESTS, Fault.SERVER_ERROR, Fault.SLOW, Fault.RESET, Fault.LOST_RESPONSE,
                Fault.SERVER_ERROR_AFTER_PROCESSING};
        double cumulative = 0;
        for (int i = 0; i < faults.length; i++) {
            cumulative += thresholds[i];
            if (draw < cumulative) {
                return faults[i];
            }
        }
        return null;
    }

    private ValidationReport validate(String method, String path, Map<String, List<String>> query,
                                      HttpExchange exchange, byte[] body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
        query.forEach(request::withQueryParam);
        exchange.getRequestHeaders().forEach(request::withHeader);
        if (body.length > 0) {
            request.withBody(body);
        }
        OpenApiInteractionValidator validator = LightlyOpenApi.validator();
        synchronized (validator) {
            return validator.validateRequest(request.build());
        }
    }

    private void send(HttpExchange exchange, String path, String method, Reply reply) throws IOException {
        byte[] bytes = reply.body() == null ? new byte[0] : JSON.writeValueAsBytes(reply.body());
        SimpleResponse.Builder response = SimpleResponse.Builder.status(reply.status());
        if (reply.body() != null) {
            response.withContentType("application/json").withBody(bytes);
        }
        OpenApiInteractionValidator validator = LightlyOpenApi.validator();
        ValidationReport report;
        synchronized (validator) {
            report = validator.validateResponse(path, Request.Method.valueOf(method), response.build());
        }
        if (report.hasErrors()) {
            synchronized (lock) {
                report.getMessages().forEach(message -> responseValidationErrors.add(
                        method + " " + path + " " + reply.status() + ": " + describe(message)));
            }
        }
        if (reply.body() != null) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String describe(ValidationReport.Message message) {
        String info = message.getAdditionalInfo().isEmpty() ? "" : " " + message.getAdditionalInfo();
        return message.getKey() + ": " + message.getMessage() + info;
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Reply error(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode().put("code", code).put("error", message);
        return new Reply(status, body);
    }

    private String newId() {
        return String.format("%08x%016x", 0x64f0c0de, nextId++);
    }

    // strictly increasing, so "newest" is never ambiguous
    private long timestamp() {
        lastTimestamp = Math.max(System.currentTimeMillis(), lastTimestamp + 1);
        return lastTimestamp;
    }

    private record Reply(int status, JsonNode body) {
    }

    /** One dataset's state; every method runs under the stub's lock. */
    private final class Dataset {
        final String id;
        final String name;
        final long createdAt;
        /** The first sample of each file name. */
        final Map<String, StoredSample> samples = new LinkedHashMap<>();
        /** Every sample, duplicates included, in creation order. */
        final List<StoredSample> all = new ArrayList<>();
        final List<ObjectNode> tags = new ArrayList<>();
        final Map<String, ObjectNode> datasources = new LinkedHashMap<>();
        final Map<String, ObjectNode> configurations = new LinkedHashMap<>();
        String imgType;
        long sizeInBytes;

        Dataset(String id, String name, long createdAt) {
            this.id = id;
            this.name = name;
            this.createdAt = createdAt;
        }

        StoredSample addSample(JsonNode request) {
            StoredSample sample = new StoredSample(newId(), all.size(), request);
            samples.putIfAbsent(request.path("fileName").asText(), sample);
            all.add(sample);
            sizeInBytes += request.path("metaData").path("sizeInBytes").asLong(0);
            return sample;
        }

        Reply getSample(String sampleId) {
            Optional<StoredSample> found = all.stream().filter(sample -> sample.id().equals(sampleId)).findFirst();
            if (found.isEmpty()) {
                return error(404, "NOT_FOUND", "sample " + sampleId + " does not exist");
            }
            ObjectNode body = JSON.createObjectNode().put("id", sampleId).put("type", "IMAGE").put("datasetId", id);
            found.get().request().fields().forEachRemaining(field -> body.set(field.getKey(), field.getValue()));
            body.put("index", found.get().index());
            return new Reply(200, body);
        }

        /** Replaces the fields the body names (null clears one), keeps the others. */
        Reply updateSample(String sampleId, JsonNode request) {
            for (int i = 0; i < all.size(); i++) {
                StoredSample sample = all.get(i);
                if (sample.id().equals(sampleId)) {
                    ObjectNode updated = sample.request().deepCopy();
                    request.fields().forEachRemaining(field -> updated.set(field.getKey(), field.getValue()));
                    StoredSample replaced = new StoredSample(sampleId, sample.index(), updated);
                    all.set(i, replaced);
                    samples.replaceAll((name, stored) -> stored.id().equals(sampleId) ? replaced : stored);
                    return new Reply(200, null);
                }
            }
            return error(404, "NOT_FOUND", "sample " + sampleId + " does not exist");
        }

        Reply describe() {
            ObjectNode body = JSON.createObjectNode()
                    .put("id", id).put("name", name).put("userId", "stub-user").put("type", "Images")
                    .put("nSamples", all.size()).put("sizeInBytes", sizeInBytes)
                    .put("createdAt", createdAt).put("lastModifiedAt", createdAt);
            if (imgType != null) {
                body.put("imgType", imgType);
            }
            return new Reply(200, body);
        }

        Reply createSample(JsonNode request) {
            String fileName = request.path("fileName").asText();
            if (samples.containsKey(fileName) && !acceptDuplicates) {
                return error(duplicateStatus,
                        duplicateStatus == 409 ? "CONFLICT" : "SAMPLE_CREATE_REQUEST_INVALID_FORMAT",
                        "a sample with fileName '" + fileName + "' already exists in the dataset");
            }
            samplesCreated++;
            return new Reply(201, JSON.createObjectNode().put("id", addSample(request).id()));
        }

        Reply findSamples(Map<String, List<String>> query) {
            String mode = Optional.ofNullable(first(query, "mode")).orElse("full");
            String fileName = first(query, "fileName");
            int offset = Integer.parseInt(Optional.ofNullable(first(query, "pageOffset")).orElse("0"));
            int size = Integer.parseInt(Optional.ofNullable(first(query, "pageSize")).orElse("" + Integer.MAX_VALUE));
            ArrayNode result = JSON.createArrayNode();
            all.stream()
                    .filter(sample -> fileName == null || fileName.equals(sample.request().path("fileName").asText()))
                    .skip(offset).limit(size)
                    .forEach(sample -> {
                        ObjectNode row = result.addObject().put("id", sample.id());
                        if (!mode.equals("ids")) {
                            row.put("fileName", sample.request().path("fileName").asText());
                        }
                        if (mode.equals("full")) {
                            sample.request().fields()
                                    .forEachRemaining(field -> row.set(field.getKey(), field.getValue()));
                            row.put("type", "IMAGE").put("datasetId", id).put("index", sample.index());
                        }
                    });
            return new Reply(200, result);
        }

        Reply createInitialTag(JsonNode request) {
            if (!tags.isEmpty()) {
                return error(409, "TAG_INITIAL_EXISTS", "the dataset already has an initial tag");
            }
            if (all.isEmpty()) {
                return error(400, "BAD_REQUEST", "the dataset has no samples to tag");
            }
            imgType = request.path("imgType").asText();
            String tagName = request.path("name").asText("initial-tag");
            return new Reply(201, JSON.createObjectNode().put("id", addTag(tagName, null, mask(0, all.size()))));
        }

        Reply upsize(JsonNode request) {
            if (tags.isEmpty()) {
                return error(400, "TAG_NO_TAG_IN_DATASET", "the dataset has no initial tag to upsize");
            }
            String tagName = request.path("upsizeTagName").asText();
            if (tags.stream().anyMatch(tag -> tag.path("name").asText().equals(tagName))) {
                return error(409, "TAG_NAME_EXISTS", "a tag named '" + tagName + "' exists");
            }
            ObjectNode initial = tags.get(0);
            int covered = initial.path("totSize").asInt();
            if (all.size() <= covered) {
                return error(400, "BAD_REQUEST", "no samples were added since the last upsize");
            }
            // Lightly: all tags grow to the dataset's size; the initial tag takes in every sample
            tags.forEach(tag -> tag.put("totSize", all.size()));
            initial.put("bitMaskData", mask(0, all.size())).put("lastModifiedAt", timestamp());
            return new Reply(201, JSON.createObjectNode()
                    .put("id", addTag(tagName, initial.path("id").asText(), mask(covered, all.size()))));
        }

        private String addTag(String tagName, String prevTagId, String bitMask) {
            String tagId = newId();
            ObjectNode tag = JSON.createObjectNode().put("id", tagId).put("datasetId", id).put("prevTagId", prevTagId)
                    .put("name", tagName).put("bitMaskData", bitMask).put("totSize", all.size())
                    .put("createdAt", timestamp());
            tags.add(tag);
            return tagId;
        }

        Reply setDatasource(JsonNode request) {
            ObjectNode stored = request.deepCopy();
            String purpose = request.path("purpose").asText();
            ObjectNode previous = datasources.get(purpose);
            stored.put("id", previous == null ? newId() : previous.path("id").asText());
            datasources.put(purpose, stored);
            return new Reply(200, null);
        }

        /**
         * Creates ({@code id} null) or replaces a metadata configuration. Beyond the schema, refuses what a
         * configuration cannot mean: two entries with one path or one name, and paths with empty segments.
         */
        Reply setConfiguration(String configurationId, JsonNode request) {
            if (configurationId != null && !configurations.containsKey(configurationId)) {
                return error(404, "NOT_FOUND", "no metadata configuration " + configurationId);
            }
            Set<String> paths = new HashSet<>();
            Set<String> names = new HashSet<>();
            for (JsonNode entry : request.path("configs")) {
                String entryPath = entry.path("path").asText();
                if (!paths.add(entryPath) || !names.add(entry.path("name").asText())) {
                    return error(400, "BAD_REQUEST", "configuration repeats path or name '" + entryPath + "'");
                }
                if (Arrays.asList(entryPath.split("\\.", -1)).contains("")) {
                    return error(400, "BAD_REQUEST", "path '" + entryPath + "' has an empty segment");
                }
            }
            long now = timestamp();
            String id = configurationId == null ? newId() : configurationId;
            ObjectNode stored = JSON.createObjectNode().put("id", id).put("name", request.path("name").asText());
            stored.set("configs", request.path("configs").deepCopy());
            stored.put("createdAt", configurationId == null ? now : configurations.get(id).path("createdAt").asLong());
            stored.put("lastModifiedAt", now);
            configurations.put(id, stored);
            return configurationId == null
                    ? new Reply(201, JSON.createObjectNode().put("id", id))
                    : new Reply(200, null);
        }

        Reply verify() {
            if (datasources.isEmpty()) {
                return error(400, "DATASET_DATASOURCE_UNKNOWN", "the dataset has no datasource");
            }
            ObjectNode body = JSON.createObjectNode().put("canRead", verification.canRead())
                    .put("canWrite", verification.canWrite()).put("canList", verification.canList())
                    .put("canOverwrite", verification.canOverwrite());
            if (!verification.errors().isEmpty()) {
                body.set("errors", JSON.<JsonNode>valueToTree(verification.errors()));
            }
            return new Reply(200, body);
        }
    }

    /** Bits {@code from} (inclusive) to {@code to} (exclusive) set, as Lightly writes bitmasks. */
    private static String mask(int from, int to) {
        BigInteger all = BigInteger.ONE.shiftLeft(to).subtract(BigInteger.ONE);
        BigInteger before = BigInteger.ONE.shiftLeft(from).subtract(BigInteger.ONE);
        return "0x" + all.subtract(before).toString(16);
    }
}
