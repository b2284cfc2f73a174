package io.github.lightlys3ingest.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ObjectInfoTest {

    @Test
    void eTagsFromHeadersListingsAndEventsNormaliseToTheSameValue() {
        String bare = "9b2cf535f27731c974343645a3985328";
        assertEquals(bare, ObjectInfo.normalizeETag("\"" + bare + "\""));
        assertEquals(bare, ObjectInfo.normalizeETag(bare));
        assertEquals(bare + "-3", ObjectInfo.normalizeETag("\"" + bare + "-3\""));
    }

    @Test
    void absentOrEmptyETagsBecomeNull() {
        assertNull(ObjectInfo.normalizeETag(null));
        assertNull(ObjectInfo.normalizeETag(""));
        assertNull(ObjectInfo.normalizeETag("\"\""));
    }

    @Test
    void aLoneQuoteIsKeptRatherThanCutInHalf() {
        assertEquals("\"", ObjectInfo.normalizeETag("\""));
    }
}
