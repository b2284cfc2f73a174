package io.github.lightlys3ingest.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyPatternTest {

    @Test
    void namedSegmentsAreCapturedWithTheirTypes() {
        KeyPattern pattern = KeyPattern.parse("{site}/{date:datetime}/cam{camera:int}/*");
        KeyPattern.Captures captures = pattern.match("farm-north/2024-06-01/cam3/img.jpg");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("site", "farm-north");
        expected.put("date", "2024-06-01");
        expected.put("camera", 3L);
        assertEquals(expected, captures.values());
        assertEquals(List.of(), captures.notes());
        assertEquals(List.of(new MetadataField("site", FieldType.CATEGORICAL_STRING),
                new MetadataField("date", FieldType.CATEGORICAL_DATETIME),
                new MetadataField("camera", FieldType.NUMERIC_INT)), pattern.fields());
    }

    @Test
    void aKeyOfAnotherShapeGivesNoCapturesAndANote() {
        KeyPattern pattern = KeyPattern.parse("{site}/{date}/{camera}/*");
        KeyPattern.Captures deeper = pattern.match("farm/2024-06-01/cam3/extra/img.jpg");
        assertEquals(Map.of(), deeper.values());
        assertTrue(deeper.notes().get(0).contains("does not match KEY_PATTERN"), deeper.notes().toString());
        assertEquals(Map.of(), pattern.match("img.jpg").values());
    }

    @Test
    void doubleStarTakesAnyDepthAfterTheNamedSegments() {
        KeyPattern pattern = KeyPattern.parse("{site}/**");
        assertEquals(Map.of("site", "farm"), pattern.match("farm/a/b/c.jpg").values());
        assertEquals(Map.of("site", "farm"), pattern.match("farm/c.jpg").values());
        assertEquals(Map.of(), pattern.match("c.jpg").values());
    }

    @Test
    void aValueNotOfItsTypeIsLeftOutWithANoteAndTheOthersStay() {
        KeyPattern pattern = KeyPattern.parse("{site}/{day:datetime}/{camera:int}/*");
        KeyPattern.Captures captures = pattern.match("farm/yesterday/cam3/img.jpg");
        assertEquals(Map.of("site", "farm"), captures.values());
        assertEquals(2, captures.notes().size(), captures.notes().toString());
        assertTrue(captures.notes().get(0).contains("{day}='yesterday' is not a"), captures.notes().toString());
    }

    @Test
    void textAroundPlaceholdersMustMatchLiterally() {
        KeyPattern pattern = KeyPattern.parse("site-{site}/{date}_{hour:int}/*");
        assertEquals(Map.of("site", "a.b", "date", "2024-06-01", "hour", 13L),
                pattern.match("site-a.b/2024-06-01_13/x.png").values());
        assertEquals(Map.of(), pattern.match("place-a/2024-06-01_13/x.png").values(), "regex characters are literal");
    }

    @Test
    void malformedPatternsAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> KeyPattern.parse("*/*"), "names nothing");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyPattern.parse("{a}/{a}/*")).getMessage()
                .contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyPattern.parse("{a}{b}/*")).getMessage()
                .contains("next to each other"));
        assertThrows(IllegalArgumentException.class, () -> KeyPattern.parse("**/{a}"));
        assertThrows(IllegalArgumentException.class, () -> KeyPattern.parse("/{a}/*"));
        assertThrows(IllegalArgumentException.class, () -> KeyPattern.parse("{a:money}/*"));
        assertThrows(IllegalArgumentException.class, () -> KeyPattern.parse("{a}/x*"));
        assertThrows(IllegalArgumentException.class, () -> KeyPattern.parse("{a b}/*"));
    }
}
