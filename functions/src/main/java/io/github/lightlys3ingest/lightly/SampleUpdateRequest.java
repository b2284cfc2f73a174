package io.github.lightlys3ingest.lightly;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.lightlys3ingest.image.SampleMetaData;
import java.util.Map;

/**
 * Body of {@code PUT /v1/datasets/{datasetId}/samples/{sampleId}}: the fields to replace. Every field of the
 * API's {@code SampleUpdateRequest} is optional and the file name may be left out, so a field that is null
 * here is not sent and Lightly keeps its value (customMetaData on an overwrite, for instance).
 *
 * @param thumbName      new thumbnail path, or null to keep it
 * @param exif           new EXIF tags (an empty map clears them), or null to keep them
 * @param metaData       new image statistics, or null to keep them
 * @param customMetaData the whole new customMetaData object, or null to keep it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SampleUpdateRequest(String thumbName, Map<String, Object> exif, SampleMetaData metaData,
                                  Map<String, Object> customMetaData) {

    /** An update of the customMetaData alone. */
    public static SampleUpdateRequest customMetaData(Map<String, Object> customMetaData) {
        return new SampleUpdateRequest(null, null, null, customMetaData);
    }
}
