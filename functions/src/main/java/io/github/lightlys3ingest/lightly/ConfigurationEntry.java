package io.github.lightlys3ingest.lightly;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One field of a dataset's custom metadata configuration (the API's {@code ConfigurationEntry}): Lightly shows
 * it in its UI under {@code name} and reads it from each sample's {@code customMetaData} at {@code path}.
 *
 * @param name          shown in the UI
 * @param path          dot path into {@code customMetaData}, e.g. {@code path.site}
 * @param defaultValue  used when a sample has no value; the API requires the field, null is allowed
 * @param valueDataType NUMERIC_INT, NUMERIC_FLOAT, CATEGORICAL_STRING, CATEGORICAL_BOOLEAN, CATEGORICAL_DATETIME...
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ConfigurationEntry(String name, String path, Object defaultValue, String valueDataType) {
}
