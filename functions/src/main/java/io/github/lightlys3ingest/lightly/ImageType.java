package io.github.lightlys3ingest.lightly;

import io.github.lightlys3ingest.contract.UploadMode;

/** What Lightly shows for the samples, set with the dataset's initial tag ({@code ImageType} in the API). */
public enum ImageType {
    /** Thumbnails were written to the LIGHTLY datasource ({@code thumbnails} upload mode). */
    THUMBNAIL("thumbnail"),
    /** Only metadata was sent; Lightly loads the full images ({@code metadata} upload mode). */
    META("meta");

    private final String apiValue;

    ImageType(String apiValue) {
        this.apiValue = apiValue;
    }

    /** What Lightly shows for samples sent in {@code mode}. */
    public static ImageType of(UploadMode mode) {
        return mode == UploadMode.THUMBNAILS ? THUMBNAIL : META;
    }

    /** The value the API expects. */
    public String apiValue() {
        return apiValue;
    }
}
