package io.github.lightlys3ingest.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.backfill.Backfill;
import io.github.lightlys3ingest.backfill.BackfillRequest;
import io.github.lightlys3ingest.backfill.BackfillResult;
import io.github.lightlys3ingest.backfill.BackfillSettings;
import io.github.lightlys3ingest.backfill.BackfillState;
import io.github.lightlys3ingest.backfill.SqsEnqueuer;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.json.LogKeys;
import io.github.lightlys3ingest.storage.ObjectStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * The backfill function: {@code io.github.lightlys3ingest.lambda.BackfillHandler::handleRequest}. Invoked by
 * hand with a {@link BackfillRequest} ({@code events/backfill.json}); enqueues every object under the prefix
 * onto the ingestion queue ({@code INGEST_QUEUE_URL}) and, when its time runs short, invokes itself
 * asynchronously with the {@link BackfillState} to go on from. A payload with a {@code runId} is such a
 * continuation. Answers the run's state as JSON.
 */
public final class BackfillHandler implements RequestStreamHandler {
    private final Backfill backfill;
    private final LambdaClient lambda;
    private final Function<String, String> env;

    /** Called once per container by the Lambda runtime; reads INPUT_URI, OUTPUT_URI and INGEST_QUEUE_URL. */
    public BackfillHandler() {
        this(System::getenv, AwsClients.fromEnvironment(), System.out);
    }

    BackfillHandler(Function<String, String> env, AwsClients aws, PrintStream log) {
        BackfillSettings settings = BackfillSettings.parse(env);
        var s3 = aws.s3();
        this.backfill = new Backfill(settings.ingest(),
                ObjectStores.open(settings.ingest().input(), () -> s3),
                ObjectStores.open(settings.ingest().output(), () -> s3),
                new SqsEnqueuer(aws.sqs(), settings.queueUrl()), aws.region().id(), Backfill.DEFAULT_THREADS,
                Backfill.DEFAULT_MARGIN, Clock.systemUTC(), log::println);
        this.lambda = aws.lambda();
        this.env = env;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        BackfillState state = readPayload(input.readAllBytes());
        Map<String, Object> logContext = context.getAwsRequestId() == null
                ? Map.of() : Map.of(LogKeys.REQUEST_ID, context.getAwsRequestId());
        BackfillResult result = backfill.run(state, context::getRemainingTimeInMillis, this::handOff, logContext);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", result.status().name().toLowerCase(Locale.ROOT));
        answer.put("state", result.state());
        Json.MAPPER.writeValue(output, answer);
    }

    /** A fresh request, or a continuation's state (recognised by its {@code runId}). */
    static BackfillState readPayload(byte[] payload) throws IOException {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("the backfill payload is not JSON: " + e.getMessage(), e);
        }
        if (tree != null && tree.has("runId")) {
            return Json.MAPPER.treeToValue(tree, BackfillState.class);
        }
        return BackfillState.start(BackfillRequest.fromJson(payload));
    }

    private void handOff(BackfillState next) throws IOException {
        String function = continuationTarget(env);
        SdkBytes payload = SdkBytes.fromByteArray(Json.MAPPER.writeValueAsBytes(next));
        try {
            lambda.invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT).payload(payload));
        } catch (SdkException e) {
            throw new IOException("could not invoke " + function + " to continue the backfill after "
                    + next.resumeAfter() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The function's own unqualified name, which Lambda sets in {@code AWS_LAMBDA_FUNCTION_NAME}: the stack
     * allows the function to invoke exactly that, not its versions or aliases.
     */
    static String continuationTarget(Function<String, String> env) {
        String name = env.apply("AWS_LAMBDA_FUNCTION_NAME");
        if (name == null || name.isBlank()) {
            throw new IllegalStateException("cannot continue: AWS_LAMBDA_FUNCTION_NAME is not set (not in Lambda?)");
        }
        return name;
    }
}
