package io.github.lightlys3ingest.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.lightlys3ingest.lightly.SampleCreateRequest;
import io.github.lightlys3ingest.metadata.SidecarVersion;
import java.time.Instant;
import java.util.List;

/**
 * What the output datasource remembers of an ingested object ({@code .lightly/ingest/records/<fileName>.json}).
 *
 * @param fileName            path relative to the input root
 * @param source              the object and version ingested
 * @param format              detected image format
 * @param sampleCreateRequest exactly the body sent (or, in a dry run, that would be sent) to Lightly
 * @param thumbnail           the thumbnail written; null in metadata mode
 * @param orientation         EXIF orientation 1..8
 * @param lightlySampleId     the sample's id; null in a dry run
 * @param lightlyDatasetId    the dataset the sample is in; null in a dry run
 * @param ingestedAt          when the record was written
 * @param customMetaDataNotes values and files of custom metadata that were left out, and why; null when none
 * @param sidecar             the per-image sidecar the custom metadata was built from; null when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestRecord(String fileName, SourceRef source, String format, SampleCreateRequest sampleCreateRequest,
                           ThumbnailRef thumbnail, int orientation, String lightlySampleId, String lightlyDatasetId,
                           Instant ingestedAt, List<String> customMetaDataNotes, SidecarVersion sidecar) {

    /** A record without custom metadata notes or sidecar. */
    public IngestRecord(String fileName, SourceRef source, String format, SampleCreateRequest sampleCreateRequest,
                        ThumbnailRef thumbnail, int orientation, String lightlySampleId, String lightlyDatasetId,
                        Instant ingestedAt) {
        this(fileName, source, format, sampleCreateRequest, thumbnail, orientation, lightlySampleId, lightlyDatasetId,
                ingestedAt, null, null);
    }

    /** This record once its sample exists: the request, thumbnail and analysis stay as they were. */
    public IngestRecord inLightly(String sampleId, String datasetId, Instant at) {
        return new IngestRecord(fileName, source, format, sampleCreateRequest, thumbnail, orientation, sampleId,
                datasetId, at, customMetaDataNotes, sidecar);
    }

    /**
     * @param key         thumbnail key relative to the output root (the request's thumbName)
     * @param width       pixels
     * @param height      pixels
     * @param contentType what the bytes are
     */
    public record ThumbnailRef(String key, int width, int height, String contentType) {
    }
}
