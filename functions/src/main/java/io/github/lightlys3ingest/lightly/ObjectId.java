package io.github.lightlys3ingest.lightly;

import java.util.regex.Pattern;

/**
 * Lightly's ids (datasets, samples, tags) are MongoDB object ids: 24 lower-case hex characters. The one check
 * of that shape, for settings, command-line options and the API's answers alike.
 */
public final class ObjectId {
    /** The shape, as messages name it. */
    public static final String SHAPE = "24 lower-case hex characters";

    private static final Pattern PATTERN = Pattern.compile("[a-f0-9]{24}");

    private ObjectId() {
    }

    /** True when {@code id} is a Lightly object id; false for null. */
    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }
}
