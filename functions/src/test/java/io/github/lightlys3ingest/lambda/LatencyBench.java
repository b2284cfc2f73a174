package io.github.lightlys3ingest.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.LightlyApiStub;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.lightly.LightlySettings;
import io.github.lightlys3ingest.lightly.RetryPolicy;
import io.github.lightlys3ingest.lightly.Sleeper;
import io.github.lightlys3ingest.moto.MotoServer;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.storage.S3ObjectStore;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Benchmark, not a test: wall time of {@link IngestHandler} per SQS batch of ten objects when S3 and the Lightly
 * API are as far away as in AWS, and the billed GB-seconds per 1,000 objects that follow.
 *
 * <p>The "remote" side (moto for S3 and SQS, the Lightly stand-in, and a {@link LatencyProxy} in front of each:
 * 20 ms per S3 round trip, 150 ms per Lightly call) runs in a child JVM pinned with {@code taskset} to the CPUs
 * given by {@code -Dbench.remoteCpus}, so that its work is not billed to the handler when the handler's JVM is
 * pinned elsewhere (run by {@code bench/lambda-latency.sh}). The handler runs with the given CPU workers and
 * objects in flight; events go through the Lambda runtime's serializer as in {@link IngestBench}.
 *
 * <p>Arguments: {@code <12 MP JPEG> <label> <cpuWorkers>/<inFlight> ...}, e.g.
 * {@code /tmp/bench-images/bench_12mp.jpg 1769MB 2/2 2/10}.
 */
public final class LatencyBench {
    private static final String INPUT = IngestBench.INPUT;
    private static final String OUTPUT = "lightly/bench/";
    private static final int BATCH = 10;
    private static final Duration S3_DELAY = Duration.ofMillis(20);
    private static final Duration LIGHTLY_DELAY = Duration.ofMillis(150);

    private LatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("remote")) {
            remote();
            return;
        }
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        byte[] large = Files.readAllBytes(Path.of(args[0]));
        String label = args[1];
        double gb = Integer.parseInt(label.replaceAll("[^0-9]", "")) / 1024.0;
        Remote remote = Remote.spawn(System.getProperty("bench.remoteCpus", ""));
        List<byte[]> small = smallImages(BATCH);
        System.out.printf("handler CPUs: %d, remote at %s, S3 +%d ms, Lightly +%d ms per round trip%n",
                Runtime.getRuntime().availableProcessors(), remote.moto, S3_DELAY.toMillis(), LIGHTLY_DELAY.toMillis());
        System.out.println("| memory | images | CPU workers / in flight | wall s per batch (min-max) | handler CPU s"
                + " per batch | S3 round trips / object | connections / batch | GB-s per 1,000 objects |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int round = 0; round < 2; round++) {
            boolean warmUp = round == 0;
            for (int i = 2; i < args.length; i++) {
                String[] config = args[i].split("/");
                int workers = Integer.parseInt(config[0]);
                int inFlight = Integer.parseInt(config[1]);
                run(remote, "10 x 64x48 px", small, warmUp ? 1 : 3, workers, inFlight, label, gb, warmUp);
                run(remote, "10 x 12 MP", List.of(large), warmUp ? 1 : 2, workers, inFlight, label, gb, warmUp);
            }
        }
        remote.close();
        System.exit(0);
    }

    private static void run(Remote remote, String images, List<byte[]> contents, int batchCount, int workers,
                            int inFlight, String label, double gb, boolean warmUp) throws Exception {
        remote.reset();
        String bucket = MotoServer.freshName("latency");
        int objects = batchCount * BATCH;
        try (S3Client direct = s3(remote.moto); SqsClient sqs = remote.sqs();
             S3Client proxied = s3(remote.s3Proxy)) {
            direct.createBucket(b -> b.bucket(bucket));
            String queueUrl = sqs.createQueue(b -> b.queueName(MotoServer.freshName("latency"))).queueUrl();
            String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            direct.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                    .queueConfigurations(q -> q.queueArn(queueArn).events(Event.S3_OBJECT_CREATED))));
            IngestBench.upload(direct, bucket, objects, contents);
            List<List<Message>> batches = receiveAll(sqs, queueUrl, objects);

            IngestSettings settings = IngestSettings.parse(Map.of(
                    EnvironmentVariable.INPUT_URI.key(), "s3://" + bucket + "/" + INPUT,
                    EnvironmentVariable.OUTPUT_URI.key(), "s3://" + bucket + "/" + OUTPUT,
                    EnvironmentVariable.LIGHTLY_DATASET_ID.key(), remote.datasetId,
                    EnvironmentVariable.LIGHTLY_SERVER_LOCATION.key(), remote.lightlyProxy.toString())::get);
            LightlyClient client = new LightlyClient(new LightlySettings(remote.lightlyProxy, LightlyApiStub.TOKEN,
                    remote.datasetId, Duration.ofSeconds(30)), RetryPolicy.DEFAULT, Clock.systemUTC(), Sleeper.SYSTEM);
            Ingestion ingestion = new Ingestion(settings, new S3ObjectStore(proxied, settings.input()),
                    new S3ObjectStore(proxied, settings.output()), Optional.of(client),
                    new ImageAnalyzer(settings.analysisOptions()), Clock.systemUTC());
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            IngestHandler handler = new IngestHandler(ingestion, new PrintStream(logs, true, StandardCharsets.UTF_8),
                    workers, inFlight);

            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long[] before = remote.counters();
            List<Double> walls = new ArrayList<>();
            long cpuStart = os.getProcessCpuTime();
            for (List<Message> batch : batches) {
                long started = System.nanoTime();
                handler.handleRequest(new ByteArrayInputStream(SqsEvents.of(batch, queueArn)),
                        OutputStream.nullOutputStream(), new TestContext());
                walls.add((System.nanoTime() - started) / 1e9);
            }
            double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9 / batches.size();
            long[] after = remote.counters();
            Map<String, Long> stages = check(logs, objects);
            if (warmUp) {
                return;
            }
            double mean = walls.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double perThousand = mean * (1000.0 / BATCH) * gb;
            System.out.printf("| %s | %s | %d / %d | %.2f (%.2f-%.2f) | %.2f | %.1f | %d | %.0f |%n", label, images,
                    workers, inFlight, mean, walls.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    walls.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), cpu,
                    (double) (after[0] - before[0]) / objects, (after[1] - before[1]) / batches.size(), perThousand);
            StringBuilder line = new StringBuilder("    mean ms per object and stage:");
            stages.forEach((stage, ms) -> line.append(String.format(" %s %.0f", stage, (double) ms / objects)));
            System.out.println(line);
        }
    }

    /** Every object must have been ingested; returns the summed stage times from the outcome log lines. */
    private static Map<String, Long> check(ByteArrayOutputStream logs, int objects) throws IOException {
        Map<String, Long> stages = new TreeMap<>();
        int ingested = 0;
        for (String line : logs.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode node = Json.MAPPER.readTree(line);
            if ("ingested".equals(node.path("outcome").asText())) {
                ingested++;
                node.path("ms").fields().forEachRemaining(f -> stages.merge(f.getKey(), f.getValue().asLong(),
                        Long::sum));
            }
        }
        if (ingested != objects) {
            logs.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.contains("\"ingested\"")).limit(5)
                    .forEach(System.err::println);
            throw new IllegalStateException("ingested " + ingested + " of " + objects);
        }
        return stages;
    }

    private static S3Client s3(URI endpoint) {
        return S3Client.builder().region(MotoServer.REGION).endpointOverride(endpoint).forcePathStyle(true)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** Receives every notification first, so the timed part is the handler alone, in batches of ten. */
    private static List<List<Message>> receiveAll(SqsClient sqs, String queueUrl, int objects) {
        List<List<Message>> batches = new ArrayList<>();
        List<Message> pending = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        while (keys.size() < objects) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).visibilityTimeout(3600)).messages()) {
                if (!m.body().contains("s3:TestEvent") && keys.add(m.body())) {
                    pending.add(m);
                }
            }
            while (pending.size() >= BATCH) {
                batches.add(new ArrayList<>(pending.subList(0, BATCH)));
                pending.subList(0, BATCH).clear();
            }
        }
        return batches;
    }

    private static List<byte[]> smallImages(int count) throws IOException {
        Random random = new Random(42);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    image.setRGB(x, y, random.nextInt(0xFFFFFF));
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "jpg", out);
            images.add(out.toByteArray());
        }
        return images;
    }

    /** The child JVM's side: moto, the Lightly stand-in and the proxies; prints its endpoints, then serves. */
    private static void remote() throws Exception {
        MotoServer moto = MotoServer.shared();
        LightlyApiStub lightly = LightlyApiStub.start();
        LatencyProxy s3Proxy = LatencyProxy.start(moto.endpoint(), S3_DELAY);
        LatencyProxy lightlyProxy = LatencyProxy.start(lightly.baseUri(), LIGHTLY_DELAY);
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("moto", moto.endpoint().toString());
        endpoints.put("s3Proxy", s3Proxy.front(moto.endpoint()).toString());
        endpoints.put("lightlyProxy", lightlyProxy.front(lightly.baseUri()).toString());
        endpoints.put("datasetId", lightly.datasetId());
        System.out.println(Json.MAPPER.writeValueAsString(endpoints));
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = commands.readLine()) != null) {
            // One command: "counters", answered with S3 round trips and connections so far.
            System.out.println(s3Proxy.roundTrips() + " " + s3Proxy.connections());
        }
        MotoServer.stop();
        lightly.close();
        System.exit(0);
    }

    /** The handle on the child JVM. */
    private record Remote(Process process, BufferedReader out, URI moto, URI s3Proxy, URI lightlyProxy,
                          String datasetId) implements AutoCloseable {
        static Remote spawn(String cpus) throws IOException {
            List<String> command = new ArrayList<>();
            if (!cpus.isBlank()) {
                command.addAll(List.of("taskset", "-c", cpus));
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), LatencyBench.class.getName(), "remote"));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && !line.startsWith("{")) {
                line = out.readLine();
            }
            if (line == null) {
                throw new IOException("the remote side (moto, Lightly stand-in, proxies) did not start");
            }
            JsonNode endpoints = Json.MAPPER.readTree(line);
            return new Remote(process, out, URI.create(endpoints.path("moto").asText()),
                    URI.create(endpoints.path("s3Proxy").asText()), URI.create(endpoints.path("lightlyProxy").asText()),
                    endpoints.path("datasetId").asText());
        }

        SqsClient sqs() {
            return new io.github.lightlys3ingest.aws.AwsClients(MotoServer.REGION, Optional.of(moto)).sqs();
        }

        /** Clears moto's state, so a run does not carry the last one's objects. */
        void reset() throws IOException, InterruptedException {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(moto.resolve("/moto-api/reset"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        }

        long[] counters() throws IOException {
            process.getOutputStream().write("counters\n".getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            String[] parts = out.readLine().trim().split(" ");
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        }

        @Override
        public void close() throws IOException {
            process.getOutputStream().close();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
