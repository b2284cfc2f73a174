package io.github.lightlys3ingest.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.storage.NoSuchObjectException;
import io.github.lightlys3ingest.storage.ObjectStore;
import io.github.lightlys3ingest.storage.ObjectTooLargeException;
import java.io.IOException;
import java.util.Optional;

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
    public static final String REMOVED = LIGHTLY_FOLDER + "ingest/removed/";

    private static final long MAX_RECORD_BYTES = 16L * 1024 * 1024;

    private OutputLayout() {
    }

    /**
     * The {@code source} a record or rejection names, or empty when there is none. An unreadable one counts
     * as absent: the object is then ingested again and the record rewritten.
     *
     * @param key record or rejection key relative to the output root
     */
    public static Optional<SourceRef> recordedSource(ObjectStore output, String key) throws IOException {
        try {
            var source = Json.MAPPER.readTree(output.read(key, MAX_RECORD_BYTES)).get("source");
            return Optional.ofNullable(source).map(node -> Json.MAPPER.convertValue(node, SourceRef.class));
        } catch (NoSuchObjectException | ObjectTooLargeException | JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * What the record or rejection under {@code key} says about its object and sample, or empty when there
     * is none; an unreadable one counts as absent, as in {@link #recordedSource}.
     */
    public static Optional<Recorded> recorded(ObjectStore output, String key) throws IOException {
        return read(output, key, Recorded.class).filter(recorded -> recorded.source() != null);
    }

    /** The record of an object, or empty when there is none or it cannot be read. */
    public static Optional<IngestRecord> record(ObjectStore output, String fileName) throws IOException {
        return read(output, recordKey(fileName), IngestRecord.class);
    }

    /** The removal note of an object, or empty when there is none or it cannot be read. */
    public static Optional<RemovalNote> removalNote(ObjectStore output, String fileName) throws IOException {
        return read(output, removalKey(fileName), RemovalNote.class);
    }

    private static <T> Optional<T> read(ObjectStore output, String key, Class<T> type) throws IOException {
        try {
            return Optional.of(Json.MAPPER.readValue(output.read(key, MAX_RECORD_BYTES), type));
        } catch (NoSuchObjectException | ObjectTooLargeException | JsonProcessingException
                 | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static String recordKey(String fileName) {
        return RECORDS + fileName + ".json";
    }

    public static String rejectionKey(String fileName) {
        return REJECTED + fileName + ".json";
    }

    /** Where the removal of an object is noted: the sample it had, for a later re-creation to reuse. */
    public static String removalKey(String fileName) {
        return REMOVED + fileName + ".json";
    }

    /** The claim of one version of an object: its eTag (and version id, where the bucket keeps versions). */
    public static String claimKey(String fileName, SourceRef source) {
        String version = source.versionId() == null ? "" : "~" + source.versionId();
        return CLAIMS + fileName + "@" + source.eTag() + version + ".json";
    }

    /** True for keys inside a {@code .lightly/} folder at any depth: ingester output, never input. */
    public static boolean isLightlyOwned(String key) {
        return key.startsWith(LIGHTLY_FOLDER) || key.contains("/" + LIGHTLY_FOLDER);
    }
}
