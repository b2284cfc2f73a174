package io.github.lightlys3ingest.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.contract.LambdaFunction;
import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.Ingestion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The functions' half of the contract with the stack: each handler, built the way its Lambda constructor builds
 * it, starts with only the variables the contract lists for it ({@link LambdaFunction#environment()}: nothing
 * missing), reads every one of them (nothing the stack sets is ignored), and reads no name outside the contract
 * except Lambda's own {@code AWS_*}. The infra module checks the other half: the template sets exactly the
 * contract's variables on each function.
 */
@ExtendWith(MotoExtension.class)
class HandlerEnvironmentTest {
    private AwsClients aws;
    private String secretName;
    @TempDir
    Path dir;
    private Path coco;

    @BeforeEach
    void tokenSecret(MotoServer moto) {
        aws = moto.clients();
        secretName = MotoServer.freshName("lightly-token");
        try (SecretsManagerClient secrets = aws.secretsManager()) {
            secrets.createSecret(b -> b.name(secretName).secretString("token-from-secrets-manager"));
        }
    }

    @BeforeEach
    void cocoFile() throws IOException {
        coco = Files.writeString(dir.resolve("coco.json"), "{\"images\": [], \"metadata\": []}");
    }

    /** A valid value for each variable; a new variable does not compile until it has one here. */
    private String sample(EnvironmentVariable variable) {
        return switch (variable) {
            case INPUT_URI -> "s3://datalake/projects/farm-animals/";
            case OUTPUT_URI -> "s3://datalake/lightly/farm-animals/";
            case UPLOAD_MODE -> "metadata";
            case THUMB_SUFFIX -> ".lightly/thumbs/[filename]_thumb.[extension]";
            case THUMB_SIZE -> "96";
            case MAX_PIXELS -> "50000000";
            case MAX_OBJECT_BYTES -> "1048576";
            case CLAIM_LEASE_SECONDS -> "240";
            case LIGHTLY_DATASET_ID -> "0123456789abcdef01234567";
            case LIGHTLY_TOKEN_SECRET_ID -> secretName;
            case LIGHTLY_SERVER_LOCATION -> "https://api.example.test";
            case LIGHTLY_REQUEST_TIMEOUT -> "20";
            case LIGHTLY_TOKEN -> "plain-token";
            case CUSTOM_METADATA -> "key,user,sidecar,exif";
            case KEY_PATTERN -> "{site}/{date}/*";
            case SIDECAR_FILE -> coco.toString();
            case INGEST_QUEUE_URL -> "https://sqs.us-east-1.amazonaws.com/123456789012/ingest";
        };
    }

    /** The environment the stack gives this function, recording every name the handler looks up. */
    private static final class RecordingEnvironment implements Function<String, String> {
        private final Set<String> queried = new TreeSet<>();
        private final LambdaFunction function;
        private final Function<EnvironmentVariable, String> sample;

        RecordingEnvironment(LambdaFunction function, Function<EnvironmentVariable, String> sample) {
            this.function = function;
            this.sample = sample;
        }

        @Override
        public synchronized String apply(String name) {
            queried.add(name);
            return function.environment().stream().filter(v -> v.key().equals(name)).findFirst()
                    .map(sample).orElse(null);
        }
    }

    /** Builds the handler as its no-argument (Lambda) constructor does, from {@code env} and moto's clients. */
    private Object handler(LambdaFunction function, Function<String, String> env) {
        PrintStream log = new PrintStream(new ByteArrayOutputStream());
        return switch (function) {
            case INGEST -> new IngestHandler(Ingestion.create(IngestSettings.parse(env), env, aws), log, 1);
            case TAG -> new TagHandler(Ingestion.create(IngestSettings.parse(env), env, aws));
            case BACKFILL -> new BackfillHandler(env, aws, log);
        };
    }

    private static Set<String> keys(Set<EnvironmentVariable> variables) {
        return variables.stream().map(EnvironmentVariable::key).collect(Collectors.toCollection(TreeSet::new));
    }

    private RecordingEnvironment start(LambdaFunction function) {
        RecordingEnvironment env = new RecordingEnvironment(function, this::sample);
        Object handler = handler(function, env);
        assertEquals(function.handlerClass(), handler.getClass().getName(), "the contract names this handler");
        return env;
    }

    @Test
    void eachHandlerStartsWithOnlyItsContractVariablesAndReadsEveryOne() {
        for (LambdaFunction function : LambdaFunction.values()) {
            RecordingEnvironment env = start(function);
            Set<String> unread = keys(function.environment());
            unread.removeAll(env.queried);
            assertEquals(Set.of(), unread, function + ": variables the stack sets but the handler never reads");
        }
    }

    @Test
    void theIngestHandlerReadsExactlyItsContractVariables() {
        RecordingEnvironment env = start(LambdaFunction.INGEST);
        Set<String> contractNames = keys(Set.of(EnvironmentVariable.values()));
        Set<String> read = new TreeSet<>(env.queried);
        read.retainAll(contractNames);
        assertEquals(keys(LambdaFunction.INGEST.environment()), read,
                "every setting the ingester reads must be set by the stack, or a deployment silently uses a default");
    }

    @Test
    void handlersReadNoVariableOutsideTheContractButLambdasOwn() {
        Set<String> contractNames = Arrays.stream(EnvironmentVariable.values()).map(EnvironmentVariable::key)
                .collect(Collectors.toSet());
        for (LambdaFunction function : LambdaFunction.values()) {
            for (String name : start(function).queried) {
                assertTrue(contractNames.contains(name) || name.startsWith("AWS_"),
                        function + " reads " + name + ", which the contract (EnvironmentVariable) does not define");
            }
        }
    }
}
