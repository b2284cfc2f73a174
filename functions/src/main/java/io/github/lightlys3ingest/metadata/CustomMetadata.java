package io.github.lightlys3ingest.metadata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One image's custom metadata: the {@code customMetaData} sent to Lightly, and what had to be left out.
 *
 * @param values  top-level sections (path, user, tags, sidecar, exif), only non-empty ones; empty when none
 * @param notes   one line per value or file left out, e.g. {@code sidecar img.jpg.json: not JSON (...)}
 * @param sidecar the per-image sidecar read, or null when there was none
 */
public record CustomMetadata(Map<String, Object> values, List<String> notes, SidecarVersion sidecar) {

    public static final CustomMetadata NONE = new CustomMetadata(Map.of(), List.of(), null);

    public CustomMetadata {
        // not Map.copyOf: sidecar values may be null
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        notes = List.copyOf(notes);
    }

    /** The map for the request, or null when there is nothing (the field is then left out). */
    public Map<String, Object> valuesOrNull() {
        return values.isEmpty() ? null : values;
    }

    /** The notes for the record, or null when there are none. */
    public List<String> notesOrNull() {
        return notes.isEmpty() ? null : notes;
    }
}
