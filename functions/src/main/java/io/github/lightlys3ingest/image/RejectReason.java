package io.github.lightlys3ingest.image;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why an object did not become a sample. The codes are stable: users filter and alert on them. */
public enum RejectReason {
    /** Zero bytes. */
    EMPTY("empty"),
    /** Content is not an image format we decode (HEIC, AVIF, RAW, PSD, SVG, text...). */
    UNSUPPORTED_FORMAT("unsupported_format"),
    /** Declared width x height above the pixel limit; rejected before any raster is allocated. */
    TOO_MANY_PIXELS("too_many_pixels"),
    /** Object larger than the byte limit; rejected before it is read. */
    TOO_LARGE("too_large"),
    /** Truncated or undecodable data. */
    CORRUPT("corrupt"),
    /** File name Lightly refuses (e.g. it contains a comma). */
    INVALID_NAME("invalid_name");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }
}
