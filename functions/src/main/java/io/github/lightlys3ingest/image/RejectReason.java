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
    /**
     * File name Lightly refuses (it contains a comma), or that the output datasource cannot hold as it is
     * (too long, {@code .}/{@code ..}/empty segments on a folder, blocked by another object's files).
     */
    INVALID_NAME("invalid_name"),
    /** Its thumbnail key already belongs to another file (thumb-suffix templates that let two names meet). */
    THUMBNAIL_COLLISION("thumbnail_collision"),
    /** A local input file that is a symbolic link to something outside the input folder. */
    OUTSIDE_INPUT("outside_input");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }
}
