package io.github.lightlys3ingest.pipeline;

import java.util.Optional;

/**
 * What a record (or rejection) in the output datasource says about the object it was written for: the
 * version, and for a record the Lightly sample and its dataset. Read by {@link OutputLayout#recorded}.
 *
 * @param source           the object version the record was written for
 * @param lightlySampleId  the sample id; null in a dry-run record and in a rejection
 * @param lightlyDatasetId the sample's dataset; null in a dry-run record and in a rejection
 */
public record Recorded(SourceRef source, String lightlySampleId, String lightlyDatasetId) {

    /**
     * The dataset half of "this object is done" for a record, shared by the pipeline, the backfill and
     * any count of what is current. A run without a dataset (a dry run) takes any record. A run with
     * dataset {@code D} takes only a record that names a sample in {@code D}: a dry-run record or one of
     * another dataset never blocks creating the sample in {@code D}. A record with a sample id but no
     * dataset (written before records named their dataset) counts as belonging to the configured one.
     * Rejections are done whatever the dataset, since nothing was sent to Lightly for them.
     */
    public boolean belongsTo(Optional<String> datasetId) {
        if (datasetId.isEmpty()) {
            return true;
        }
        return lightlySampleId != null && (lightlyDatasetId == null || lightlyDatasetId.equals(datasetId.get()));
    }
}
