package io.github.lightlys3ingest.pipeline;

import java.util.Locale;

/** What the ingester sends to Lightly, as Lightly's uploader named it. */
public enum UploadMode {
    /** Metadata plus a thumbnail in the output datasource. */
    THUMBNAILS,
    /** Metadata only: no thumbnail; Lightly shows the full image. */
    METADATA;

    /** Parses {@code thumbnails} or {@code metadata}, case-insensitively. */
    public static UploadMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("upload mode must be 'thumbnails' or 'metadata', not '" + text + "'");
        }
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
