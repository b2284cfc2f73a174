package io.github.lightlys3ingest.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataValuesTest {

    private static MetadataValues.Checked sidecar(String json) {
        return MetadataValues.parseSidecar(json.getBytes(StandardCharsets.UTF_8), "sidecar a.jpg.json");
    }

    @Test
    void valuesKeepTheirJsonTypes() {
        MetadataValues.Checked checked = sidecar(
                "{\"weather\":\"sunny\",\"cows\":3,\"temp\":21.5,\"annotated\":true,\"labels\":[\"cow\",2],"
                        + "\"nested\":{\"a\":null}}");
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("a", null);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("weather", "sunny");
        expected.put("cows", 3L);
        expected.put("temp", 21.5);
        expected.put("annotated", true);
        expected.put("labels", List.of("cow", 2L));
        expected.put("nested", nested);
        assertEquals(expected, checked.values());
        assertEquals(List.of(), checked.notes());
    }

    @Test
    void notJsonNotAnObjectAndTooLargeGiveANoteAndNoValues() {
        MetadataValues.Checked broken = sidecar("{\"weather\": sunny}");
        assertEquals(Map.of(), broken.values());
        assertTrue(broken.notes().get(0).startsWith("sidecar a.jpg.json: not JSON"), broken.notes().toString());

        MetadataValues.Checked array = sidecar("[1, 2]");
        assertTrue(array.notes().get(0).contains("must be a JSON object"), array.notes().toString());
        assertTrue(sidecar("").notes().get(0).contains("must be a JSON object"));

        byte[] big = ("{\"x\":\"" + "a".repeat(MetadataValues.MAX_SIDECAR_BYTES) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        MetadataValues.Checked tooLarge = MetadataValues.parseSidecar(big, "sidecar a.jpg.json");
        assertEquals(Map.of(), tooLarge.values());
        assertTrue(tooLarge.notes().get(0).contains("larger than 65536 bytes"), tooLarge.notes().toString());
    }

    @Test
    void valuesLightlyWouldRefuseAreLeftOutOneByOne() {
        MetadataValues.Checked checked = sidecar("{\"$where\":1,\"a.b\":2,\"\":3,\"huge\":1e400,"
                + "\"big\":123456789012345678901234567890,\"ok\":4,\"deep\":{\"d\":{\"d\":{\"d\":{\"d\":{\"d\":{\"d\":"
                + "{\"d\":{\"d\":1}}}}}}}}}");
        assertEquals(4L, checked.values().get("ok"));
        assertEquals(List.of("ok", "deep"), List.copyOf(checked.values().keySet()));
        String notes = String.join("\n", checked.notes());
        for (String expected : List.of("'$where' starts with '$'", "'a.b' contains '.'", "'' is an empty name",
                "'huge' is out of range", "'big' does not fit 64 bits", "nested deeper than 8")) {
            assertTrue(notes.contains(expected), expected + " in\n" + notes);
        }
    }

    @Test
    void stringPairsAreCheckedByName() {
        MetadataValues.Checked checked = MetadataValues.checkStrings(Map.of("operator", "ana", "v.2", "x"), "tags");
        assertEquals(Map.of("operator", "ana"), checked.values());
        assertEquals(List.of("tags: 'v.2' contains '.', which Lightly's field paths cannot address; left out"),
                checked.notes());
    }
}
