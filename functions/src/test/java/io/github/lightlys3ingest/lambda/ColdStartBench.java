package io.github.lightlys3ingest.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.LightlyApiStub;
import io.github.lightlys3ingest.moto.MotoServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Benchmark, not a test: the ingestion function's cold start under AWS's own runtime interface client
 * ({@code aws-lambda-java-runtime-interface-client}) against a {@link LocalRuntimeApi}, with S3 in moto and
 * the Lightly stand-in, no added latency. Each run starts a fresh JVM as Lambda's managed Java runtime would
 * ({@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}, the function jar under {@code LAMBDA_TASK_ROOT/lib}) and
 * sends two SQS batches of ten sample photos. Measured: init (process start to the first
 * {@code invocation/next}), first and second invocation (event handed out to response posted).
 *
 * <p>Two modes: {@code on-demand} (no checkpoint hooks) and {@code snapstart}: the runtime client's SnapStart
 * path ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}, {@code org.crac} bridged to the client's own
 * checkpoint context, so the handler's registration reaches it), which runs {@link SnapStartPriming} before
 * its {@code restore/next}. No checkpoint is taken here, so the first invocation after priming is what a
 * restored snapshot would see, less the restore itself. Arguments: {@code <function jar> <runs per mode>}.
 */
public final class ColdStartBench {
    private static final String INPUT = "projects/cold/";
    private static final String HANDLER = "io.github.lightlys3ingest.lambda.IngestHandler::handleRequest";
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    private ColdStartBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "functions/target/lightly-s3-ingest.jar");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        MotoServer moto = MotoServer.shared();
        Path taskRoot = Files.createTempDirectory("lambda-task");
        Files.createDirectories(taskRoot.resolve("lib"));
        Files.copy(jar, taskRoot.resolve("lib").resolve("function.jar"), StandardCopyOption.REPLACE_EXISTING);
        List<Path> photos = Files.list(Path.of("functions/src/test/resources/images"))
                .filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        String runtimeClasspath = runtimeClientClasspath();
        System.out.printf("JVM %s, %d processors; batches of 10 of the %d sample photos (0.3-3.1 MP)%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), photos.size());
        System.out.println("| mode | run | init ms (CPU s) | priming ms (in init) | first invocation ms (CPU s)"
                + " | second invocation ms (CPU s) |");
        System.out.println("|---|---|---|---|---|---|");
        try (S3Client s3 = moto.clients().s3(); LightlyApiStub lightly = LightlyApiStub.start()) {
            String bucket = MotoServer.freshName("cold");
            s3.createBucket(b -> b.bucket(bucket));
            String secret = MotoServer.freshName("lightly-token");
            try (var secrets = moto.clients().secretsManager()) {
                secrets.createSecret(b -> b.name(secret).secretString(LightlyApiStub.TOKEN));
            }
            // Run 0 is not reported: it pays the stand-ins' own first-request costs (moto's backends, the
            // stub's OpenAPI validator), which would otherwise land on whichever mode runs first.
            for (int run = 0; run <= runs; run++) {
                for (String mode : run == 0 ? List.of("on-demand") : List.of("on-demand", "snapstart")) {
                    String prefix = INPUT + mode + "-" + run + "/";
                    List<byte[]> batches = List.of(batch(s3, bucket, prefix + "a/", photos),
                            batch(s3, bucket, prefix + "b/", photos));
                    once(mode, run, taskRoot, runtimeClasspath, moto, lightly, bucket, secret, batches);
                }
            }
        }
        MotoServer.stop();
        System.exit(0);
    }

    private static void once(String mode, int run, Path taskRoot, String classpath, MotoServer moto,
                             LightlyApiStub lightly, String bucket, String secret, List<byte[]> batches)
            throws Exception {
        try (LocalRuntimeApi api = new LocalRuntimeApi()) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx2560m"));
            Map<String, String> env = new HashMap<>();
            if (mode.equals("snapstart")) {
                command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
                env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
            }
            command.addAll(List.of("-cp", classpath, RIC_MAIN, HANDLER));
            env.put("AWS_LAMBDA_RUNTIME_API", api.address());
            env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            env.put("_HANDLER", HANDLER);
            env.put("AWS_LAMBDA_FUNCTION_NAME", "ingest");
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "3008");
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/ingest");
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "bench");
            env.put("AWS_REGION", MotoServer.REGION.id());
            env.put("AWS_ACCESS_KEY_ID", "test");
            env.put("AWS_SECRET_ACCESS_KEY", "test");
            env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
            env.put(EnvironmentVariable.INPUT_URI.key(), "s3://" + bucket + "/" + INPUT);
            env.put(EnvironmentVariable.OUTPUT_URI.key(), "s3://" + bucket + "/lightly/");
            env.put(EnvironmentVariable.LIGHTLY_DATASET_ID.key(), lightly.datasetId());
            env.put(EnvironmentVariable.LIGHTLY_SERVER_LOCATION.key(), lightly.baseUri().toString());
            env.put("LIGHTLY_TOKEN_SECRET_ID", secret);
            // The runtime client loads the function from its working directory (Lambda's /var/task) and lib/*.jar.
            ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile());
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv("PATH"));
            builder.environment().putAll(env);
            Path output = Files.createTempFile("lambda-run", ".log");
            builder.redirectErrorStream(true).redirectOutput(output.toFile());

            long started = System.nanoTime();
            Process process = builder.start();
            try {
                long initEnd = api.firstNext().get(120, TimeUnit.SECONDS);
                double initCpu = cpuSeconds(process);
                CompletableFuture<Long> first = api.invoke(batches.get(0));
                long firstEnd = first.get(120, TimeUnit.SECONDS);
                double firstCpu = cpuSeconds(process);
                CompletableFuture<Long> second = api.invoke(batches.get(1));
                long secondEnd = second.get(120, TimeUnit.SECONDS);
                double secondCpu = cpuSeconds(process);
                String log = Files.readString(output);
                long ingested = log.lines().filter(l -> l.contains("\"outcome\":\"ingested\"")).count();
                if (ingested != 20) {
                    throw new IllegalStateException("ingested " + ingested + " of 20; log in " + output);
                }
                String primingLine = log.lines().filter(l -> l.contains("snapstart_priming")).findFirst().orElse(null);
                String priming = primingLine == null ? "-" : Json.MAPPER.readTree(primingLine).path("ms").asText();
                if (run == 0) {
                    return;
                }
                System.out.printf("| %s | %d | %d (%.2f) | %s | %d (%.2f) | %d (%.2f) |%n", mode, run,
                        ms(initEnd - started), initCpu, priming, ms(firstEnd - initEnd), firstCpu - initCpu,
                        ms(secondEnd - firstEnd), secondCpu - firstCpu);
            } finally {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** User plus system CPU time of the function's process so far, from /proc (Linux). */
    private static double cpuSeconds(Process process) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** Uploads ten photos under {@code prefix} and returns the SQS event of their S3 notifications. */
    private static byte[] batch(S3Client s3, String bucket, String prefix, List<Path> photos) throws IOException {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Path photo = photos.get(i % photos.size());
            String key = prefix + photo.getFileName();
            byte[] bytes = Files.readAllBytes(photo);
            String eTag = s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes)).eTag();
            ObjectNode record = Json.MAPPER.createObjectNode();
            record.put("eventVersion", "2.1");
            record.put("eventSource", "aws:s3");
            record.put("awsRegion", MotoServer.REGION.id());
            record.put("eventTime", "2026-11-30T12:00:00.000Z");
            record.put("eventName", "ObjectCreated:Put");
            ObjectNode s3Node = record.putObject("s3");
            s3Node.put("s3SchemaVersion", "1.0");
            s3Node.putObject("bucket").put("name", bucket).put("arn", "arn:aws:s3:::" + bucket);
            s3Node.putObject("object").put("key", key).put("size", bytes.length).put("eTag", eTag.replace("\"", ""))
                    .put("sequencer", "0");
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.putArray("Records").add(record);
            messages.add(Message.builder().messageId(UUID.randomUUID().toString()).receiptHandle("r" + i)
                    .body(Json.MAPPER.writeValueAsString(body)).md5OfBody("0").build());
        }
        return SqsEvents.of(messages, "arn:aws:sqs:us-east-1:123456789012:ingest");
    }

    /** The runtime client and what it needs (Lambda keeps these under /var/runtime/lib, apart from the function). */
    private static String runtimeClientClasspath() {
        List<String> wanted = List.of("aws-lambda-java-runtime-interface-client", "utils-lite",
                "aws-lambda-java-core", "aws-lambda-java-serialization");
        List<String> entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> wanted.stream().anyMatch(entry::contains)).toList();
        if (entries.size() < wanted.size()) {
            throw new IllegalStateException("runtime client jars missing from the classpath: " + entries);
        }
        return String.join(File.pathSeparator, entries);
    }
}
