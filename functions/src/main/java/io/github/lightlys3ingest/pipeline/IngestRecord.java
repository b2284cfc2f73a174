package io.github.lightlys3ingest.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.lightlys3ingest.lightly.SampleCreateRequest;
import java.time.Instant;

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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestRecord(String fileName, SourceRef source, String format, SampleCreateRequest sampleCreateRequest,
                           ThumbnailRef thumbnail, int orientation, String lightlySampleId, String lightlyDatasetId,
                           Instant ingestedAt) {

    /**
     * @param key         thumbnail key relative to the output root (the request's thumbName)
     * @param width       pixels
     * @param height      pixels
     * @param contentType what the bytes are
     */
    public record ThumbnailRef(String key, int width, int height, String contentType) {
    }
}
