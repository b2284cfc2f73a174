package io.github.lightlys3ingest.metadata;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How Lightly interprets a custom metadata field: the values of the API's {@code ConfigurationValueDataType}
 * this project registers. Numbers become ranges, everything else categories.
 */
public enum FieldType {
    NUMERIC_INT,
    NUMERIC_FLOAT,
    CATEGORICAL_STRING,
    CATEGORICAL_BOOLEAN,
    /** ISO-8601 text: a date ({@code 2024-06-01}) or a date and time, with or without offset. */
    CATEGORICAL_DATETIME;

    /**
     * The type of one JSON value as the metadata holds it; null for values that are no field (objects,
     * arrays, null).
     */
    public static FieldType of(Object value) {
        if (value instanceof Boolean) {
            return CATEGORICAL_BOOLEAN;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof java.math.BigInteger) {
            return NUMERIC_INT;
        }
        if (value instanceof Number) {
            return NUMERIC_FLOAT;
        }
        if (value instanceof String text) {
            return isDateTime(text) ? CATEGORICAL_DATETIME : CATEGORICAL_STRING;
        }
        return null;
    }

    /** The type two observations of one field agree on: ints and floats make floats; else strings. */
    public FieldType merge(FieldType other) {
        if (other == null || other == this) {
            return this;
        }
        if ((this == NUMERIC_INT || this == NUMERIC_FLOAT) && (other == NUMERIC_INT || other == NUMERIC_FLOAT)) {
            return NUMERIC_FLOAT;
        }
        return CATEGORICAL_STRING;
    }

    /**
     * Parses a type as written in {@code --field path:TYPE}: the API name, or a short one (int, float,
     * string, bool, datetime).
     */
    public static FieldType parse(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT);
        switch (name) {
            case "INT":
                return NUMERIC_INT;
            case "FLOAT":
                return NUMERIC_FLOAT;
            case "STRING":
                return CATEGORICAL_STRING;
            case "BOOL":
            case "BOOLEAN":
                return CATEGORICAL_BOOLEAN;
            case "DATETIME":
            case "DATE":
                return CATEGORICAL_DATETIME;
            default:
                try {
                    return valueOf(name);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown type '" + text + "'; use int, float, string, bool, "
                            + "datetime (or NUMERIC_INT, NUMERIC_FLOAT, CATEGORICAL_STRING, CATEGORICAL_BOOLEAN, "
                            + "CATEGORICAL_DATETIME)");
                }
        }
    }

    /** True for ISO-8601 dates and date-times, the text this project writes for {@link #CATEGORICAL_DATETIME}. */
    public static boolean isDateTime(String text) {
        if (text.length() < 10 || text.length() > 40 || !Character.isDigit(text.charAt(0))) {
            return false;
        }
        try {
            LocalDate.parse(text);
            return true;
        } catch (DateTimeParseException notDate) {
            try {
                LocalDateTime.parse(text);
                return true;
            } catch (DateTimeParseException notLocal) {
                try {
                    OffsetDateTime.parse(text);
                    return true;
                } catch (DateTimeParseException notOffset) {
                    return false;
                }
            }
        }
    }
}
