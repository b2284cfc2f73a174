package io.github.lightlys3ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
