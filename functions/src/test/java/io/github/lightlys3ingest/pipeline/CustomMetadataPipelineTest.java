package io.github.lightlys3ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.LightlyApiStub;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.lightly.RetryPolicy;
import io.github.lightlys3ingest.lightly.Sleeper;
import io.github.lightlys3ingest.metadata.CocoMetadata;
import io.github.lightlys3ingest.metadata.MetadataCollector;
import io.github.lightlys3ingest.storage.LocalObjectStore;
import io.github.lightlys3ingest.storage.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom metadata on a folder datasource, sent to the OpenAPI-validating Lightly stub: what reaches
 * {@code customMetaData}, how sidecars are told from images, and what a bad sidecar leaves in the record.
 */
class CustomMetadataPipelineTest {
    private static final String IMAGE = "farm-north/2024-06-01/cam3/cow.jpg";

    @TempDir
    Path tmp;
    Path in;
    LocalObjectStore input;
    LocalObjectStore output;
    LightlyApiStub stub = LightlyApiStub.start();

    @BeforeEach
    void folders() throws IOException {
        in = Files.createDirectories(tmp.resolve("in"));
        input = new LocalObjectStore(in);
        output = new LocalObjectStore(Files.createDirectories(tmp.resolve("out")));
    }

    @AfterEach
    void requestsMatchTheDocument() {
        try {
            assertEquals(List.of(), stub.validationErrors(), "requests outside openapi.json");
        } finally {
            stub.close();
        }
    }

    private IngestPipeline pipeline(Map<String, String> env) throws IOException {
        Map<String, String> values = new HashMap<>(env);
        values.put(EnvironmentVariable.INPUT_URI.key(), in.toString());
        values.put(EnvironmentVariable.OUTPUT_URI.key(), tmp.resolve("out").toString());
        IngestSettings settings = IngestSettings.parse(values::get);
        LightlyClient client = new LightlyClient(stub.settings(Duration.ofSeconds(5)), RetryPolicy.DEFAULT,
                Clock.systemUTC(), Sleeper.SYSTEM);
        CocoMetadata coco = settings.customMetadata().sidecarFile().isPresent()
                ? CocoMetadata.load(settings.customMetadata().sidecarFile().get(), () -> {
                    throw new AssertionError("no S3 here");
                })
                : CocoMetadata.NONE;
        return new IngestPipeline(input, output, client, new ImageAnalyzer(settings.analysisOptions()),
                settings.ingestOptions(), Clock.systemUTC(),
                new MetadataCollector(settings.customMetadata(), input, coco));
    }

    private ObjectInfo photo(String resource, String key) throws IOException {
        Path target = in.resolve(key);
        Files.createDirectories(target.getParent());
        try (InputStream s = getClass().getResourceAsStream("/images/" + resource)) {
            Files.copy(s, target);
        }
        return input.head(key).orElseThrow();
    }

    private ObjectInfo write(String key, String text) throws IOException {
        input.put(key, text.getBytes(StandardCharsets.UTF_8), null);
        return input.head(key).orElseThrow();
    }

    private JsonNode sent(String fileName) {
        return stub.samplesByFileName().get(fileName).request().path("customMetaData");
    }

    private JsonNode record(String fileName) throws IOException {
        return Json.MAPPER.readTree(output.read(OutputLayout.recordKey(fileName), 1 << 20));
    }

    private static JsonNode json(String text) throws IOException {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void keySegmentsSidecarAndExifArriveTypedInTheCreateRequest() throws IOException {
        ObjectInfo image = photo("Apple_iPhone_4.jpg", IMAGE);
        ObjectInfo sidecar = write(IMAGE + ".json", "{\"weather\":\"sunny\",\"cows\":3,\"annotated\":true}");
        IngestPipeline pipeline = pipeline(Map.of(EnvironmentVariable.CUSTOM_METADATA.key(), "key,sidecar,exif",
                EnvironmentVariable.KEY_PATTERN.key(), "{site}/{date:datetime}/cam{camera:int}/*"));

        assertEquals(Outcome.Status.INGESTED, pipeline.process(image).status());

        assertEquals(json("{\"path\":{\"site\":\"farm-north\",\"date\":\"2024-06-01\",\"camera\":3},"
                + "\"sidecar\":{\"weather\":\"sunny\",\"cows\":3,\"annotated\":true},"
                + "\"exif\":{\"make\":\"Apple\",\"model\":\"iPhone 4\",\"capturedAt\":\"2011-01-13T14:33:39\","
                + "\"gps\":{\"lat\":41.853,\"lon\":12.488833333333334}}}"), sent(IMAGE));
        JsonNode record = record(IMAGE);
        assertEquals(sent(IMAGE), record.path("sampleCreateRequest").path("customMetaData"));
        assertEquals(sidecar.eTag(), record.path("sidecar").path("eTag").asText());
        assertTrue(record.path("customMetaDataNotes").isMissingNode(), record.toString());

        Outcome again = pipeline.process(sidecar);
        assertEquals(Outcome.Status.SKIPPED, again.status());
        assertTrue(again.detail().contains("already applied"), again.detail());
        assertEquals(1, stub.samplesByFileName().size(), "the sidecar is no sample");
        assertFalse(Files.exists(tmp.resolve("out").resolve(OutputLayout.rejectionKey(IMAGE + ".json"))));
    }

    @Test
    void byDefaultOnlyTheExifFieldsAreSent() throws IOException {
        ObjectInfo image = photo("Kodak_DX4330.jpg", IMAGE);
        write(IMAGE + ".json", "{\"weather\":\"sunny\"}");

        pipeline(Map.of()).process(image);

        assertEquals(List.of("exif"), fieldNames(sent(IMAGE)));
        assertEquals("EASTMAN KODAK COMPANY", sent(IMAGE).path("exif").path("make").asText());
    }

    @Test
    void aBadSidecarLeavesANoteInTheRecordAndTheImageIsStillIngested() throws IOException {
        ObjectInfo image = photo("Kodak_DX4330.jpg", "a.jpg");
        write("a.jpg.json", "{\"weather\": sunny");
        ObjectInfo half = photo("Kodak_DX4330.jpg", "b.jpg");
        write("b.jpg.json", "{\"ok\":1,\"$bad\":2,\"huge\":1e999}");
        IngestPipeline pipeline = pipeline(Map.of(EnvironmentVariable.CUSTOM_METADATA.key(), "sidecar"));

        assertEquals(Outcome.Status.INGESTED, pipeline.process(image).status());
        assertEquals(Outcome.Status.INGESTED, pipeline.process(half).status());

        assertTrue(stub.samplesByFileName().get("a.jpg").request().path("customMetaData").isMissingNode(),
                "nothing usable, so no customMetaData at all");
        String notes = record("a.jpg").path("customMetaDataNotes").toString();
        assertTrue(notes.contains("sidecar a.jpg.json: not JSON"), notes);
        assertEquals(json("{\"sidecar\":{\"ok\":1}}"), sent("b.jpg"));
        String halfNotes = record("b.jpg").path("customMetaDataNotes").toString();
        assertTrue(halfNotes.contains("'$bad' starts with '$'") && halfNotes.contains("'huge' is out of range"),
                halfNotes);
    }

    @Test
    void aSidecarWrittenAfterItsImageUpdatesTheRecord() throws IOException {
        ObjectInfo image = photo("Kodak_DX4330.jpg", "a.jpg");
        IngestPipeline pipeline = pipeline(Map.of(EnvironmentVariable.CUSTOM_METADATA.key(), "sidecar"));
        ObjectInfo early = write("a.jpg.json", "{\"weather\":\"rain\"}");
        assertEquals(Outcome.Status.SKIPPED, pipeline.process(early).status(), "no record to update yet");
        pipeline.process(image);
        assertEquals(json("{\"sidecar\":{\"weather\":\"rain\"}}"), sent("a.jpg"));

        ObjectInfo changed = write("a.jpg.json", "{\"weather\":\"snow\",\"cows\":2}");
        Outcome outcome = pipeline.process(changed);

        assertEquals(Outcome.Status.INGESTED, outcome.status(), outcome.toString());
        JsonNode record = record("a.jpg");
        assertEquals(json("{\"sidecar\":{\"weather\":\"snow\",\"cows\":2}}"),
                record.path("sampleCreateRequest").path("customMetaData"));
        assertEquals(changed.eTag(), record.path("sidecar").path("eTag").asText());
        assertEquals(json("{\"sidecar\":{\"weather\":\"snow\",\"cows\":2}}"), sent("a.jpg"), "Lightly has it too");
        assertEquals(1, stub.requestCount(LightlyApiStub.UPDATE_SAMPLE));
        assertEquals(1, stub.samplesCreated(), "an update, not a new sample");
        assertEquals(Outcome.Status.SKIPPED, pipeline.process(changed).status(), "a repeated event changes nothing");

        input.delete("a.jpg.json");
        Outcome removed = pipeline.remove(new ObjectInfo("a.jpg.json", 0, null, null));

        assertEquals(Outcome.Status.INGESTED, removed.status(), removed.toString());
        assertTrue(sent("a.jpg").isEmpty(), "the sidecar's values are gone from Lightly: " + sent("a.jpg"));
        assertTrue(record("a.jpg").path("sidecar").isMissingNode());
        assertTrue(Files.exists(tmp.resolve("out").resolve(OutputLayout.recordKey("a.jpg"))), "the image stays");
    }

    @Test
    void sidecarsAreNeverIngestedOrRejectedEvenWhenTheSourceIsOff() throws IOException {
        photo("Kodak_DX4330.jpg", "a.jpg");
        ObjectInfo sidecar = write("a.jpg.json", "{\"weather\":\"rain\"}");
        ObjectInfo other = write("labels.json", "{}");

        Outcome outcome = pipeline(Map.of()).process(sidecar);

        assertEquals(Outcome.Status.SKIPPED, outcome.status());
        assertTrue(outcome.detail().contains("CUSTOM_METADATA does not include sidecar"), outcome.detail());
        assertFalse(Files.exists(tmp.resolve("out").resolve(OutputLayout.rejectionKey("a.jpg.json"))));
        assertEquals(Outcome.Status.REJECTED, pipeline(Map.of()).process(other).status(),
                "a JSON file that is no sidecar by name stays a non-image");
    }

    @Test
    void theCocoStyleFileFeedsTheSidecarSectionUnderPerImageSidecars() throws IOException {
        ObjectInfo a = photo("Kodak_DX4330.jpg", "farm/a.jpg");
        ObjectInfo b = photo("Kodak_DX4330.jpg", "farm/b.jpg");
        write("farm/b.jpg.json", "{\"weather\":\"override\"}");
        ObjectInfo coco = write("custom.json", "{\"images\":[{\"id\":1,\"file_name\":\"farm/a.jpg\"},"
                + "{\"id\":2,\"file_name\":\"farm/b.jpg\"}],\"metadata\":[{\"image_id\":1,\"weather\":\"rain\"},"
                + "{\"image_id\":2,\"weather\":\"fog\",\"cows\":4}]}");
        IngestPipeline pipeline = pipeline(Map.of(EnvironmentVariable.CUSTOM_METADATA.key(), "sidecar",
                EnvironmentVariable.SIDECAR_FILE.key(), in.resolve("custom.json").toString()));

        pipeline.process(a);
        pipeline.process(b);
        Outcome file = pipeline.process(coco);

        assertEquals(json("{\"sidecar\":{\"weather\":\"rain\"}}"), sent("farm/a.jpg"));
        assertEquals(json("{\"sidecar\":{\"weather\":\"override\",\"cows\":4}}"), sent("farm/b.jpg"));
        assertEquals(Outcome.Status.SKIPPED, file.status());
        assertTrue(file.detail().contains("SIDECAR_FILE"), file.detail());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
