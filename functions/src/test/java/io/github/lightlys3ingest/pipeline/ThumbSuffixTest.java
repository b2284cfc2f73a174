package io.github.lightlys3ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThumbSuffixTest {
    private final ThumbSuffix lightlyDefault = new ThumbSuffix(ThumbSuffix.DEFAULT);

    @Test
    void defaultTemplateKeepsFoldersAndExtension() {
        assertEquals(".lightly/thumbnails/cows/IMG_1_thumb.JPG", lightlyDefault.thumbKey("cows/IMG_1.JPG"));
        assertEquals("jpg", lightlyDefault.thumbExtension("cows/IMG_1.JPG"));
    }

    @Test
    void dotsInFolderNamesAreNotExtensions() {
        assertEquals(".lightly/thumbnails/v1.2/photo_thumb.", lightlyDefault.thumbKey("v1.2/photo"));
        assertEquals("", lightlyDefault.thumbExtension("v1.2/photo"));
    }

    @Test
    void fixedExtensionTemplateNamesItsFormat() {
        ThumbSuffix webp = new ThumbSuffix("thumbs/[filename].webp");
        assertEquals("thumbs/a/b.webp", webp.thumbKey("a/b.png"));
        assertEquals("webp", webp.thumbExtension("a/b.png"));
    }

    @Test
    void templateWithoutFilenameOrEscapingTheRootIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ThumbSuffix("thumbs/x.jpg"));
        assertThrows(IllegalArgumentException.class, () -> new ThumbSuffix("../[filename].jpg"));
        assertThrows(IllegalArgumentException.class, () -> new ThumbSuffix("/abs/[filename].jpg"));
    }

    @Test
    void aTrailingDotIsPartOfTheNameSoPicAndPicDotDiffer() {
        assertEquals(".lightly/thumbnails/pic_thumb.", lightlyDefault.thumbKey("pic"));
        assertEquals(".lightly/thumbnails/pic._thumb.", lightlyDefault.thumbKey("pic."));
    }

    @Test
    void templatesOfTheUsualShapeGiveEveryNameItsOwnKey() {
        assertTrue(lightlyDefault.injective());
        assertTrue(new ThumbSuffix("thumbs/[filename].[extension]").injective());
        assertTrue(new ThumbSuffix("t/[filename]-small.v2.[extension].png").injective());
        assertFalse(new ThumbSuffix("thumbs/[filename].jpg").injective(), "a.png and a.jpg meet");
        assertFalse(new ThumbSuffix("thumbs/[filename][extension]").injective(), "ab.c and a.bc meet");
        assertFalse(new ThumbSuffix("thumbs/[extension]/[filename]").injective());
        assertEquals(new ThumbSuffix("thumbs/[filename][extension]").thumbKey("ab.c"),
                new ThumbSuffix("thumbs/[filename][extension]").thumbKey("a.bc"));
    }

    @Test
    void aTemplateIntoTheIngestersOwnFolderIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ThumbSuffix(".lightly/ingest/records/[filename].[extension].json"));
        assertTrue(e.getMessage().contains("must not write into .lightly/ingest/"), e.getMessage());
    }
}
