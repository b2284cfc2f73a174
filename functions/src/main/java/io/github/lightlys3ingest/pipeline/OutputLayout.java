package io.github.lightlys3ingest.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.storage.NoSuchObjectException;
import io.github.lightlys3ingest.storage.ObjectStore;
import io.github.lightlys3ingest.storage.ObjectTooLargeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Keys, relative to the output root, of what the ingester writes besides thumbnails. The record is the
 * memory of what was done: an object is done when its record (or rejection) names its current eTag.
 */
public final class OutputLayout {
    /** Folder every ingester-owned object lives under; objects below any {@code .lightly/} are never ingested. */
    public static final String LIGHTLY_FOLDER = ".lightly/";
    /** The ingester's own bookkeeping; thumbnails never go here. */
    public static final String INGEST = LIGHTLY_FOLDER + "ingest/";
    public static final String RECORDS = INGEST + "records/";
    public static final String REJECTED = INGEST + "rejected/";
    public static final String CLAIMS = INGEST + "claims/";
    public static final String REMOVED = INGEST + "removed/";
    /** Rejections of names the output cannot hold as they are, under a hash of the name. */
    public static final String REJECTED_HASHED = INGEST + "rejected-hashed/";
    /** Which file owns a thumbnail key, for thumb-suffix templates that let two names meet. */
    public static final String THUMBNAIL_OWNERS = INGEST + "thumbnail-owners/";

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
        } catch (NoSuchObjectException | ObjectTooLargeException | JsonProcessingException
                | IllegalArgumentException e) {
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

    /**
     * Where the rejection of a name goes when {@link #rejectionKey} cannot be stored: the SHA-256 of its UTF-8
     * bytes in hex. Its own folder, so no other name's rejection key can meet it.
     */
    public static String hashedRejectionKey(String fileName) {
        return REJECTED_HASHED + sha256(fileName) + ".json";
    }

    /**
     * Where the rejection of {@code fileName} lives in {@code output}: under the name itself where the output
     * can hold that key, else under the name's hash.
     */
    public static String rejectionKeyIn(ObjectStore output, String fileName) throws IOException {
        String own = rejectionKey(fileName);
        return output.cannotHold(own).isEmpty() ? own : hashedRejectionKey(fileName);
    }

    /** The marker of which file owns a thumbnail key. */
    public static String thumbnailOwnerKey(String thumbKey) {
        return THUMBNAIL_OWNERS + sha256(thumbKey) + ".json";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The claim of one version of an object: its eTag (and version id, where the bucket keeps versions). */
    public static String claimKey(String fileName, SourceRef source) {
        String version = source.versionId() == null ? "" : "~" + source.versionId();
        return CLAIMS + fileName + "@" + source.eTag() + version + ".json";
    }

    /**
     * The one rule for which names under the input root are input, for events, the backfill, the CLI's listing
     * and verify alike: not empty, not a folder marker (a key ending in {@code /}, as the S3 console creates)
     * and not inside a {@code .lightly/} folder at any depth (ingester output: ingesting it would loop).
     *
     * @param name a key relative to the input root
     */
    public static boolean isInputName(String name) {
        return !name.isEmpty() && !name.endsWith("/") && !isLightlyOwned(name);
    }

    /** True for keys inside a {@code .lightly/} folder at any depth: ingester output, never input. */
    private static boolean isLightlyOwned(String key) {
        return key.startsWith(LIGHTLY_FOLDER) || key.contains("/" + LIGHTLY_FOLDER);
    }
}
