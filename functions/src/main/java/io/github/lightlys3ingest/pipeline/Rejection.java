package io.github.lightlys3ingest.pipeline;

import io.github.lightlys3ingest.image.RejectReason;
import java.time.Instant;

/**
 * An object that did not become a sample ({@code .lightly/ingest/rejected/<fileName>.json}).
 *
 * @param fileName   path relative to the input root
 * @param source     the object and version looked at
 * @param reason     stable code
 * @param detail     human-readable explanation
 * @param rejectedAt when the rejection was written
 */
public record Rejection(String fileName, SourceRef source, RejectReason reason, String detail, Instant rejectedAt) {
}
