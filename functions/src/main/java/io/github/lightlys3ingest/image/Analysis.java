package io.github.lightlys3ingest.image;

import java.util.Map;

/** The result of analysing one object: either what Lightly needs, or a rejection with a reason. */
public sealed interface Analysis {

    /**
     * A decodable image.
     *
     * @param format      detected format name (jpeg, png, gif, bmp, tiff, webp, pnm)
     * @param metaData    Lightly's statistics
     * @param exif        EXIF tags by standard name, rationals as numbers; GPS as decimal degrees; never null
     * @param orientation EXIF orientation 1..8 (1 when absent or invalid)
     * @param thumbnail   null in metadata mode
     */
    record Accepted(String format, SampleMetaData metaData, Map<String, Object> exif, int orientation,
                    Thumbnail thumbnail) implements Analysis {
    }

    /**
     * An object that does not become a sample.
     *
     * @param reason stable code
     * @param detail human-readable detail (the decoder's message for corrupt data)
     */
    record Rejected(RejectReason reason, String detail) implements Analysis {
    }
}
