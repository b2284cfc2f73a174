package io.github.lightlys3ingest.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.lang.GeoLocation;
import com.drew.lang.Rational;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.StringValue;
import com.drew.metadata.Tag;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The EXIF tags Lightly stores with a sample, keyed by their standard names (as Pillow names them),
 * with values Jackson can serialise: numbers (rationals as doubles), trimmed text, lists of numbers.
 * Damaged EXIF never fails an image: whatever cannot be read is left out.
 *
 * @param tags        IFD0 and Exif sub-IFD tags, plus GPSLatitude/GPSLongitude/GPSAltitude in decimal form
 * @param orientation EXIF orientation 1..8; 1 when absent or invalid
 * @param cameraRaw   true when the TIFF structure is a camera RAW file (DNG, or a reduced-resolution first image)
 */
record ExifData(Map<String, Object> tags, int orientation, boolean cameraRaw) {

    private static final ExifData NONE = new ExifData(Map.of(), 1, false);
    private static final Map<Integer, String> NAMES = loadNames();
    /** Pointers, image-structure offsets and binary blobs: meaningless or huge outside the file. */
    private static final Set<Integer> SKIPPED = Set.of(
            0x8769 /* ExifOffset */, 0x8825 /* GPSInfo */, 0xA005 /* InteroperabilityOffset */,
            0x927C /* MakerNote */, 0x0111 /* StripOffsets */, 0x0117 /* StripByteCounts */,
            0x0144 /* TileOffsets */, 0x0145 /* TileByteCounts */, 0x0201 /* JPEGInterchangeFormat */,
            0x0202 /* JPEGInterchangeFormatLength */, 0xC4A5 /* PrintImageMatching */, 0x02BC /* XMLPacket */,
            0x83BB /* IPTC */, 0x8649 /* ImageResources */, 0x8773 /* InterColorProfile */, 0xEA1C /* Padding */,
            0x0106 /* PhotometricInterpretation: structure */, 0x0103 /* Compression: structure */,
            0x014A /* SubIFDs */, 0x0118 /* MinSampleValue */, 0x0119 /* MaxSampleValue */);
    private static final int MAX_BLOB = 256;
    private static final int MAX_LIST = 64;
    private static final int DNG_VERSION = 0xC612;
    private static final int NEW_SUBFILE_TYPE = 0x00FE;

    /** Reads the EXIF of any supported container (JPEG APP1, TIFF, PNG eXIf, WebP EXIF). Never throws. */
    static ExifData read(byte[] bytes) {
        Metadata metadata;
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            metadata = ImageMetadataReader.readMetadata(in, bytes.length);
        } catch (Exception | StackOverflowError e) {
            return NONE;
        }
        Map<String, Object> tags = new LinkedHashMap<>();
        int orientation = 1;
        boolean raw = false;
        ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        if (ifd0 != null) {
            addTags(ifd0, tags);
            orientation = orientation(ifd0);
            Integer subfileType = safeInteger(ifd0, NEW_SUBFILE_TYPE);
            raw = ifd0.containsTag(DNG_VERSION) || (subfileType != null && (subfileType & 1) == 1);
        }
        for (ExifSubIFDDirectory sub : metadata.getDirectoriesOfType(ExifSubIFDDirectory.class)) {
            addTags(sub, tags);
        }
        GpsDirectory gps = metadata.getFirstDirectoryOfType(GpsDirectory.class);
        if (gps != null) {
            addGps(gps, tags);
        }
        return new ExifData(Collections.unmodifiableMap(tags), orientation, raw);
    }

    private static int orientation(ExifIFD0Directory ifd0) {
        Integer value = safeInteger(ifd0, ExifDirectoryBase.TAG_ORIENTATION);
        return value != null && value >= 1 && value <= 8 ? value : 1;
    }

    private static Integer safeInteger(Directory directory, int tag) {
        try {
            return directory.getInteger(tag);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void addTags(Directory directory, Map<String, Object> tags) {
        for (Tag tag : directory.getTags()) {
            int type = tag.getTagType();
            String name = NAMES.get(type);
            if (name == null || SKIPPED.contains(type) || tags.containsKey(name)) {
                continue;
            }
            try {
                Object value = type == ExifDirectoryBase.TAG_USER_COMMENT
                        ? text(directory.getDescription(type))
                        : jsonValue(directory.getObject(type));
                if (value != null) {
                    tags.put(name, value);
                }
            } catch (RuntimeException e) {
                // a damaged tag is dropped; the others stay
            }
        }
    }

    private static void addGps(GpsDirectory gps, Map<String, Object> tags) {
        try {
            GeoLocation location = gps.getGeoLocation();
            if (location != null && Double.isFinite(location.getLatitude())
                    && Double.isFinite(location.getLongitude())) {
                tags.put("GPSLatitude", location.getLatitude());
                tags.put("GPSLongitude", location.getLongitude());
            }
            Rational altitude = gps.getRational(GpsDirectory.TAG_ALTITUDE);
            if (altitude != null && altitude.getDenominator() != 0) {
                Integer ref = gps.getInteger(GpsDirectory.TAG_ALTITUDE_REF);
                double metres = altitude.doubleValue();
                tags.put("GPSAltitude", ref != null && ref == 1 ? -metres : metres);
            }
        } catch (RuntimeException e) {
            // damaged GPS data is left out
        }
    }

    /** Converts metadata-extractor's value types to JSON-friendly ones; null means "leave the tag out". */
    static Object jsonValue(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Rational r) {
            return r.getDenominator() == 0 ? null : r.doubleValue();
        }
        if (value instanceof StringValue s) {
            return text(s.getBytes());
        }
        if (value instanceof String s) {
            return text(s);
        }
        if (value instanceof byte[] b) {
            return b.length > MAX_BLOB ? null : text(b);
        }
        if (value instanceof Double d) {
            return Double.isFinite(d) ? d : null;
        }
        if (value instanceof Float f) {
            return Float.isFinite(f) ? (double) f : null;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value.getClass().isArray()) {
            return list(value);
        }
        return null;
    }

    private static Object list(Object array) {
        int length = Array.getLength(array);
        if (length == 0 || length > MAX_LIST) {
            return null;
        }
        List<Object> items = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            Object item = jsonValue(Array.get(array, i));
            if (item == null) {
                return null;
            }
            items.add(item);
        }
        return length == 1 ? items.get(0) : List.copyOf(items);
    }

    /** UTF-8 when the bytes are valid UTF-8, else ISO-8859-1 (older cameras); binary content is left out. */
    private static String text(byte[] bytes) {
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            decoded = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return text(decoded);
    }

    private static String text(String s) {
        if (s == null) {
            return null;
        }
        String trimmed = s.replace("\0", "").trim();
        if (trimmed.isEmpty()) {
            return null;
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return null;
            }
        }
        return trimmed;
    }

    private static Map<Integer, String> loadNames() {
        Properties properties = new Properties();
        try (InputStream in = ExifData.class.getResourceAsStream("exif-tag-names.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Integer, String> names = new LinkedHashMap<>();
        properties.forEach((id, name) -> names.put(Integer.valueOf((String) id), (String) name));
        return Map.copyOf(names);
    }
}
