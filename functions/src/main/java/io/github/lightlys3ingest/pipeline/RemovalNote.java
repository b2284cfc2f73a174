package io.github.lightlys3ingest.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What the output datasource remembers of a removed object ({@code .lightly/ingest/removed/<fileName>.json}):
 * its record is gone, the Lightly sample stays (Lightly's API cannot delete one) and is marked removed. When
 * the key is created again the same sample is updated and the mark cleared, instead of a second sample.
 *
 * @param fileName         path relative to the input root
 * @param source           the object version that was removed (as its record named it)
 * @param lightlySampleId  the sample that was marked; null when the record came from a dry run
 * @param lightlyDatasetId the sample's dataset; null when the record came from a dry run
 * @param removedAt        when the removal was handled
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RemovalNote(String fileName, SourceRef source, String lightlySampleId, String lightlyDatasetId,
                          Instant removedAt) {
}
