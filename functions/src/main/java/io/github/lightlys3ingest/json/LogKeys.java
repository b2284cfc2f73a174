package io.github.lightlys3ingest.json;

/**
 * The keys of the JSON log lines the functions and the CLI write, defined once so that a key means the same in
 * every line and CloudWatch Logs Insights queries ({@code filter event = "object" and outcome = "failed"}) work
 * across them.
 */
public final class LogKeys {
    /** {@code INFO}, {@code WARN} or {@code ERROR}. */
    public static final String LEVEL = "level";
    /** What the line is about: {@link #EVENT_OBJECT}, {@link #EVENT_TAG}, {@code backfill}. */
    public static final String EVENT = "event";
    /**
     * The object's file name: its key relative to the input root, with {@code /}, as in its record. Lines about
     * keys that are no input (skipped events) carry {@link #BUCKET} and {@link #OBJECT_KEY} instead.
     */
    public static final String KEY = "key";
    /** The bucket an event named. */
    public static final String BUCKET = "bucket";
    /** The full S3 key an event named (with the input prefix), for lines about keys that are no input. */
    public static final String OBJECT_KEY = "objectKey";
    /** S3's or EventBridge's name for what happened to the object, such as {@code ObjectCreated:Put}. */
    public static final String EVENT_NAME = "eventName";
    /** How one object ended: {@code ingested}, {@code rejected}, {@code skipped}, {@code busy}, {@code failed}. */
    public static final String OUTCOME = "outcome";
    /** A rejection's stable reason code. */
    public static final String REASON = "reason";
    /** Human-readable detail: a rejection's or a failure's message. */
    public static final String DETAIL = "detail";
    /** The simple class name of the exception an object failed with. */
    public static final String ERROR = "error";
    /** The object's size in bytes. */
    public static final String BYTES = "bytes";
    /** Milliseconds per pipeline stage, as an object keyed by stage. */
    public static final String STAGE_MILLIS = "ms";
    /** The sum of {@link #STAGE_MILLIS}. */
    public static final String TOTAL_MILLIS = "totalMs";
    /** The Lightly sample id, when one was created or found. */
    public static final String SAMPLE_ID = "sampleId";
    /** What the tag step did: {@code initial}, {@code upsize} or {@code none}. */
    public static final String ACTION = "action";
    /** The name of the tag the tag step created or found. */
    public static final String TAG = "tag";
    /** The Lambda request id of the invocation that wrote the line. */
    public static final String REQUEST_ID = "requestId";
    /** The SQS message id the line's object or event came in; absent for a direct invocation. */
    public static final String MESSAGE_ID = "messageId";

    /** {@link #EVENT} of a line about one object. */
    public static final String EVENT_OBJECT = "object";
    /** {@link #EVENT} of the tag step's line. */
    public static final String EVENT_TAG = "tag";

    private LogKeys() {
    }
}
