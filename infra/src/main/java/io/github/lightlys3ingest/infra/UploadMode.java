package io.github.lightlys3ingest.infra;

import java.util.Locale;

/** What the ingestion sends to Lightly besides the sample record: a thumbnail, or metadata only. */
public enum UploadMode {
    THUMBNAILS,
    METADATA;

    /** The value of the {@code UPLOAD_MODE} environment variable the functions read. */
    public String environmentValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
