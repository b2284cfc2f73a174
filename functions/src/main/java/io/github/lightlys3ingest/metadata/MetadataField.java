package io.github.lightlys3ingest.metadata;

/**
 * One custom metadata field as Lightly's configuration names it.
 *
 * @param path dot path inside {@code customMetaData}, e.g. {@code path.site} or {@code exif.gps.lat}
 * @param type how Lightly interprets the values
 */
public record MetadataField(String path, FieldType type) {

    /**
     * Parses {@code path:TYPE} as given to {@code configure-lightly --field}.
     *
     * @throws IllegalArgumentException for a missing type, an empty path segment or an unknown type
     */
    public static MetadataField parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("field '" + text + "' must be PATH:TYPE, e.g. sidecar.weather:string");
        }
        String path = text.substring(0, colon).trim();
        for (String segment : path.split("\\.", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("field '" + text + "': the path has an empty segment");
            }
        }
        return new MetadataField(path, FieldType.parse(text.substring(colon + 1)));
    }
}
