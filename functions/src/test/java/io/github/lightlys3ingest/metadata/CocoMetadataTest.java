package io.github.lightlys3ingest.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lightlys3ingest.storage.DatasourceUri;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CocoMetadataTest {

    private static CocoMetadata parse(String json) {
        return CocoMetadata.parse(json.getBytes(StandardCharsets.UTF_8), "s3://meta/custom.json");
    }

    @Test
    void entriesAreFoundByFileNameWithoutTheirImageId() {
        CocoMetadata coco = parse("{\"images\":[{\"id\":1,\"file_name\":\"farm/a.jpg\"},"
                + "{\"id\":\"2\",\"file_name\":\"b.jpg\"}],"
                + "\"metadata\":[{\"image_id\":1,\"weather\":\"rain\",\"cows\":2},{\"image_id\":\"2\",\"a.b\":1}]}");
        assertEquals(Map.of("weather", "rain", "cows", 2L), coco.forFile("farm/a.jpg").orElseThrow().values());
        assertTrue(coco.forFile("b.jpg").orElseThrow().notes().get(0).contains("'a.b' contains '.'"));
        assertEquals(Optional.empty(), coco.forFile("c.jpg"));
    }

    @Test
    void aFileThatIsNotCocoStyleIsAConfigurationErrorNamingWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("{\"images\":[]}")).getMessage()
                .contains("\"metadata\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("not json")).getMessage()
                .contains("is not JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(
                "{\"images\":[{\"id\":1,\"file_name\":\"a.jpg\"}],\"metadata\":[{\"image_id\":9}]}"))
                .getMessage().contains("image_id 9"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(
                "{\"images\":[{\"id\":1,\"file_name\":\"a.jpg\"},{\"id\":1,\"file_name\":\"b.jpg\"}],\"metadata\":[]}"))
                .getMessage().contains("repeats id 1"));
    }

    @Test
    void theFileIsRecognisedInsideTheInputRootOnly() {
        CocoMetadata coco = parse("{\"images\":[],\"metadata\":[]}");
        assertEquals(Optional.of("custom.json"), coco.keyUnder(DatasourceUri.parse("s3://meta/")));
        assertEquals(Optional.empty(), coco.keyUnder(DatasourceUri.parse("s3://meta/images/")));
        assertEquals(Optional.empty(), CocoMetadata.NONE.keyUnder(DatasourceUri.parse("s3://meta/")));
    }
}
