package io.github.lightlys3ingest.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.github.lightlys3ingest.image.Analysis;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.pipeline.OutcomeLog;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.crac.Context;
import org.crac.Resource;

/**
 * Runs the ingestion function's code paths once before a SnapStart snapshot, so a restored container starts
 * with their classes loaded and initialised and some of their code compiled: the ImageIO plugins (decode,
 * statistics, thumbnail encode of a small generated JPEG), the runtime's event serializer and Jackson, and
 * the S3 and Lightly HTTP clients (one read-only request each: a HEAD of a key that does not exist, and
 * the dataset). Called by the runtime only when SnapStart is on; a failure is logged and never fails the
 * snapshot, since the function works unprimed.
 */
final class SnapStartPriming implements Resource {
    /** Under the output root's {@code .lightly/} folder, which the function never ingests. */
    static final String PROBE_KEY = ".lightly/ingest/priming-probe";

    private final Ingestion ingestion;
    private final PrintStream log;

    SnapStartPriming(Ingestion ingestion, PrintStream log) {
        this.ingestion = ingestion;
        this.log = log;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", "INFO");
        line.put("event", "snapstart_priming");
        try {
            prime();
            line.put("ok", true);
        } catch (IOException | RuntimeException e) {
            line.put("ok", false);
            line.put("detail", e.toString());
        }
        line.put("ms", (System.nanoTime() - started) / 1_000_000);
        log.println(OutcomeLog.write(line));
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: the clients reconnect on their own when a pooled connection turns out closed.
    }

    private void prime() throws IOException {
        byte[] jpeg = smallJpeg();
        Analysis analysis = ingestion.analyzer().analyze(jpeg, "priming.jpg", "jpg");
        if (!(analysis instanceof Analysis.Accepted accepted)) {
            throw new IOException("priming image rejected: " + analysis);
        }
        Json.MAPPER.writeValueAsBytes(accepted.metaData());
        PojoSerializer<SQSEvent> serializer = LambdaEventSerializers.serializerFor(SQSEvent.class,
                SnapStartPriming.class.getClassLoader());
        serializer.fromJson(new ByteArrayInputStream("""
                {"Records":[{"messageId":"priming","body":"{}","eventSource":"aws:sqs"}]}"""
                .getBytes(StandardCharsets.UTF_8)));
        ingestion.output().head(PROBE_KEY);
        if (ingestion.lightly().isPresent()) {
            ingestion.lightly().get().getDataset();
        }
    }

    private static byte[] smallJpeg() throws IOException {
        BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, (x * 0x010101 + y * 0x000301) & 0xFFFFFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
