package io.github.lightlys3ingest.pipeline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mark a removed object's sample carries in its customMetaData, since Lightly's API has no call that
 * deletes a sample: {@code {"s3": {"removed": true, "removedAt": "<ISO-8601>"}}}, merged into what the
 * sample has. Other fields, in {@code s3} or elsewhere, are kept.
 */
final class RemovalMark {
    static final String GROUP = "s3";
    static final String REMOVED = "removed";
    static final String REMOVED_AT = "removedAt";

    private RemovalMark() {
    }

    /** The customMetaData with the mark set. */
    static Map<String, Object> marked(Map<String, Object> customMetaData, Instant removedAt) {
        Map<String, Object> result = new LinkedHashMap<>(customMetaData);
        Map<String, Object> group = group(result);
        group.put(REMOVED, true);
        group.put(REMOVED_AT, removedAt.toString());
        result.put(GROUP, group);
        return result;
    }

    /** The customMetaData without the mark; {@code s3} goes too when nothing else is left in it. */
    static Map<String, Object> cleared(Map<String, Object> customMetaData) {
        Map<String, Object> result = new LinkedHashMap<>(customMetaData);
        if (!(result.get(GROUP) instanceof Map<?, ?>)) {
            return result;
        }
        Map<String, Object> group = group(result);
        group.remove(REMOVED);
        group.remove(REMOVED_AT);
        if (group.isEmpty()) {
            result.remove(GROUP);
        } else {
            result.put(GROUP, group);
        }
        return result;
    }

    private static Map<String, Object> group(Map<String, Object> customMetaData) {
        Map<String, Object> group = new LinkedHashMap<>();
        if (customMetaData.get(GROUP) instanceof Map<?, ?> existing) {
            existing.forEach((key, value) -> group.put(String.valueOf(key), value));
        }
        return group;
    }
}
