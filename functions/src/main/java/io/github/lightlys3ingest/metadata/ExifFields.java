package io.github.lightlys3ingest.metadata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The EXIF fields worth filtering by, flat and typed, from the EXIF map the analysis already produced:
 * {@code make}, {@code model} (text), {@code capturedAt} (ISO-8601 local date-time, with the offset when the
 * camera recorded one) and {@code gps} {@code {lat, lon, alt}} (decimal degrees, metres). Absent or
 * unreadable tags are left out.
 */
public final class ExifFields {
    /** The fields {@code configure-lightly} registers for the {@code exif} source, under section {@code exif}. */
    public static final List<MetadataField> FIELDS = List.of(
            new MetadataField("make", FieldType.CATEGORICAL_STRING),
            new MetadataField("model", FieldType.CATEGORICAL_STRING),
            new MetadataField("capturedAt", FieldType.CATEGORICAL_DATETIME),
            new MetadataField("gps.lat", FieldType.NUMERIC_FLOAT),
            new MetadataField("gps.lon", FieldType.NUMERIC_FLOAT),
            new MetadataField("gps.alt", FieldType.NUMERIC_FLOAT));

    private static final Pattern EXIF_TIME =
            Pattern.compile("(\\d{4}):(\\d{2}):(\\d{2})[ T](\\d{2}):(\\d{2}):(\\d{2})");
    private static final Pattern OFFSET = Pattern.compile("[+-]\\d{2}:\\d{2}");

    private ExifFields() {
    }

    /** The flat fields of an EXIF map as the analysis returns it (tag name to value). */
    public static Map<String, Object> of(Map<String, Object> exif) {
        Map<String, Object> fields = new LinkedHashMap<>();
        text(exif.get("Make")).ifPresent(make -> fields.put("make", make));
        text(exif.get("Model")).ifPresent(model -> fields.put("model", model));
        String time = captureTime(exif.get("DateTimeOriginal"), exif.get("OffsetTimeOriginal"));
        if (time == null) {
            time = captureTime(exif.get("DateTime"), exif.get("OffsetTime"));
        }
        if (time != null) {
            fields.put("capturedAt", time);
        }
        Map<String, Object> gps = new LinkedHashMap<>();
        number(exif.get("GPSLatitude"), 90).ifPresent(lat -> gps.put("lat", lat));
        number(exif.get("GPSLongitude"), 180).ifPresent(lon -> gps.put("lon", lon));
        if (gps.size() == 2) {
            number(exif.get("GPSAltitude"), 100_000).ifPresent(alt -> gps.put("alt", alt));
            fields.put("gps", gps);
        }
        return fields;
    }

    /** {@code 2011:01:13 14:33:39} as {@code 2011-01-13T14:33:39}, or null when it is no valid time. */
    private static String captureTime(Object value, Object offset) {
        if (!(value instanceof String text)) {
            return null;
        }
        Matcher matcher = EXIF_TIME.matcher(text.trim());
        if (!matcher.matches()) {
            return null;
        }
        String iso = matcher.group(1) + "-" + matcher.group(2) + "-" + matcher.group(3) + "T" + matcher.group(4)
                + ":" + matcher.group(5) + ":" + matcher.group(6);
        if (offset instanceof String zone && OFFSET.matcher(zone.trim()).matches()) {
            iso += zone.trim();
        }
        // cameras without a set clock write 0000:00:00 00:00:00
        return FieldType.isDateTime(iso) ? iso : null;
    }

    private static Optional<String> text(Object value) {
        return value instanceof String text && !text.isBlank()
                ? Optional.of(text.trim()) : Optional.empty();
    }

    private static Optional<Double> number(Object value, double limit) {
        if (value instanceof Number number) {
            double d = number.doubleValue();
            if (Double.isFinite(d) && Math.abs(d) <= limit) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
