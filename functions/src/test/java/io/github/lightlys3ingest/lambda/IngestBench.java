package io.github.lightlys3ingest.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.LightlyApiStub;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.lightly.RetryPolicy;
import io.github.lightlys3ingest.lightly.Sleeper;
import io.github.lightlys3ingest.moto.MotoServer;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.storage.S3ObjectStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Benchmark, not a test: objects per second and per-object latency of the ingestion function through moto
 * (S3 -> SQS -> handler) for small images, with 1 and 2 handler threads, and the S3 and Lightly requests per
 * object. Run: {@code mvn -o -q -pl functions test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.github.lightlys3ingest.lambda.IngestBench -Dexec.args="1000"}.
 */
public final class IngestBench {
    static final String INPUT = "projects/bench/";
    private static final String OUTPUT = "lightly/bench/";

    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        int objects = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        MotoServer moto = MotoServer.shared();
        List<byte[]> images = smallImages(50);
        System.out.printf("%d objects of %d-%d bytes (64x48 JPEG), moto at %s%n", objects,
                images.stream().mapToInt(b -> b.length).min().orElseThrow(),
                images.stream().mapToInt(b -> b.length).max().orElseThrow(), moto.endpoint());
        System.out.println("threads | objects/s | p50 ms | p95 ms | analyze ms (mean) | overhead ms (mean)"
                + " | S3 req/object | Lightly req/object");
        for (int threads : new int[] {1, 2}) {
            run(moto, objects, threads, images);
        }
        MotoServer.stop();
        System.exit(0);
    }

    private static void run(MotoServer moto, int objects, int threads, List<byte[]> images) throws Exception {
        moto.reset();
        String bucket = MotoServer.freshName("bench");
        AtomicLong s3Requests = new AtomicLong();
        S3Client counted = S3Client.builder().region(MotoServer.REGION).endpointOverride(moto.endpoint())
                .forcePathStyle(true).httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        s3Requests.incrementAndGet();
                    }
                })).build();
        try (S3Client s3 = moto.clients().s3(); SqsClient sqs = moto.clients().sqs();
             LightlyApiStub lightly = LightlyApiStub.start()) {
            s3.createBucket(b -> b.bucket(bucket));
            String queueUrl = sqs.createQueue(b -> b.queueName(MotoServer.freshName("bench"))).queueUrl();
            String queueArn = sqs
                    .getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                    .queueConfigurations(q -> q.queueArn(queueArn).events(Event.S3_OBJECT_CREATED)
                            .filter(f -> f.key(k -> k.filterRules(r -> r.name("prefix").value(INPUT)))))));
            upload(s3, bucket, objects, images);
            List<List<Message>> batches = receiveAll(sqs, queueUrl, objects);

            IngestSettings settings = IngestSettings.parse(Map.of(
                    EnvironmentVariable.INPUT_URI.key(), "s3://" + bucket + "/" + INPUT,
                    EnvironmentVariable.OUTPUT_URI.key(), "s3://" + bucket + "/" + OUTPUT,
                    EnvironmentVariable.LIGHTLY_DATASET_ID.key(), lightly.datasetId(),
                    EnvironmentVariable.LIGHTLY_SERVER_LOCATION.key(), lightly.baseUri().toString())::get);
            LightlyClient client = new LightlyClient(lightly.settings(Duration.ofSeconds(10)), RetryPolicy.DEFAULT,
                    Clock.systemUTC(), Sleeper.SYSTEM);
            Ingestion ingestion = new Ingestion(settings, new S3ObjectStore(counted, settings.input()),
                    new S3ObjectStore(counted, settings.output()), Optional.of(client),
                    new ImageAnalyzer(settings.analysisOptions()), Clock.systemUTC());
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            IngestHandler handler = new IngestHandler(ingestion, new PrintStream(logs, true, StandardCharsets.UTF_8),
                    threads);

            long started = System.nanoTime();
            for (List<Message> batch : batches) {
                handler.handleRequest(new ByteArrayInputStream(SqsEvents.of(batch, queueArn)),
                        OutputStream.nullOutputStream(), new TestContext());
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            List<Long> totals = new ArrayList<>();
            Map<String, Long> stageTotals = new java.util.TreeMap<>();
            long analyze = 0;
            for (String line : logs.toString(StandardCharsets.UTF_8).split("\n")) {
                JsonNode node = Json.MAPPER.readTree(line);
                if ("ingested".equals(node.path("outcome").asText())) {
                    totals.add(node.path("totalMs").asLong());
                    analyze += node.path("ms").path("analyze").asLong();
                    node.path("ms").fields()
                            .forEachRemaining(f -> stageTotals.merge(f.getKey(), f.getValue().asLong(), Long::sum));
                }
            }
            if (totals.size() != objects || lightly.samplesCreated() != objects) {
                logs.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"failed\"")).limit(5)
                        .forEach(System.err::println);
                throw new IllegalStateException("ingested " + totals.size() + " of " + objects + ", samples "
                        + lightly.samplesCreated());
            }
            totals.sort(Long::compare);
            double meanTotal = totals.stream().mapToLong(Long::longValue).average().orElse(0);
            double meanAnalyze = (double) analyze / objects;
            int lightlyRequests = lightly.requestsByEndpoint().values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("%7d | %9.1f | %6d | %6d | %17.1f | %18.1f | %13.2f | %18.2f%n", threads,
                    objects / seconds, totals.get(objects / 2), totals.get((int) (objects * 0.95)), meanAnalyze,
                    meanTotal - meanAnalyze, (double) s3Requests.get() / objects, (double) lightlyRequests / objects);
            StringBuilder stages = new StringBuilder("        mean ms per stage:");
            stageTotals.forEach((stage, ms) -> stages.append(String.format(" %s %.1f", stage, (double) ms / objects)));
            System.out.println(stages);
        } finally {
            counted.close();
        }
    }

    /** Puts {@code objects} images under {@link #INPUT}, cycling through {@code images}. */
    static void upload(S3Client s3, String bucket, int objects, List<byte[]> images)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < objects; i++) {
            int n = i;
            pool.execute(() -> s3.putObject(b -> b.bucket(bucket).key(INPUT + "img-" + n + ".jpg"),
                    RequestBody.fromBytes(images.get(n % images.size()))));
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
    }

    /** Receives every notification first, so the timed part is the handler alone, in batches of up to 10. */
    private static List<List<Message>> receiveAll(SqsClient sqs, String queueUrl, int objects) {
        List<List<Message>> batches = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        while (keys.size() < objects) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).visibilityTimeout(3600)).messages();
            List<Message> batch = messages.stream().filter(m -> !m.body().contains("s3:TestEvent")).toList();
            batch.forEach(m -> keys.add(m.body()));
            if (!batch.isEmpty()) {
                batches.add(batch);
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
            images.add(Arrays.copyOf(out.toByteArray(), out.size()));
        }
        return images;
    }
}
