package io.github.lightlys3ingest.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.lightlys3ingest.json.LogKeys;
import io.github.lightlys3ingest.lightly.ImageType;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.lightly.TagResult;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.pipeline.OutcomeLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scheduled tag step: {@code io.github.lightlys3ingest.lambda.TagHandler::handleRequest}. Makes new
 * samples visible in Lightly by creating the initial tag, or an upsize tag when samples were added since
 * the last one. Meant for a schedule (EventBridge), not per event; the input is ignored.
 */
public final class TagHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final LightlyClient lightly;
    private final ImageType imageType;

    /** Called once per container by the Lambda runtime. */
    public TagHandler() {
        this(Ingestion.fromEnvironment(System::getenv));
    }

    TagHandler(Ingestion ingestion) {
        this.lightly = ingestion.lightly().orElseThrow(() ->
                new IllegalArgumentException("the tag step needs LIGHTLY_DATASET_ID and a token"));
        this.imageType = ImageType.of(ingestion.settings().uploadMode());
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Instant deadline = Instant.now().plusMillis(context.getRemainingTimeInMillis())
                .minus(IngestHandler.SAFETY_MARGIN);
        TagResult result;
        try {
            result = lightly.withDeadline(deadline).createTagIfNeeded(imageType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(LogKeys.ACTION, result.action().name().toLowerCase(java.util.Locale.ROOT));
        answer.put(LogKeys.TAG, result.tagName());
        Map<String, Object> line = new LinkedHashMap<>(answer);
        line.put(LogKeys.LEVEL, "INFO");
        line.put(LogKeys.EVENT, LogKeys.EVENT_TAG);
        line.put(LogKeys.REQUEST_ID, context.getAwsRequestId());
        System.out.println(OutcomeLog.write(line));
        return answer;
    }
}
