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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SampleCreateRequest(String fileName, String thumbName, Map<String, Object> exif,
                                  SampleMetaData metaData) {
}
