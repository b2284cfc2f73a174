package io.github.lightlys3ingest.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.lightlys3ingest.contract.UploadMode;
import io.github.lightlys3ingest.image.Analysis;
import io.github.lightlys3ingest.image.ImageAnalyzer;
import io.github.lightlys3ingest.image.RejectReason;
import io.github.lightlys3ingest.image.Thumbnail;
import io.github.lightlys3ingest.json.Json;
import io.github.lightlys3ingest.lightly.LightlyApiException;
import io.github.lightlys3ingest.lightly.LightlySample;
import io.github.lightlys3ingest.lightly.SampleCreateRequest;
import io.github.lightlys3ingest.lightly.SampleSink;
import io.github.lightlys3ingest.lightly.SampleUpdateRequest;
import io.github.lightlys3ingest.metadata.CustomMetadata;
import io.github.lightlys3ingest.metadata.MetadataCollector;
import io.github.lightlys3ingest.metadata.MetadataSource;
import io.github.lightlys3ingest.metadata.SidecarVersion;
import io.github.lightlys3ingest.metadata.Sidecars;
import io.github.lightlys3ingest.storage.IoFutures;
import io.github.lightlys3ingest.storage.NoSuchObjectException;
import io.github.lightlys3ingest.storage.ObjectContent;
import io.github.lightlys3ingest.storage.ObjectInfo;
import io.github.lightlys3ingest.storage.ObjectStore;
import io.github.lightlys3ingest.storage.ObjectTooLargeException;
import io.github.lightlys3ingest.storage.OutsideRootException;
import io.github.lightlys3ingest.storage.VersionMismatchException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Turns one input object into a Lightly sample plus a record, or into a rejection, exactly once.
 *
 * <p>Exactly once rests on conditional writes to the output datasource. A worker first claims the object's
 * version with {@link ObjectStore#putIfAbsent} (on S3 a PUT with {@code If-None-Match: *}) of
 * {@code .lightly/ingest/claims/<fileName>@<eTag>.json}. The first claim of a version wins and does the
 * work; its claim stays as the mark that this version was taken on. A later delivery of the same version
 * loses the claim and looks at the record: current means the object is done ({@link Outcome.Status#SKIPPED});
 * otherwise a fresh claim means another worker is on it ({@link Outcome.Status#BUSY}, its caller retries
 * later), and a claim older than the lease belongs to a worker that died, so the object is taken over (one
 * conditional write on the claim's eTag, {@link ObjectStore#replaceIfMatch}: of two workers only one wins) and
 * Lightly is asked first whether that worker had created the sample. A failed or interrupted attempt releases
 * its claim. A changed object has a new eTag, hence a new claim, and is ingested again: its sample is updated
 * ({@link SampleSink#updateSample}), never created a second time.
 *
 * <p>Current means: a rejection naming this version, or a record naming this version whose sample belongs to
 * the configured dataset ({@link Recorded#belongsTo}); a dry-run record never blocks a run with a dataset.
 * The bytes read are those of the version the event names (If-Match on the eTag); an event whose version
 * is gone is {@link Outcome.Status#SUPERSEDED} and writes nothing. {@link #remove} handles removals.
 *
 * <p>Problems with the bytes become rejections; problems reaching S3 or Lightly propagate as
 * {@link IOException} so the caller can retry the object. Thread-safe.
 */
public final class IngestPipeline {
    private static final String JSON = "application/json";
    private static final long MAX_CLAIM_BYTES = 1024 * 1024;

    /** Threads for S3 calls that overlap another round trip; they wait on the network, not the CPU. */
    private static final ExecutorService IO = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "ingest-io");
        thread.setDaemon(true);
        return thread;
    });

    private final ObjectStore input;
    private final ObjectStore output;
    private final SampleSink sink;
    private final ImageAnalyzer analyzer;
    private final IngestOptions options;
    private final Clock clock;
    private final MetadataCollector metadata;
    private final String workerId;
    /** Bounds the analyses running at once when callers keep more objects in flight than they have CPUs. */
    private final Semaphore analysisPermits;

    /** A pipeline with the default custom metadata (EXIF fields only). */
    public IngestPipeline(ObjectStore input, ObjectStore output, SampleSink sink, ImageAnalyzer analyzer,
                          IngestOptions options, Clock clock) {
        this(input, output, sink, analyzer, options, clock, MetadataCollector.exifOnly(input));
    }

    /** @param metadata builds each sample's customMetaData from the sources configured */
    public IngestPipeline(ObjectStore input, ObjectStore output, SampleSink sink, ImageAnalyzer analyzer,
                          IngestOptions options, Clock clock, MetadataCollector metadata) {
        this(input, output, sink, analyzer, options, clock, metadata, UUID.randomUUID().toString(),
                new Semaphore(Integer.MAX_VALUE));
    }

    private IngestPipeline(ObjectStore input, ObjectStore output, SampleSink sink, ImageAnalyzer analyzer,
                           IngestOptions options, Clock clock, MetadataCollector metadata, String workerId,
                           Semaphore analysisPermits) {
        this.input = input;
        this.output = output;
        this.sink = sink;
        this.analyzer = analyzer;
        this.options = options;
        this.clock = clock;
        this.metadata = metadata;
        this.workerId = workerId;
        this.analysisPermits = analysisPermits;
    }

    /**
     * This pipeline with analyses bounded by {@code permits}, one taken per analysis: lets a caller keep
     * more objects in flight (waiting on S3 and Lightly) than it has CPUs to decode them.
     */
    public IngestPipeline withAnalysisPermits(Semaphore permits) {
        return new IngestPipeline(input, output, sink, analyzer, options, clock, metadata, workerId, permits);
    }

    public ObjectStore input() {
        return input;
    }

    public ObjectStore output() {
        return output;
    }

    /**
     * Processes one object of the input datasource.
     *
     * @param object key relative to the input root, with its size and version; without an eTag (some event
     *               sources) the current version is asked for with a HEAD
     * @throws IOException on transient S3 or Lightly failures: nothing was recorded, retry the object
     */
    public Outcome process(ObjectInfo object) throws IOException {
        if (metadata.isSidecar(object.key())) {
            return sidecar(object);
        }
        Stages stages = new Stages();
        if (object.eTag() == null) {
            Optional<ObjectInfo> current = input.head(object.key());
            if (current.isEmpty() || (object.versionId() != null
                    && !object.versionId().equals(current.get().versionId()))) {
                return stages.outcome(object, Outcome.Status.SUPERSEDED, null,
                        current.isEmpty() ? "object no longer exists" : "object was overwritten since", null);
            }
            object = current.get();
        }
        SourceRef source = sourceOf(object);
        String claimKey = OutputLayout.claimKey(object.key(), source);
        Optional<String> unstorable = unstorable(object.key(), claimKey);
        if (unstorable.isPresent()) {
            return rejectName(object, source, unstorable.get(), stages);
        }
        byte[] claim = Json.MAPPER.writeValueAsBytes(new Claim(workerId, source, clock.instant(),
                sink.datasetId().orElse(null)));
        boolean lookUp = false;
        if (!output.putIfAbsent(claimKey, claim, JSON)) {
            // Claimed before: done (its record or rejection is current), in progress, or abandoned.
            Optional<Recorded> record = OutputLayout.recorded(output, OutputLayout.recordKey(object.key()))
                    .filter(r -> source.sameVersionAs(r.source()));
            boolean current = record.filter(r -> r.belongsTo(sink.datasetId())).isPresent()
                    || OutputLayout.recordedSource(output, OutputLayout.rejectionKey(object.key()))
                    .filter(source::sameVersionAs).isPresent();
            stages.lap("check");
            if (current) {
                return stages.outcome(object, Outcome.Status.SKIPPED, null, "record is current", null);
            }
            // The version first, then the content: a content newer than the version only makes the swap fail.
            Optional<ObjectInfo> claimVersion = output.head(claimKey);
            Optional<Claim> held = readClaim(claimKey);
            // A dry run or a run for another dataset finished this version: its claim does not stand in the way.
            boolean otherRunFinished = record.isPresent() && held.isPresent()
                    && !Objects.equals(held.get().datasetId(), sink.datasetId().orElse(null));
            if (!otherRunFinished && held.isPresent() && held.get().claimedAt() != null
                    && held.get().claimedAt().plus(options.claimLease()).isAfter(clock.instant())) {
                return stages.outcome(object, Outcome.Status.BUSY, null, "another worker is ingesting this object",
                        null);
            }
            // Abandoned: one conditional write on the claim's version, so of two workers only one takes it over.
            boolean won = claimVersion.isPresent()
                    ? output.replaceIfMatch(claimKey, claimVersion.get().eTag(), claim, JSON)
                    : output.putIfAbsent(claimKey, claim, JSON);
            if (!won) {
                return stages.outcome(object, Outcome.Status.BUSY, null, "another worker took the object over", null);
            }
            // an abandoned claim's worker may have created the sample before it died
            lookUp = !otherRunFinished;
        }
        stages.lap("claim");
        boolean done = false;
        try {
            Outcome outcome = ingestClaimed(object, source, lookUp, stages);
            done = outcome.status() != Outcome.Status.SUPERSEDED;
            return outcome;
        } catch (NoSuchObjectException | VersionMismatchException e) {
            // Events arrive late: the version was overwritten or deleted before it could be read.
            return stages.outcome(object, Outcome.Status.SUPERSEDED, null, e instanceof NoSuchObjectException
                    ? "object no longer exists" : "object was overwritten since", null);
        } finally {
            if (!done) {
                // Let the retry (or a re-created object) claim it again at once rather than after the lease.
                release(claimKey);
            }
        }
    }

    /** Deletes a claim, also from a worker interrupted by a stop (the SDK refuses calls on an interrupted thread). */
    private void release(String claimKey) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            output.delete(claimKey);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A sidecar is no image: it never becomes a sample or a rejection. When its image has a record, the
     * image's custom metadata is built again with the sidecar as it is now (changed, or removed) and, when
     * that differs from the record, the record and sample are updated; without a record there is nothing to
     * update, and the image's own ingestion reads the sidecar.
     */
    private Outcome sidecar(ObjectInfo object) throws IOException {
        Stages stages = new Stages();
        Optional<String> image = Sidecars.imageOf(object.key());
        if (image.isEmpty()) {
            return stages.outcome(object, Outcome.Status.SKIPPED, null,
                    "the SIDECAR_FILE (custom metadata of other objects), not an image", null);
        }
        if (!metadata.settings().has(MetadataSource.SIDECAR)) {
            return stages.outcome(object, Outcome.Status.SKIPPED, null, "sidecar of " + image.get()
                    + ", not used: CUSTOM_METADATA does not include sidecar", null);
        }
        Optional<IngestRecord> record = OutputLayout.record(output, image.get());
        stages.lap("check");
        if (record.isEmpty()) {
            return stages.outcome(object, Outcome.Status.SKIPPED, null, "sidecar of " + image.get()
                    + ", which has no record yet: its ingestion reads the sidecar", null);
        }
        return applySidecar(object, record.get(), object.eTag(), stages);
    }

    /**
     * Builds the image's custom metadata again with its current sidecar and, when it differs from the
     * recorded one, updates the sample and the record.
     *
     * @param known the sidecar eTag that prompted this (an event's), or null when unknown
     */
    private Outcome applySidecar(ObjectInfo object, IngestRecord record, String known, Stages stages)
            throws IOException {
        String imageName = record.fileName();
        SidecarVersion recorded = record.sidecar();
        if (known != null && recorded != null && known.equals(recorded.eTag())) {
            return stages.outcome(object, Outcome.Status.SKIPPED, null,
                    "sidecar of " + imageName + " already applied", record.lightlySampleId());
        }
        SampleCreateRequest request = record.sampleCreateRequest();
        CustomMetadata fresh = metadata.withNewSidecar(imageName, request.customMetaData());
        stages.lap("metadata");
        // compared as JSON: a record read back holds 3 as an Integer where the fresh map holds a Long
        boolean sameValues = Json.MAPPER.writeValueAsString(fresh.valuesOrNull())
                .equals(Json.MAPPER.writeValueAsString(request.customMetaData()));
        if (sameValues && Objects.equals(fresh.sidecar(), recorded)) {
            return stages.outcome(object, Outcome.Status.SKIPPED, null,
                    "sidecar of " + imageName + " already applied", record.lightlySampleId());
        }
        boolean inDataset = sink.datasetId().isPresent() && new Recorded(record.source(), record.lightlySampleId(),
                record.lightlyDatasetId()).belongsTo(sink.datasetId());
        if (inDataset) {
            // the record exists, so the sample carries no removal mark: the sections are the whole customMetaData
            sink.updateSample(record.lightlySampleId(), SampleUpdateRequest.customMetaData(fresh.values()));
        }
        SampleCreateRequest updated = new SampleCreateRequest(request.fileName(), request.thumbName(), request.exif(),
                request.metaData(), fresh.valuesOrNull());
        IngestRecord next = new IngestRecord(record.fileName(), record.source(), record.format(), updated,
                record.thumbnail(), record.orientation(), record.lightlySampleId(), record.lightlyDatasetId(),
                clock.instant(), fresh.notesOrNull(), fresh.sidecar());
        output.put(OutputLayout.recordKey(imageName), Json.MAPPER.writeValueAsBytes(next), JSON);
        stages.lap("thumbnail+lightly");
        return stages.outcome(object, Outcome.Status.INGESTED, null,
                "custom metadata of " + imageName + " updated from its sidecar", record.lightlySampleId());
    }

    /**
     * Analyses one object without writing anything.
     *
     * @return the {@link IngestRecord} (without sample id) or {@link Rejection} that {@link #process} would write
     */
    public Object preview(ObjectInfo object) throws IOException {
        SourceRef source = sourceOf(object);
        Analyzed analyzed = analyze(object, new Stages());
        return analyzed.analysis() instanceof Analysis.Accepted accepted
                ? record(object.key(), source, accepted, analyzed.metadata(accepted), null, null)
                : rejection(object.key(), source, (Analysis.Rejected) analyzed.analysis());
    }

    private Outcome ingestClaimed(ObjectInfo object, SourceRef source, boolean lookUp, Stages stages)
            throws IOException {
        String fileName = object.key();
        // What earlier versions left (a record, or a removal note) decides between updating and creating;
        // read it while the object is read and analysed. A dry run sends nothing, so it needs neither.
        CompletableFuture<Prior> prior = sink.datasetId().isEmpty()
                ? CompletableFuture.completedFuture(Prior.NONE)
                : CompletableFuture.supplyAsync(() -> prior(fileName), IO);
        Analyzed analyzed;
        try {
            analyzed = analyze(object, stages);
        } catch (IOException | RuntimeException e) {
            IoFutures.settle(prior);
            throw e;
        }
        Analysis analysis = analyzed.analysis();
        if (analysis instanceof Analysis.Rejected rejected) {
            IoFutures.settle(prior);
            return reject(object, source, rejected, OutputLayout.rejectionKey(fileName), stages);
        }
        Analysis.Accepted accepted = (Analysis.Accepted) analysis;
        CustomMetadata custom = analyzed.metadata(accepted);
        stages.lap("metadata");
        IngestRecord draft = record(fileName, source, accepted, custom, null, null);
        if (draft.thumbnail() != null && !options.thumbSuffix().injective()) {
            Optional<String> owner = thumbnailOwner(draft.thumbnail().key(), fileName);
            if (owner.isPresent()) {
                IoFutures.settle(prior);
                return reject(object, source, new Analysis.Rejected(RejectReason.THUMBNAIL_COLLISION, "thumbnail "
                        + draft.thumbnail().key() + " already belongs to " + owner.get()
                        + " (the thumb suffix gives both the same key)"), OutputLayout.rejectionKey(fileName), stages);
            }
        }
        // The thumbnail upload and the Lightly call are independent round trips: overlap them.
        CompletableFuture<Void> thumbnail = draft.thumbnail() == null
                ? CompletableFuture.completedFuture(null)
                : async(() -> output.put(draft.thumbnail().key(), accepted.thumbnail().bytes(),
                accepted.thumbnail().contentType()));
        Optional<String> sampleId;
        Prior before;
        try {
            before = IoFutures.await(prior);
            sampleId = sendSample(draft, before, lookUp);
        } catch (IOException | RuntimeException e) {
            IoFutures.settle(thumbnail);
            throw e;
        }
        IoFutures.await(thumbnail);
        stages.lap("thumbnail+lightly");
        IngestRecord record = draft.inLightly(sampleId.orElse(null),
                sampleId.isPresent() ? sink.datasetId().orElse(null) : null, clock.instant());
        // A rejection of an earlier version would contradict the record; deleting a missing key is a free no-op.
        CompletableFuture<Void> staleRejection = async(() -> output.delete(OutputLayout.rejectionKey(fileName)));
        try {
            output.put(OutputLayout.recordKey(fileName), Json.MAPPER.writeValueAsBytes(record), JSON);
            if (before.note() != null) {
                output.delete(OutputLayout.removalKey(fileName));
            }
        } catch (IOException | RuntimeException e) {
            IoFutures.settle(staleRejection);
            throw e;
        }
        IoFutures.await(staleRejection);
        stages.lap("record");
        if (metadata.settings().has(MetadataSource.SIDECAR)) {
            // A sidecar written while this image was ingested found no record to update: look once more.
            Optional<String> sidecar = metadata.currentSidecarETag(fileName);
            String used = custom.sidecar() == null ? null : custom.sidecar().eTag();
            if (sidecar.isPresent() && !Objects.equals(sidecar.get(), used)) {
                applySidecar(object, record, sidecar.get(), stages);
            }
        }
        return stages.outcome(object, Outcome.Status.INGESTED, null, before.describe(sampleId.isPresent()),
                sampleId.orElse(null));
    }

    /**
     * Sends the sample to Lightly: an update of the sample an earlier version of the file name has (its record
     * or removal note names it in this dataset), otherwise a creation. One request when nothing fails, two
     * when a removed sample is brought back (its customMetaData is read to clear the mark).
     */
    private Optional<String> sendSample(IngestRecord draft, Prior before, boolean lookUp) throws IOException {
        SampleCreateRequest sample = draft.sampleCreateRequest();
        // an empty exif replaces the old version's tags instead of leaving them in place
        Map<String, Object> exif = sample.exif() == null ? Map.of() : sample.exif();
        if (before.sampleId() != null && before.note() == null) {
            try {
                sink.updateSample(before.sampleId(), new SampleUpdateRequest(sample.thumbName(), exif,
                        sample.metaData(), customMetaData(sample, null)));
                return Optional.of(before.sampleId());
            } catch (LightlyApiException e) {
                if (!isMissingSample(e)) {
                    throw e;
                }
            }
        } else if (before.sampleId() != null) {
            Optional<LightlySample> removed = sink.getSample(before.sampleId());
            if (removed.isPresent()) {
                sink.updateSample(before.sampleId(), new SampleUpdateRequest(sample.thumbName(), exif,
                        sample.metaData(),
                        customMetaData(sample, RemovalMark.cleared(removed.get().customMetaData()))));
                return Optional.of(before.sampleId());
            }
        }
        Optional<String> found = lookUp ? sink.findSample(draft.fileName()) : Optional.empty();
        return found.isPresent() ? found : sink.createSample(sample);
    }

    /**
     * The customMetaData an update of an existing sample sends: the custom metadata sections built now replace
     * the old ones (the values of an earlier version must not linger), other keys of {@code kept} stay. With
     * {@code CUSTOM_METADATA=none} this project manages no custom metadata: {@code kept}, or null to leave
     * Lightly's as it is.
     *
     * @param kept what the sample holds that must survive (removal mark cleared), or null when not read
     */
    private Map<String, Object> customMetaData(SampleCreateRequest sample, Map<String, Object> kept) {
        if (metadata.settings().sources().isEmpty()) {
            return kept;
        }
        Map<String, Object> result = new LinkedHashMap<>(kept == null ? Map.of() : kept);
        for (MetadataSource source : MetadataSource.values()) {
            result.remove(source.section());
        }
        if (sample.customMetaData() != null) {
            result.putAll(sample.customMetaData());
        }
        return result;
    }

    /** A 404 for the sample itself (deleted in Lightly's web app), not for the dataset. */
    private static boolean isMissingSample(LightlyApiException e) {
        return e.status() == 404 && !"DATASET_UNKNOWN".equals(e.code());
    }

    /** The sample an earlier version of the file name left in this dataset, from its record or removal note. */
    private Prior prior(String fileName) {
        try {
            Optional<IngestRecord> record = OutputLayout.record(output, fileName);
            if (record.isPresent()) {
                Recorded recorded = new Recorded(record.get().source(), record.get().lightlySampleId(),
                        record.get().lightlyDatasetId());
                return recorded.lightlySampleId() != null && recorded.belongsTo(sink.datasetId())
                        ? new Prior(recorded.lightlySampleId(), null) : Prior.NONE;
            }
            return OutputLayout.removalNote(output, fileName)
                    .filter(note -> note.lightlySampleId() != null
                            && sink.datasetId().get().equals(note.lightlyDatasetId()))
                    .map(note -> new Prior(note.lightlySampleId(), note))
                    .orElse(Prior.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sample an earlier version left in the configured dataset.
     *
     * @param sampleId the sample to update; null to create one
     * @param note     the removal note when the object had been removed (the sample carries the mark)
     */
    private record Prior(String sampleId, RemovalNote note) {
        static final Prior NONE = new Prior(null, null);

        String describe(boolean sent) {
            if (!sent || sampleId == null) {
                return null;
            }
            return note == null ? "overwrite: sample updated" : "re-created: sample updated, removal mark cleared";
        }
    }

    /**
     * Handles the removal of an object from the input datasource (an {@code ObjectRemoved} event, or
     * {@code ingest --prune} for a record whose object is gone). When the key holds no object any more:
     * the sample in Lightly is marked removed in its customMetaData (read, merge {@code s3.removed}, update;
     * Lightly's API cannot delete a sample), the removal note is written, and the thumbnail, rejection,
     * claims and, last, the record are deleted, so a failure half way is repeated whole. A key that holds an
     * object again is {@link Outcome.Status#SUPERSEDED}. A sample in another dataset than the configured one,
     * or a dry run's record, is not marked; the note still names it.
     *
     * @param object key relative to the input root
     * @throws IOException on transient S3 or Lightly failures: retry the removal
     */
    public Outcome remove(ObjectInfo object) throws IOException {
        if (metadata.isSidecar(object.key())) {
            // a removed sidecar takes its values out of its image's custom metadata
            return sidecar(object);
        }
        Stages stages = new Stages();
        String fileName = object.key();
        if (input.head(fileName).isPresent()) {
            return stages.outcome(object, Outcome.Status.SUPERSEDED, null, "object exists again", null);
        }
        Optional<IngestRecord> record = OutputLayout.record(output, fileName);
        Optional<SourceRef> rejected = OutputLayout.recordedSource(output, OutputLayout.rejectionKey(fileName));
        List<String> claims = claimKeys(fileName);
        stages.lap("check");
        for (String claimKey : claims) {
            Optional<Claim> held = readClaim(claimKey);
            boolean finished = held.isPresent() && held.get().source() != null
                    && (record.filter(r -> held.get().source().sameVersionAs(r.source())).isPresent()
                    || rejected.filter(held.get().source()::sameVersionAs).isPresent());
            if (!finished && held.isPresent() && held.get().claimedAt() != null
                    && held.get().claimedAt().plus(options.claimLease()).isAfter(clock.instant())) {
                return stages.outcome(object, Outcome.Status.BUSY, null, "an ingestion of this object is in progress",
                        null);
            }
        }
        if (record.isEmpty() && rejected.isEmpty()) {
            for (String claimKey : claims) {
                output.delete(claimKey);
            }
            return stages.outcome(object, Outcome.Status.SKIPPED, null, "nothing recorded for this object", null);
        }
        Instant removedAt = clock.instant();
        String detail = "rejection deleted";
        String sampleId = null;
        if (record.isPresent()) {
            IngestRecord ingested = record.get();
            detail = markRemoved(ingested, removedAt);
            sampleId = ingested.lightlySampleId();
            RemovalNote note = new RemovalNote(fileName, ingested.source(), ingested.lightlySampleId(),
                    ingested.lightlyDatasetId(), removedAt);
            output.put(OutputLayout.removalKey(fileName), Json.MAPPER.writeValueAsBytes(note), JSON);
            if (ingested.thumbnail() != null) {
                output.delete(ingested.thumbnail().key());
            }
        }
        output.delete(OutputLayout.rejectionKey(fileName));
        for (String claimKey : claims) {
            output.delete(claimKey);
        }
        output.delete(OutputLayout.recordKey(fileName));
        stages.lap("remove");
        return stages.outcome(object, Outcome.Status.REMOVED, null, detail, sampleId);
    }

    /** Marks the record's sample removed when it is in the configured dataset; says what was done. */
    private String markRemoved(IngestRecord record, Instant removedAt) throws IOException {
        if (record.lightlySampleId() == null) {
            return "dry-run record: nothing in Lightly to mark";
        }
        Optional<String> dataset = sink.datasetId();
        if (dataset.isEmpty()
                || (record.lightlyDatasetId() != null && !dataset.get().equals(record.lightlyDatasetId()))) {
            return "sample " + record.lightlySampleId() + " of dataset " + record.lightlyDatasetId()
                    + " not marked: " + dataset.map(d -> "the configured dataset is " + d).orElse("dry run");
        }
        Optional<LightlySample> sample = sink.getSample(record.lightlySampleId());
        if (sample.isEmpty()) {
            return "sample " + record.lightlySampleId() + " no longer exists in Lightly";
        }
        sink.updateSample(record.lightlySampleId(), SampleUpdateRequest.customMetaData(
                RemovalMark.marked(sample.get().customMetaData(), removedAt)));
        return "sample " + record.lightlySampleId() + " marked removed";
    }

    /**
     * The claims of every version of exactly this file name: {@code <fileName>@<eTag>[~<versionId>].json}.
     * A longer file name that starts with {@code <fileName>@} has a second {@code @} in what follows.
     */
    private List<String> claimKeys(String fileName) throws IOException {
        String prefix = OutputLayout.CLAIMS + fileName + "@";
        List<String> keys = new ArrayList<>();
        output.list(prefix, null, info -> {
            if (info.key().indexOf('@', prefix.length()) < 0) {
                keys.add(info.key());
            }
        });
        return keys;
    }

    private Outcome reject(ObjectInfo object, SourceRef source, Analysis.Rejected rejected, String key, Stages stages)
            throws IOException {
        output.put(key, Json.MAPPER.writeValueAsBytes(rejection(object.key(), source, rejected)), JSON);
        stages.lap("record");
        return stages.outcome(object, Outcome.Status.REJECTED, rejected.reason(), rejected.detail(), null);
    }

    /**
     * Why the output cannot hold this name's claim, record, rejection or thumbnail as it is, or empty. Checked
     * before anything is claimed or sent to Lightly, so such a name never half-succeeds.
     */
    private Optional<String> unstorable(String fileName, String claimKey) throws IOException {
        List<String> keys = new ArrayList<>(List.of(claimKey, OutputLayout.recordKey(fileName),
                OutputLayout.rejectionKey(fileName)));
        if (options.uploadMode() == UploadMode.THUMBNAILS) {
            String thumbKey = options.thumbSuffix().thumbKey(fileName);
            if (thumbKey.startsWith(OutputLayout.INGEST)) {
                return Optional.of("its thumbnail key " + thumbKey + " falls into " + OutputLayout.INGEST);
            }
            keys.add(thumbKey);
        }
        for (String key : keys) {
            Optional<String> problem = output.cannotHold(key);
            if (problem.isPresent()) {
                return Optional.of("the output datasource cannot hold " + key + ": " + problem.get());
            }
        }
        return Optional.empty();
    }

    /**
     * Rejects a name the output cannot hold, without a claim: nothing goes to Lightly, and writing the same
     * rejection twice is harmless. It goes under the name's own rejection key where that can be stored, else
     * under a hash of the name; either way it holds the full file name.
     */
    private Outcome rejectName(ObjectInfo object, SourceRef source, String detail, Stages stages) throws IOException {
        String key = OutputLayout.rejectionKeyIn(output, object.key());
        if (OutputLayout.recordedSource(output, key).filter(source::sameVersionAs).isPresent()) {
            stages.lap("check");
            return stages.outcome(object, Outcome.Status.SKIPPED, null, "rejection is current", null);
        }
        return reject(object, source, new Analysis.Rejected(RejectReason.INVALID_NAME, detail), key, stages);
    }

    /**
     * Takes a thumbnail key for a file, first come first served, through a marker written with
     * {@link ObjectStore#putIfAbsent}.
     *
     * @return the other file that owns the key, or empty when it is this file's
     */
    private Optional<String> thumbnailOwner(String thumbKey, String fileName) throws IOException {
        String markerKey = OutputLayout.thumbnailOwnerKey(thumbKey);
        byte[] marker = Json.MAPPER.writeValueAsBytes(new ThumbnailOwner(fileName, thumbKey));
        for (int attempt = 0; attempt < 2; attempt++) {
            if (output.putIfAbsent(markerKey, marker, JSON)) {
                return Optional.empty();
            }
            try {
                String owner = Json.MAPPER.readValue(output.read(markerKey, MAX_CLAIM_BYTES), ThumbnailOwner.class)
                        .fileName();
                return fileName.equals(owner) ? Optional.empty() : Optional.of(owner);
            } catch (NoSuchObjectException e) {
                // removed meanwhile: try to take it again
            }
        }
        throw new IOException("thumbnail owner marker " + markerKey + " keeps changing");
    }

    /** Content of a thumbnail owner marker. */
    record ThumbnailOwner(String fileName, String thumbnail) {
    }

    /** One S3 call on the I/O pool. */
    private static CompletableFuture<Void> async(IoCall call) {
        return IoFutures.supply(() -> {
            call.run();
            return null;
        }, IO);
    }

    /** An S3 call that may fail. */
    private interface IoCall {
        void run() throws IOException;
    }

    /** The analysis of one object, and the custom metadata requests started beside it. */
    private record Analyzed(Analysis analysis, MetadataCollector metadata, MetadataCollector.Pending pending,
                            Map<String, String> userMetadata) {

        CustomMetadata metadata(Analysis.Accepted accepted) throws IOException {
            return metadata.finish(pending, userMetadata, accepted.exif());
        }
    }

    /** Name check, bounded read and image analysis; every problem with the object becomes a rejection. */
    private Analyzed analyze(ObjectInfo object, Stages stages) throws IOException {
        if (object.key().contains(",")) {
            return new Analyzed(new Analysis.Rejected(RejectReason.INVALID_NAME,
                    "Lightly refuses file names containing ','"), metadata, null, Map.of());
        }
        // Tags and sidecar are separate requests: let them run while the image is read and analysed.
        MetadataCollector.Pending pending = metadata.start(object.key(), IO);
        ObjectContent content;
        try {
            content = input.readVersion(object, options.maxObjectBytes());
        } catch (ObjectTooLargeException e) {
            return new Analyzed(new Analysis.Rejected(RejectReason.TOO_LARGE, e.getMessage()), metadata, pending,
                    Map.of());
        } catch (OutsideRootException e) {
            return new Analyzed(new Analysis.Rejected(RejectReason.OUTSIDE_INPUT, e.getMessage()), metadata, pending,
                    Map.of());
        }
        stages.lap("read");
        try {
            analysisPermits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a CPU worker");
        }
        try {
            stages.lap("wait");
            Analysis analysis = analyzer.analyze(content.bytes(), object.key(), thumbFormat(object.key()));
            stages.lap("analyze");
            return new Analyzed(analysis, metadata, pending, content.userMetadata());
        } finally {
            analysisPermits.release();
        }
    }

    /** The thumbnail format the template's extension asks for; null in metadata mode (no thumbnail). */
    private String thumbFormat(String fileName) {
        return options.uploadMode() == UploadMode.METADATA ? null : options.thumbSuffix().thumbExtension(fileName);
    }

    private IngestRecord record(String fileName, SourceRef source, Analysis.Accepted accepted, CustomMetadata custom,
                                String sampleId, String datasetId) {
        Thumbnail thumbnail = accepted.thumbnail();
        IngestRecord.ThumbnailRef thumbRef = thumbnail == null
                ? null
                : new IngestRecord.ThumbnailRef(options.thumbSuffix().thumbKey(fileName), thumbnail.width(),
                thumbnail.height(), thumbnail.contentType());
        SampleCreateRequest request = new SampleCreateRequest(fileName, thumbRef == null ? null : thumbRef.key(),
                accepted.exif(), accepted.metaData(), custom.valuesOrNull());
        return new IngestRecord(fileName, source, accepted.format(), request, thumbRef, accepted.orientation(),
                sampleId, datasetId, clock.instant(), custom.notesOrNull(), custom.sidecar());
    }

    private Rejection rejection(String fileName, SourceRef source, Analysis.Rejected rejected) {
        return new Rejection(fileName, source, rejected.reason(), rejected.detail(), clock.instant());
    }

    private SourceRef sourceOf(ObjectInfo object) {
        var uri = input.uri();
        return uri.isS3()
                ? new SourceRef(uri.bucket(), null, uri.prefix() + object.key(), object.eTag(), object.versionId())
                : new SourceRef(null, uri.dir().toString(), object.key(), object.eTag(), object.versionId());
    }

    private Optional<Claim> readClaim(String key) throws IOException {
        try {
            return Optional.of(Json.MAPPER.readValue(output.read(key, MAX_CLAIM_BYTES), Claim.class));
        } catch (NoSuchObjectException | JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The claim object's content: who works on which version since when, for which dataset (null: dry run). */
    record Claim(String worker, SourceRef source, Instant claimedAt, String datasetId) {
    }

    /** Measures stage durations in the order they happen. */
    private static final class Stages {
        private final Map<String, Long> millis = new LinkedHashMap<>();
        private long last = System.nanoTime();

        void lap(String stage) {
            long now = System.nanoTime();
            millis.merge(stage, (now - last) / 1_000_000, Long::sum);
            last = now;
        }

        Outcome outcome(ObjectInfo object, Outcome.Status status, RejectReason reason, String detail, String sampleId) {
            return new Outcome(object.key(), status, reason, detail, sampleId, object.size(),
                    Collections.unmodifiableMap(millis));
        }
    }
}
