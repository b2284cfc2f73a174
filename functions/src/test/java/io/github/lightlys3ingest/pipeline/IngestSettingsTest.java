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

    @Test
    void customMetadataDefaultsToExifAndTakesAListOfSources() {
        Map<String, String> roots = Map.of("INPUT_URI", "s3://datalake/in/", "OUTPUT_URI", "s3://datalake/out/");
        assertEquals("exif", parse(roots).customMetadata().sourceList());
        Map<String, String> all = new java.util.HashMap<>(roots);
        all.put("CUSTOM_METADATA", " Exif, key,sidecar ,tags,user");
        all.put("KEY_PATTERN", "{site}/*");
        all.put("SIDECAR_FILE", "s3://meta/custom.json");
        IngestSettings s = parse(all);
        assertEquals("key,user,tags,sidecar,exif", s.customMetadata().sourceList());
        assertEquals("{site}/*", s.customMetadata().keyPattern().orElseThrow().text());
        assertEquals(Optional.of("s3://meta/custom.json"), s.customMetadata().sidecarFile());
        all.put("CUSTOM_METADATA", "none");
        all.remove("KEY_PATTERN");
        all.remove("SIDECAR_FILE");
        assertEquals("none", parse(all).customMetadata().sourceList());
    }

    @Test
    void customMetadataMistakesNameTheirVariables() {
        String unknown = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(
                "INPUT_URI", "s3://datalake/in/",
                "OUTPUT_URI", "s3://datalake/out/", "CUSTOM_METADATA", "exif,gps"))).getMessage();
        assertTrue(unknown.contains("CUSTOM_METADATA='exif,gps': unknown source 'gps'"), unknown);
        String missing = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(
                "INPUT_URI", "s3://datalake/in/",
                "OUTPUT_URI", "s3://datalake/out/", "CUSTOM_METADATA", "key", "SIDECAR_FILE", "c.json"))).getMessage();
        assertTrue(missing.contains("CUSTOM_METADATA includes key but KEY_PATTERN is not set"), missing);
        assertTrue(missing.contains("SIDECAR_FILE is set but CUSTOM_METADATA does not include sidecar"), missing);
        String pattern = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(
                "INPUT_URI", "s3://datalake/in/",
                "OUTPUT_URI", "s3://datalake/out/", "CUSTOM_METADATA", "key", "KEY_PATTERN", "{a}{b}/*"))).getMessage();
        assertTrue(pattern.startsWith("KEY_PATTERN='{a}{b}/*':") && !pattern.contains("is not set"), pattern);
    }
}
