package io.github.lightlys3ingest.metadata;

import io.github.lightlys3ingest.storage.IoFutures;
import io.github.lightlys3ingest.storage.NoSuchObjectException;
import io.github.lightlys3ingest.storage.ObjectContent;
import io.github.lightlys3ingest.storage.ObjectStore;
import io.github.lightlys3ingest.storage.ObjectTooLargeException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Builds one image's {@code customMetaData} from the sources switched on. Requests per image: none for
 * {@code key}, {@code user} (the GetObject response already read) and {@code exif}; one GetObjectTagging for
 * {@code tags}; for {@code sidecar} one GetObject of {@code <image>.json} (a 404 when there is none, billed as
 * a GET), plus the pipeline's second look after the record is written ({@link #currentSidecarETag}). The
 * requests start before the image is read ({@link #start}) so they overlap it. Thread-safe.
 */
public final class MetadataCollector {
    private static final int MAX_S3_KEY_BYTES = 1024;
    private final CustomMetadataSettings settings;
    private final ObjectStore input;
    private final CocoMetadata coco;
    private final Optional<String> cocoKey;

    /**
     * @param settings which sources are on
     * @param input    the input datasource (tags and sidecars are read from it)
     * @param coco     the loaded {@code SIDECAR_FILE}, or {@link CocoMetadata#NONE}
     */
    public MetadataCollector(CustomMetadataSettings settings, ObjectStore input, CocoMetadata coco) {
        this.settings = settings;
        this.input = input;
        this.coco = coco;
        this.cocoKey = coco.keyUnder(input.uri());
    }

    /** A collector for the default settings (EXIF fields only): no requests. */
    public static MetadataCollector exifOnly(ObjectStore input) {
        return new MetadataCollector(CustomMetadataSettings.DEFAULT, input, CocoMetadata.NONE);
    }

    public CustomMetadataSettings settings() {
        return settings;
    }

    /**
     * True for keys that hold custom metadata rather than an image: a per-image sidecar
     * ({@link Sidecars#imageOf}) or the {@code SIDECAR_FILE} when it lies inside the input root. Recognised by
     * name whatever the configuration, so they are never ingested or rejected as images.
     */
    public boolean isSidecar(String key) {
        return Sidecars.imageOf(key).isPresent() || cocoKey.filter(key::equals).isPresent();
    }

    /** The requests of one image under way. */
    public record Pending(String fileName, CompletableFuture<Map<String, String>> tags,
                          CompletableFuture<Optional<SidecarRead>> sidecar) {
    }

    /**
     * One attempt to read a sidecar.
     *
     * @param content the sidecar, null when it could not be read (then {@code note} says why)
     * @param note    why it was not read, or null
     */
    public record SidecarRead(ObjectContent content, String note) {
    }

    /** Starts the image's requests (tags, sidecar) on {@code io}. */
    public Pending start(String fileName, Executor io) {
        CompletableFuture<Map<String, String>> tags = settings.has(MetadataSource.TAGS)
                ? IoFutures.supply(() -> input.tags(fileName), io)
                : CompletableFuture.completedFuture(Map.of());
        CompletableFuture<Optional<SidecarRead>> sidecar = settings.has(MetadataSource.SIDECAR)
                ? IoFutures.supply(() -> readSidecar(fileName), io)
                : CompletableFuture.completedFuture(Optional.empty());
        return new Pending(fileName, tags, sidecar);
    }

    /**
     * The image's custom metadata once its object has been read and analysed.
     *
     * @param userMetadata the object's S3 user metadata, from the read
     * @param exif         the EXIF map of the analysis
     * @throws IOException when tags or the sidecar could not be read for a reason that may pass (retry)
     */
    public CustomMetadata finish(Pending pending, Map<String, String> userMetadata, Map<String, Object> exif)
            throws IOException {
        String fileName = pending.fileName();
        Map<String, String> tags = IoFutures.await(pending.tags());
        Optional<SidecarRead> sidecar = IoFutures.await(pending.sidecar());
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        if (settings.has(MetadataSource.KEY)) {
            KeyPattern.Captures captures = settings.keyPattern().orElseThrow().match(fileName);
            captures.notes().forEach(note -> notes.add("KEY_PATTERN: " + note));
            section(values, MetadataSource.KEY, captures.values());
        }
        if (settings.has(MetadataSource.USER)) {
            section(values, MetadataSource.USER, checked(MetadataValues.checkStrings(userMetadata, "user metadata"),
                    notes));
        }
        if (settings.has(MetadataSource.TAGS)) {
            section(values, MetadataSource.TAGS, checked(MetadataValues.checkStrings(tags, "tags"), notes));
        }
        SidecarVersion version = null;
        if (settings.has(MetadataSource.SIDECAR)) {
            version = sidecarSection(fileName, sidecar, values, notes);
        }
        if (settings.has(MetadataSource.EXIF)) {
            section(values, MetadataSource.EXIF, ExifFields.of(exif));
        }
        return new CustomMetadata(values, notes, version);
    }

    /**
     * The custom metadata of an image already ingested, after its sidecar changed: the recorded sections stay,
     * the {@code sidecar} section is built anew. One GetObject (the sidecar).
     *
     * @param recorded the {@code customMetaData} the image's record holds (may be null)
     */
    public CustomMetadata withNewSidecar(String fileName, Map<String, Object> recorded) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        Map<String, Object> old = recorded == null ? Map.of() : recorded;
        SidecarVersion version = null;
        for (MetadataSource source : MetadataSource.values()) {
            if (source == MetadataSource.SIDECAR) {
                version = sidecarSection(fileName, readSidecar(fileName), values, notes);
            } else if (old.get(source.section()) instanceof Map<?, ?> section) {
                values.put(source.section(), section);
            }
        }
        return new CustomMetadata(values, notes, version);
    }

    /**
     * The eTag of the image's sidecar now, empty when there is none: one GetObject, which tells a missing key
     * from a missing bucket by itself (a HeadObject would need a second request for that).
     */
    public Optional<String> currentSidecarETag(String fileName) throws IOException {
        return readSidecar(fileName).map(read -> read.content() == null ? "" : read.content().eTag());
    }

    private SidecarVersion sidecarSection(String fileName, Optional<SidecarRead> read, Map<String, Object> values,
                                          List<String> notes) {
        Map<String, Object> sidecar = new LinkedHashMap<>();
        coco.forFile(fileName).ifPresent(entry -> sidecar.putAll(checked(entry, notes)));
        SidecarVersion version = null;
        if (read.isPresent()) {
            String key = Sidecars.sidecarOf(fileName);
            SidecarRead sidecarRead = read.get();
            if (sidecarRead.content() == null) {
                notes.add("sidecar " + key + ": " + sidecarRead.note());
            } else {
                version = new SidecarVersion(key, sidecarRead.content().eTag());
                sidecar.putAll(checked(MetadataValues.parseSidecar(sidecarRead.content().bytes(), "sidecar " + key),
                        notes));
            }
        }
        section(values, MetadataSource.SIDECAR, sidecar);
        return version;
    }

    /** The sidecar, empty when there is none; a sidecar that cannot be used comes with a note. */
    private Optional<SidecarRead> readSidecar(String fileName) throws IOException {
        String key = Sidecars.sidecarOf(fileName);
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_S3_KEY_BYTES) {
            return Optional.empty(); // S3 cannot hold a sidecar for this name
        }
        try {
            return Optional.of(new SidecarRead(input.readContent(key, MetadataValues.MAX_SIDECAR_BYTES), null));
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        } catch (ObjectTooLargeException e) {
            return Optional.of(new SidecarRead(null, "larger than " + MetadataValues.MAX_SIDECAR_BYTES
                    + " bytes; not read"));
        } catch (FileSystemException | IllegalArgumentException e) {
            // a folder cannot hold the name (too long, a folder in its place): no usable sidecar, no retry helps
            return Optional.of(new SidecarRead(null, "unreadable (" + e.getClass().getSimpleName() + ")"));
        }
    }

    private static Map<String, Object> checked(MetadataValues.Checked checked, List<String> notes) {
        notes.addAll(checked.notes());
        return checked.values();
    }

    private static void section(Map<String, Object> values, MetadataSource source, Map<String, ?> section) {
        if (!section.isEmpty()) {
            values.put(source.section(), section);
        }
    }
}
