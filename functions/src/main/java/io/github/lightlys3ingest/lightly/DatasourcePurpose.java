package io.github.lightlys3ingest.lightly;

/** What Lightly uses a datasource for ({@code DatasourcePurpose} in the API). */
public enum DatasourcePurpose {
    /** Raw data only: Lightly reads the images. */
    INPUT,
    /** Lightly's own files (thumbnails, metadata, predictions) under {@code .lightly}: read and written. */
    LIGHTLY,
    /** Both at once. */
    INPUT_OUTPUT
}
