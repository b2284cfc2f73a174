package io.github.lightlys3ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OutputLayoutTest {

    @Test
    void filesAtAnyDepthAreInputNames() {
        assertTrue(OutputLayout.isInputName("a.jpg"));
        assertTrue(OutputLayout.isInputName("cows/kühe/b+c.jpg"));
        assertTrue(OutputLayout.isInputName("not.lightly/a.jpg"), "only a folder named exactly .lightly is ours");
        assertTrue(OutputLayout.isInputName(".lightlyish/a.jpg"));
    }

    @Test
    void folderMarkersAndTheEmptyNameAreNoInput() {
        assertFalse(OutputLayout.isInputName(""));
        assertFalse(OutputLayout.isInputName("cows/"));
        assertFalse(OutputLayout.isInputName("/"));
    }

    @Test
    void anythingInsideALightlyFolderIsOutputAtAnyDepth() {
        assertFalse(OutputLayout.isInputName(".lightly/thumbnails/a_thumb.jpg"));
        assertFalse(OutputLayout.isInputName("cows/.lightly/ingest/records/a.jpg.json"));
    }
}
