package io.github.lightlys3ingest.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExifFieldsTest {

    @Test
    void makeModelCaptureTimeAndGpsBecomeFlatTypedFields() {
        Map<String, Object> exif = new LinkedHashMap<>();
        exif.put("Make", "Apple ");
        exif.put("Model", "iPhone 4");
        exif.put("DateTime", "2011:01:13 14:40:00");
        exif.put("DateTimeOriginal", "2011:01:13 14:33:39");
        exif.put("OffsetTimeOriginal", "+01:00");
        exif.put("GPSLatitude", 41.853);
        exif.put("GPSLongitude", 12.488833333333334);
        exif.put("GPSAltitude", -3.5);
        exif.put("FNumber", 2.8);
        Map<String, Object> gps = new LinkedHashMap<>();
        gps.put("lat", 41.853);
        gps.put("lon", 12.488833333333334);
        gps.put("alt", -3.5);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("make", "Apple");
        expected.put("model", "iPhone 4");
        expected.put("capturedAt", "2011-01-13T14:33:39+01:00");
        expected.put("gps", gps);
        assertEquals(expected, ExifFields.of(exif));
    }

    @Test
    void unsetClocksAndHalfGpsAreLeftOut() {
        assertEquals(Map.of(), ExifFields.of(Map.of("DateTimeOriginal", "0000:00:00 00:00:00", "GPSLatitude", 41.0)));
        assertEquals(Map.of("capturedAt", "2000-07-12T14:33:42"),
                ExifFields.of(Map.of("DateTimeOriginal", "garbage", "DateTime", "2000:07:12 14:33:42")));
    }
}
