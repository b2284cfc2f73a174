package io.github.lightlys3ingest.lightly;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.lightlys3ingest.image.SampleMetaData;
import java.util.Map;

/**
 * Body of {@code POST /v1/datasets/{datasetId}/samples}: only fields the API defines.
 *
 * @param fileName  path relative to the input datasource root, with {@code /}
 * @param thumbName thumbnail path relative to the output datasource root; null in metadata mode
 * @param exif      EXIF tags
 * @param metaData  image statistics
 * @param customMetaData custom metadata (docs/custom-metadata.md); null when there is none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SampleCreateRequest(String fileName, String thumbName, Map<String, Object> exif,
                                  SampleMetaData metaData, Map<String, Object> customMetaData) {

    /** A request without custom metadata. */
    public SampleCreateRequest(String fileName, String thumbName, Map<String, Object> exif, SampleMetaData metaData) {
        this(fileName, thumbName, exif, metaData, null);
    }
}
