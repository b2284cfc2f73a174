package io.github.lightlys3ingest.contract;

import java.util.Locale;

/** What the ingestion sends to Lightly besides the sample record, as Lightly's uploader named it. */
public enum UploadMode {
    /** Metadata plus a thumbnail in the output datasource. */
    THUMBNAILS,
    /** Metadata only: no thumbnail; Lightly shows the full image. */
    METADATA;

    /** The mode when none is configured. */
    public static final UploadMode DEFAULT = THUMBNAILS;

    /**
     * Parses {@link #code()}, case-insensitively.
     *
     * @throws IllegalArgumentException naming the two valid values
     */
    public static UploadMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("upload mode must be 'thumbnails' or 'metadata', not '" + text + "'");
        }
    }

    /** The value in configuration, environment and stack outputs: {@code thumbnails} or {@code metadata}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
