package io.github.lightlys3ingest.metadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Infers fields and their types from the {@code customMetaData} of ingested samples (as their records hold
 * it): every leaf that is a number, boolean or text becomes a field at its dot path. A field seen as an int
 * and as a float is a float; seen with any other two types it is text. Arrays and nulls are no fields.
 */
public final class FieldInference {
    private final Map<String, FieldType> types = new LinkedHashMap<>();

    /** Takes in one sample's customMetaData. */
    public void observe(Map<String, Object> customMetaData) {
        if (customMetaData != null) {
            walk("", customMetaData);
        }
    }

    /** The fields seen so far, in the order first seen. */
    public List<MetadataField> fields() {
        List<MetadataField> fields = new ArrayList<>();
        types.forEach((path, type) -> fields.add(new MetadataField(path, type)));
        return fields;
    }

    private void walk(String prefix, Map<?, ?> object) {
        object.forEach((name, value) -> {
            String path = prefix + name;
            if (value instanceof Map<?, ?> nested) {
                walk(path + ".", nested);
                return;
            }
            FieldType type = FieldType.of(value);
            if (type != null) {
                types.merge(path, type, FieldType::merge);
            }
        });
    }
}
