package io.github.lightlys3ingest.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.lightly.LightlyApiStub;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import io.github.lightlys3ingest.pipeline.Ingestion;
import io.github.lightlys3ingest.storage.LocalObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TagHandlerTest {
    @TempDir
    Path tmp;

    private Ingestion ingestion(LightlyApiStub lightly, String uploadMode, boolean withDataset) {
        Map<String, String> env = new HashMap<>(Map.of(
                EnvironmentVariable.INPUT_URI.key(), tmp.resolve("in").toString(),
                EnvironmentVariable.OUTPUT_URI.key(), tmp.resolve("out").toString(),
                EnvironmentVariable.UPLOAD_MODE.key(), uploadMode));
        IngestSettings settings = IngestSettings.parse(env::get);
        Optional<LightlyClient> client = withDataset
                ? Optional.of(new LightlyClient(lightly.settings(Duration.ofSeconds(5))))
                : Optional.empty();
        return new Ingestion(settings, new LocalObjectStore(tmp), new LocalObjectStore(tmp), client,
                new ImageAnalyzer(settings.analysisOptions()), Clock.systemUTC());
    }

    @Test
    void firstRunCreatesTheInitialTagThenUpsizesOnlyWhenSamplesWereAdded() throws Exception {
        try (LightlyApiStub lightly = LightlyApiStub.start()) {
            lightly.addSample("a.jpg");
            TagHandler handler = new TagHandler(ingestion(lightly, "metadata", true));

            Map<String, Object> first = handler.handleRequest(Map.of(), new TestContext());
            assertEquals("initial", first.get("action"));
            assertEquals("meta", new LightlyClient(lightly.settings(Duration.ofSeconds(5))).getDataset().imgType(),
                    "metadata mode creates the initial tag with image type meta");

            assertEquals("none", handler.handleRequest(Map.of(), new TestContext()).get("action"));

            lightly.addSample("b.jpg");
            Map<String, Object> third = handler.handleRequest(Map.of(), new TestContext());
            assertEquals("upsize", third.get("action"));
            assertTrue(((String) third.get("tag")).matches("\\d{8}_\\d{2}h\\d{2}m\\d{2}s"), third.toString());
            assertEquals(List.of(), lightly.validationErrors());
        }
    }

    @Test
    void tagStepWithoutADatasetIsAConfigurationError() {
        try (LightlyApiStub lightly = LightlyApiStub.start()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TagHandler(ingestion(lightly, "thumbnails", false)));
            assertTrue(e.getMessage().contains("LIGHTLY_DATASET_ID"), e.getMessage());
        }
    }
}
