package io.github.lightlys3ingest.contract;

import static io.github.lightlys3ingest.contract.LambdaFunction.BACKFILL;
import static io.github.lightlys3ingest.contract.LambdaFunction.INGEST;
import static io.github.lightlys3ingest.contract.LambdaFunction.TAG;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The environment variables the functions read, named as the variables themselves ({@link #key()}), with the
 * functions whose configuration reads each. The stack sets exactly these on each function; the CLI's options
 * default to the same variables. A new setting is one line here, then its value in the stack and its parsing
 * in the functions (tests on both sides fail until both are there).
 */
public enum EnvironmentVariable {
    /** Input datasource root, {@code s3://bucket/prefix/} or a folder. */
    INPUT_URI(Presence.ALWAYS, INGEST, BACKFILL, TAG),
    /** Output (LIGHTLY) datasource root. */
    OUTPUT_URI(Presence.ALWAYS, INGEST, BACKFILL, TAG),
    /** {@link UploadMode#code()}: thumbnails or metadata. */
    UPLOAD_MODE(Presence.ALWAYS, INGEST, TAG),
    /** Lightly's thumb-suffix template. */
    THUMB_SUFFIX(Presence.ALWAYS, INGEST),
    /** Box the thumbnail fits in, in pixels. */
    THUMB_SIZE(Presence.ALWAYS, INGEST),
    /** Images with more pixels are rejected before decoding. */
    MAX_PIXELS(Presence.ALWAYS, INGEST),
    /** Larger objects are rejected before reading. */
    MAX_OBJECT_BYTES(Presence.ALWAYS, INGEST),
    /** Age in seconds after which a claim on an object counts as abandoned. */
    CLAIM_LEASE_SECONDS(Presence.ALWAYS, INGEST),
    /** The Lightly dataset (24 lower-case hex characters). */
    LIGHTLY_DATASET_ID(Presence.ALWAYS, INGEST, BACKFILL, TAG),
    /** Secrets Manager secret holding the Lightly token: how the functions get it. */
    LIGHTLY_TOKEN_SECRET_ID(Presence.ALWAYS, INGEST, TAG),
    /** Seconds one Lightly call may take; {@link Defaults#LIGHTLY_REQUEST_TIMEOUT_SECONDS} when unset. */
    LIGHTLY_REQUEST_TIMEOUT(Presence.ALWAYS, INGEST, TAG),
    /** Lightly API base URL; {@link Defaults#SERVER_LOCATION} when unset. */
    LIGHTLY_SERVER_LOCATION(Presence.WHEN_CONFIGURED, INGEST, TAG),
    /** The Lightly token itself, as Lightly's own tools read it: outside Lambda only, never set by the stack. */
    LIGHTLY_TOKEN(Presence.WHEN_CONFIGURED),
    /** Custom metadata sources: a comma list of key, user, tags, sidecar, exif (or none); default exif. */
    CUSTOM_METADATA(Presence.ALWAYS, INGEST),
    /** Names key segments for the custom metadata source {@code key}, e.g. {@code {site}/{date}/*}. */
    KEY_PATTERN(Presence.WHEN_CONFIGURED, INGEST),
    /** The COCO-style custom metadata file, {@code s3://bucket/key.json} or a local path. */
    SIDECAR_FILE(Presence.WHEN_CONFIGURED, INGEST),
    /** URL of the ingestion queue the backfill sends to. */
    INGEST_QUEUE_URL(Presence.ALWAYS, BACKFILL);

    /** Whether the stack sets a variable on every function that reads it, or only when it is configured. */
    public enum Presence {
        /** Always set, to the configured value or the stack's default. */
        ALWAYS,
        /** Set only when the deployment configures it; the functions apply their default otherwise. */
        WHEN_CONFIGURED
    }

    private final Presence presence;
    private final Set<LambdaFunction> readBy;

    EnvironmentVariable(Presence presence, LambdaFunction... readBy) {
        this.presence = presence;
        Set<LambdaFunction> functions = EnumSet.noneOf(LambdaFunction.class);
        Collections.addAll(functions, readBy);
        this.readBy = Collections.unmodifiableSet(functions);
    }

    /** The variable's name in the environment. */
    public String key() {
        return name();
    }

    /** Whether the stack always sets it on the functions that read it. */
    public Presence presence() {
        return presence;
    }

    /** The functions whose configuration reads this variable. */
    public Set<LambdaFunction> readBy() {
        return readBy;
    }
}
