package io.github.lightlys3ingest.pipeline;

/**
 * Keys, relative to the output root, of what the ingester writes besides thumbnails. The record is the
 * memory of what was done: an object is done when its record (or rejection) names its current eTag.
 */
public final class OutputLayout {
    /** Folder every ingester-owned object lives under; objects below any {@code .lightly/} are never ingested. */
    public static final String LIGHTLY_FOLDER = ".lightly/";
    public static final String RECORDS = LIGHTLY_FOLDER + "ingest/records/";
    public static final String REJECTED = LIGHTLY_FOLDER + "ingest/rejected/";
    public static final String CLAIMS = LIGHTLY_FOLDER + "ingest/claims/";

    private OutputLayout() {
    }

    public static String recordKey(String fileName) {
        return RECORDS + fileName + ".json";
    }

    public static String rejectionKey(String fileName) {
        return REJECTED + fileName + ".json";
    }

    public static String claimKey(String fileName) {
        return CLAIMS + fileName + ".json";
    }

    /** True for keys inside a {@code .lightly/} folder at any depth: ingester output, never input. */
    public static boolean isLightlyOwned(String key) {
        return key.startsWith(LIGHTLY_FOLDER) || key.contains("/" + LIGHTLY_FOLDER);
    }
}
