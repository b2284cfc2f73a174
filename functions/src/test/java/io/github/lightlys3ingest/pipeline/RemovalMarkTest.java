package io.github.lightlys3ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemovalMarkTest {
    private static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void markingMergesIntoWhatTheSampleHasAndClearingRestoresIt() {
        Map<String, Object> custom = Map.of("weather", "rain", "s3", Map.of("bucket", "datalake"));

        Map<String, Object> marked = RemovalMark.marked(custom, AT);

        assertEquals(Map.of("weather", "rain", "s3", Map.of("bucket", "datalake", "removed", true,
                "removedAt", "2026-11-30T10:00:00Z")), marked);
        assertEquals(custom, RemovalMark.cleared(marked));
    }

    @Test
    void clearingDropsAnEmptyGroupAndLeavesUnmarkedDataAlone() {
        assertEquals(Map.of(), RemovalMark.cleared(RemovalMark.marked(Map.of(), AT)));
        assertEquals(Map.of("s3", "not an object"), RemovalMark.cleared(Map.of("s3", "not an object")));
    }
}
