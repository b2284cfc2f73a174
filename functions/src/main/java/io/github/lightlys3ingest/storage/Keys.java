package io.github.lightlys3ingest.storage;

import java.util.Comparator;

/** Rules for datasource keys shared by the stores. */
final class Keys {
    /**
     * S3 lists keys in the order of their UTF-8 bytes, which is Unicode code point order. Java's
     * {@link String#compareTo} compares UTF-16 units and disagrees for characters outside the Basic
     * Multilingual Plane, so local listings use this comparator to match S3.
     */
    static final Comparator<String> S3_ORDER = Keys::compareCodePoints;

    private Keys() {
    }

    /**
     * Rejects keys a folder cannot represent or that would leave the root: empty, absolute, ending in
     * {@code /}, with empty, {@code .} or {@code ..} segments, or containing NUL.
     */
    static String requireRelative(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("key must not contain NUL: " + key);
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(
                        "key must be a relative path without empty, '.' or '..' segments: " + key);
            }
        }
        return key;
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
