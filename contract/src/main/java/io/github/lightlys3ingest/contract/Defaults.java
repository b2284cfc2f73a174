package io.github.lightlys3ingest.contract;

/** Defaults the stack and the functions both apply, so an unset value means the same on either side. */
public final class Defaults {
    /** Lightly's public API. */
    public static final String SERVER_LOCATION = "https://api.lightly.ai";
    /** Lightly's thumb-suffix template, relative to the output root. */
    public static final String THUMB_SUFFIX = ".lightly/thumbnails/[filename]_thumb.[extension]";
    /** Box the thumbnail fits in, in pixels, as Lightly's uploader. */
    public static final int THUMB_SIZE = 128;
    /** Objects above 256 MiB are rejected before they are read. */
    public static final long MAX_OBJECT_BYTES = 256L * 1024 * 1024;
    /**
     * Seconds one Lightly JSON call may take. Lightly's own client waited 180 s, which made one hung connection
     * cost an object up to 18 minutes over its retries.
     */
    public static final int LIGHTLY_REQUEST_TIMEOUT_SECONDS = 30;
    /** Where {@code mvn package} writes the shaded functions jar, relative to the repository root. */
    public static final String FUNCTIONS_JAR = "functions/target/lightly-s3-ingest.jar";

    private Defaults() {
    }
}
