package io.github.lightlys3ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lightlys3ingest.contract.UploadMode;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngestSettingsTest {
    private static IngestSettings parse(Map<String, String> env) {
        return IngestSettings.parse(env::get);
    }

    @Test
    void defaultsMatchLightlysUploader() {
        IngestSettings s = parse(Map.of("INPUT_URI", "s3://datalake/projects/farm-animals",
                "OUTPUT_URI", "s3://datalake/lightly/farm-animals/"));
        assertEquals("projects/farm-animals/", s.input().prefix());
        assertEquals(UploadMode.THUMBNAILS, s.uploadMode());
        assertEquals(128, s.thumbSize());
        assertEquals(178_956_970L, s.maxPixels());
        assertEquals(Optional.empty(), s.datasetId());
        assertEquals("https://api.lightly.ai", s.serverLocation());
    }

    @Test
    void everyBadVariableIsNamedInOneMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(
                "OUTPUT_URI", "s3://out/x/", "UPLOAD_MODE", "videos", "THUMB_SIZE", "-3",
                "LIGHTLY_DATASET_ID", "not-an-id")));
        String m = e.getMessage();
        assertTrue(m.contains("INPUT_URI is required"), m);
        assertTrue(m.contains("UPLOAD_MODE='videos'"), m);
        assertTrue(m.contains("THUMB_SIZE='-3'"), m);
        assertTrue(m.contains("LIGHTLY_DATASET_ID='not-an-id'"), m);
    }

    @Test
    void outputInsideInputIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(
                "INPUT_URI", "s3://datalake/projects/", "OUTPUT_URI", "s3://datalake/projects/lightly/")));
        assertTrue(e.getMessage().contains("must not contain each other"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse(Map.of(
                "INPUT_URI", "/data/in/sub", "OUTPUT_URI", "/data/in")));
    }

    @Test
    void inputFileNameSkipsOutsidePrefixOutputRootAndLightlyFolders() {
        IngestSettings s = parse(Map.of("INPUT_URI", "s3://datalake/projects/farm/",
                "OUTPUT_URI", "s3://datalake/lightly/farm/"));
        assertEquals(Optional.of("cows/a.jpg"), s.inputFileName("datalake", "projects/farm/cows/a.jpg"));
        assertEquals(Optional.empty(), s.inputFileName("other", "projects/farm/cows/a.jpg"));
        assertEquals(Optional.empty(), s.inputFileName("datalake", "projects/farmhouse/a.jpg"));
        assertEquals(Optional.empty(), s.inputFileName("datalake", "lightly/farm/.lightly/thumbnails/a_thumb.jpg"));
        assertEquals(Optional.empty(), s.inputFileName("datalake", "projects/farm/.lightly/thumbnails/a_thumb.jpg"));
        assertEquals(Optional.empty(), s.inputFileName("datalake", "projects/farm/cows/.lightly/x.jpg"));
        assertEquals(Optional.empty(), s.inputFileName("datalake", "projects/farm/cows/"));
    }
}
