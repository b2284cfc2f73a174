package io.github.lightlys3ingest.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** EXIF by standard names, cross-checked with what Pillow reads (golden-metadata.json), and robust to junk. */
class ExifDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> samplePhotos() throws IOException {
        List<String> names = new ArrayList<>();
        golden().fieldNames().forEachRemaining(name -> {
            if (name.startsWith("images/")) {
                names.add(name);
            }
        });
        return names.stream();
    }

    private static JsonNode golden() throws IOException {
        try (InputStream in = ExifDataTest.class.getResourceAsStream("/golden-metadata.json")) {
            return JSON.readTree(in);
        }
    }

    @ParameterizedTest
    @MethodSource("samplePhotos")
    void tagsMatchPillow(String photo) throws IOException {
        JsonNode expected = golden().get(photo).get("exif");

        Map<String, Object> exif = ExifData.read(Fixtures.bytes("/" + photo)).tags();

        expected.fieldNames().forEachRemaining(name -> {
            JsonNode value = expected.get(name);
            Object actual = exif.get(name);
            if (value.isTextual()) {
                assertEquals(value.asText(), actual, name);
            } else {
                assertEquals(value.asDouble(), assertInstanceOf(Number.class, actual, name).doubleValue(),
                        1e-9 * Math.abs(value.asDouble()), name);
            }
        });
        // every value is JSON: Jackson writes and reads the map back
        assertEquals(exif.size(), JSON.readTree(JSON.writeValueAsString(exif)).size());
        assertFalse(exif.containsKey("MakerNote"));
        assertFalse(exif.containsKey("ExifOffset"));
    }

    @Test
    void gpsIsDecimal() {
        Map<String, Object> iphone = ExifData.read(Fixtures.bytes("/images/Apple_iPhone_4.jpg")).tags();
        assertEquals(41.853, (Double) iphone.get("GPSLatitude"), 1e-9);
        assertEquals(12.488833333333334, (Double) iphone.get("GPSLongitude"), 1e-9);
        assertFalse(iphone.containsKey("GPSAltitude"), "the iPhone 4 sample records no altitude");
        Map<String, Object> flir = ExifData.read(Fixtures.bytes("/images/FLIR_Vue_Pro_640.jpg")).tags();
        assertEquals(0.0, (Double) flir.get("GPSAltitude"));
    }

    @Test
    void byteStringsBecomeText() {
        Map<String, Object> exif = ExifData.read(Fixtures.bytes("/images/Apple_iPhone_4.jpg")).tags();
        assertEquals("0221", exif.get("ExifVersion"));
    }

    @Test
    void garbageExifLeavesTheImageAcceptedAndUpright() {
        Analysis analysis = new ImageAnalyzer(AnalysisOptions.defaults())
                .analyze(Fixtures.bytes("/images-edge/garbage_exif.jpg"), "garbage_exif.jpg");

        Analysis.Accepted accepted = assertInstanceOf(Analysis.Accepted.class, analysis);
        assertEquals(1, accepted.orientation());
        accepted.exif().values().forEach(v -> assertTrue(v instanceof String || v instanceof Number
                || v instanceof List, String.valueOf(v)));
    }

    @Test
    void nonImagesHaveNoExif() {
        ExifData none = ExifData.read("plain text".getBytes());
        assertTrue(none.tags().isEmpty());
        assertEquals(1, none.orientation());
    }
}
