package io.github.lightlys3ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.contract.UploadMode;
import io.github.lightlys3ingest.image.AnalysisOptions;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.image.RejectReason;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.storage.ForwardingStore;
import io.github.lightlys3ingest.storage.LocalObjectStore;
import io.github.lightlys3ingest.storage.ObjectContent;
import io.github.lightlys3ingest.storage.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every name ends as a record or a rejection, also names the output cannot hold and names that meet. */
class UnstorableNamesTest {
    @TempDir
    Path tmp;
    Path out;
    LocalObjectStore output;
    RecordingSink sink = new RecordingSink();
    byte[] photo;
    /** An input that holds any key (as S3 does) and answers every read with the same photo. */
    ForwardingStore anyKeyInput;

    @BeforeEach
    void setUp() throws IOException {
        out = Files.createDirectories(tmp.resolve("root/out"));
        output = new LocalObjectStore(out);
        try (InputStream in = getClass().getResourceAsStream("/images/Kodak_DX4330.jpg")) {
            photo = in.readAllBytes();
        }
        anyKeyInput = new ForwardingStore(new LocalObjectStore(Files.createDirectories(tmp.resolve("in")))) {
            @Override
            public byte[] read(String key, long maxBytes) {
                return photo;
            }

            @Override
            public ObjectContent readVersion(ObjectInfo object, long maxBytes) {
                return new ObjectContent(photo, object.eTag(), Map.of());
            }
        };
    }

    private IngestPipeline pipeline(ThumbSuffix suffix) {
        IngestOptions options = new IngestOptions(UploadMode.THUMBNAILS, suffix, 10L * 1024 * 1024,
                Duration.ofMinutes(15));
        return new IngestPipeline(anyKeyInput, output, sink, new ImageAnalyzer(AnalysisOptions.defaults()), options,
                Clock.systemUTC());
    }

    private IngestPipeline pipeline() {
        return pipeline(new ThumbSuffix(ThumbSuffix.DEFAULT));
    }

    private static ObjectInfo object(String key) {
        return new ObjectInfo(key, 1000, "etag-" + Integer.toHexString(key.hashCode()), null);
    }

    private JsonNode json(String key) throws IOException {
        return Json.MAPPER.readTree(Files.readAllBytes(out.resolve(key)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape.jpg", "./dot.jpg", "a//b.jpg", "/abs.jpg", "a/../../b.jpg"})
    void aNameAFolderCannotHoldIsRejectedUnderItsHash(String name) throws IOException {
        Outcome outcome = pipeline().process(object(name));

        assertEquals(Outcome.Status.REJECTED, outcome.status(), outcome.toString());
        assertEquals(RejectReason.INVALID_NAME, outcome.reason());
        JsonNode rejection = json(OutputLayout.hashedRejectionKey(name));
        assertEquals(name, rejection.get("fileName").asText());
        assertEquals("invalid_name", rejection.get("reason").asText());
        assertTrue(rejection.get("detail").asText().contains("cannot hold"), rejection.toString());
        assertTrue(sink.requests.isEmpty(), "nothing in Lightly");
        try (Stream<Path> all = Files.walk(tmp)) {
            assertEquals(List.of(), all.filter(p -> p.getFileName().toString().contains("escape")
                    || p.getFileName().toString().startsWith("b.jpg")).toList(), "nothing written outside");
        }

        Outcome again = pipeline().process(object(name));
        assertEquals(Outcome.Status.SKIPPED, again.status(), "the rejection is current");
    }

    @Test
    void aNameWhoseClaimWouldExceedTheSegmentLimitIsRejectedUnderItsOwnName() throws IOException {
        String name = "x".repeat(246) + ".jpg"; // record segment 255 bytes: fits; claim segment: does not

        Outcome outcome = pipeline().process(object(name));

        assertEquals(RejectReason.INVALID_NAME, outcome.reason());
        assertTrue(outcome.detail().contains("over a folder's limit of 255"), outcome.detail());
        assertEquals(name, json(OutputLayout.rejectionKey(name)).get("fileName").asText());
        assertTrue(sink.requests.isEmpty());
    }

    @Test
    void aNameTooLongForItsOwnRejectionIsRejectedUnderItsHash() throws IOException {
        String name = "folder/" + "é".repeat(130) + ".jpg"; // 264 bytes in UTF-8

        assertEquals(RejectReason.INVALID_NAME, pipeline().process(object(name)).reason());

        assertFalse(Files.exists(out.resolve(OutputLayout.REJECTED + "folder")));
        assertEquals(name, json(OutputLayout.hashedRejectionKey(name)).get("fileName").asText());
    }

    @Test
    void aNameWhoseRecordPathIsAnotherNamesFolderIsRejectedBeforeLightly() throws IOException {
        assertEquals(Outcome.Status.INGESTED, pipeline().process(object("k.json/y.jpg")).status());

        Outcome outcome = pipeline().process(object("k"));

        assertEquals(RejectReason.INVALID_NAME, outcome.reason());
        assertTrue(outcome.detail().contains("is a folder"), outcome.detail());
        assertEquals(List.of("k.json/y.jpg"), sink.requests.stream().map(r -> r.fileName()).toList(),
                "no sample for the name without a record");
        assertEquals("k", json(OutputLayout.rejectionKey("k")).get("fileName").asText());
    }

    @Test
    void aNameBelowAnotherNamesRecordFileIsRejected() throws IOException {
        assertEquals(Outcome.Status.INGESTED, pipeline().process(object("k")).status());

        Outcome outcome = pipeline().process(object("k.json/y.jpg"));

        assertEquals(RejectReason.INVALID_NAME, outcome.reason());
        assertTrue(outcome.detail().contains("is a file"), outcome.detail());
        assertEquals(1, sink.requests.size());
    }

    @Test
    void namesThatDifferOnlyByATrailingDotGetTheirOwnThumbnails() throws IOException {
        assertEquals(Outcome.Status.INGESTED, pipeline().process(object("pic")).status());
        assertEquals(Outcome.Status.INGESTED, pipeline().process(object("pic.")).status());

        assertEquals(2, sink.requests.stream().map(r -> r.thumbName()).distinct().count());
        assertTrue(Files.exists(out.resolve(sink.requests.get(0).thumbName())));
        assertTrue(Files.exists(out.resolve(sink.requests.get(1).thumbName())));
    }

    @Test
    void withATemplateWithoutExtensionTheSecondNameForAThumbnailIsRejected() throws IOException {
        ThumbSuffix noExtension = new ThumbSuffix(".lightly/thumbnails/[filename].jpg");

        assertEquals(Outcome.Status.INGESTED, pipeline(noExtension).process(object("a.png")).status());
        Outcome second = pipeline(noExtension).process(object("a.jpg"));

        assertEquals(RejectReason.THUMBNAIL_COLLISION, second.reason());
        assertTrue(second.detail().contains("a.png"), second.detail());
        assertEquals(List.of("a.png"), sink.requests.stream().map(r -> r.fileName()).toList());
        assertEquals("thumbnail_collision", json(OutputLayout.rejectionKey("a.jpg")).get("reason").asText());

        ObjectInfo changed = new ObjectInfo("a.png", 1000, "a-new-etag", null);
        assertEquals(Outcome.Status.INGESTED, pipeline(noExtension).process(changed).status(),
                "the owner keeps its thumbnail when it changes");
    }
}
