package io.github.lightlys3ingest.metadata;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where custom metadata comes from; each source fills one top-level section of a sample's
 * {@code customMetaData} (see docs/custom-metadata.md).
 */
public enum MetadataSource {
    /** Named segments of the object key ({@code KEY_PATTERN}): section {@code path}. */
    KEY("key", "path"),
    /** S3 user metadata ({@code x-amz-meta-*}) from the GetObject response already made: section {@code user}. */
    USER("user", "user"),
    /** S3 object tags, one GetObjectTagging request per object: section {@code tags}. */
    TAGS("tags", "tags"),
    /** {@code <image>.json} beside the image, and the COCO-style {@code SIDECAR_FILE}: section {@code sidecar}. */
    SIDECAR("sidecar", "sidecar"),
    /** Camera make and model, capture time and GPS from the image's EXIF: section {@code exif}. */
    EXIF("exif", "exif");

    private final String code;
    private final String section;

    MetadataSource(String code, String section) {
        this.code = code;
        this.section = section;
    }

    /** The name used in {@code CUSTOM_METADATA} and {@code --custom-metadata}. */
    public String code() {
        return code;
    }

    /** The top-level key of {@code customMetaData} this source fills. */
    public String section() {
        return section;
    }

    /**
     * Parses a comma list such as {@code key,user,exif}; {@code none} (or an empty list) means no source.
     *
     * @throws IllegalArgumentException naming the unknown entry and the allowed ones
     */
    public static Set<MetadataSource> parseList(String text) {
        Set<MetadataSource> sources = EnumSet.noneOf(MetadataSource.class);
        for (String part : text.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.equals("none")) {
                continue;
            }
            sources.add(parse(name));
        }
        return sources;
    }

    private static MetadataSource parse(String name) {
        for (MetadataSource source : values()) {
            if (source.code.equals(name)) {
                return source;
            }
        }
        throw new IllegalArgumentException("unknown source '" + name + "'; use a comma list of key, user, tags, "
                + "sidecar, exif (or none)");
    }
}
