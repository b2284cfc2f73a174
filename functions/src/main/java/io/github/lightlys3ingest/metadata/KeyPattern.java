package io.github.lightlys3ingest.metadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names segments of an object key ({@code KEY_PATTERN}), matched against the file name relative to the input
 * root. Segments are separated by {@code /}; each is {@code *} (any one segment), {@code **} (one or more
 * segments, last only) or text with placeholders {@code {name}} or {@code {name:type}} (type int, float,
 * bool, datetime or string, the default). {@code {site}/{date:datetime}/cam{camera:int}/*} matches
 * {@code farm-north/2024-06-01/cam3/img.jpg} giving {@code site="farm-north", date="2024-06-01", camera=3}.
 *
 * @param text   the pattern as given
 * @param fields the placeholders in order, with their types
 * @param regex  the pattern as a regular expression, one group per placeholder
 */
public record KeyPattern(String text, List<MetadataField> fields, Pattern regex) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

    /** The captures of one key, and why some could not be taken. */
    public record Captures(Map<String, Object> values, List<String> notes) {
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static KeyPattern parse(String text) {
        String[] segments = text.split("/", -1);
        StringBuilder regex = new StringBuilder("^");
        List<MetadataField> fields = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (i > 0) {
                regex.append('/');
            }
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' has an empty segment (no leading, trailing or "
                        + "double '/')");
            }
            if (segment.equals("**")) {
                if (i != segments.length - 1) {
                    throw new IllegalArgumentException("'" + text + "': '**' may only be the last segment");
                }
                regex.append(".+");
                continue;
            }
            if (segment.equals("*")) {
                regex.append("[^/]+");
                continue;
            }
            Matcher placeholder = PLACEHOLDER.matcher(segment);
            int last = 0;
            boolean previousWasPlaceholder = false;
            while (placeholder.find()) {
                if (placeholder.start() == last && previousWasPlaceholder) {
                    throw new IllegalArgumentException("'" + text + "': two placeholders next to each other cannot be "
                            + "told apart; put text between them");
                }
                regex.append(literal(text, segment.substring(last, placeholder.start())));
                MetadataField field = field(text, placeholder.group(1));
                if (!names.add(field.path())) {
                    throw new IllegalArgumentException("'" + text + "' names {" + field.path() + "} twice");
                }
                fields.add(field);
                regex.append("([^/]+?)");
                last = placeholder.end();
                previousWasPlaceholder = true;
            }
            String rest = segment.substring(last);
            regex.append(literal(text, rest));
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' names no segment; use placeholders such as "
                    + "{site}/{date}/{camera}/*");
        }
        return new KeyPattern(text, List.copyOf(fields), Pattern.compile(regex.append('$').toString()));
    }

    /** The named values of a key, typed; a key that does not match gives none and a note. */
    public Captures match(String fileName) {
        Matcher matcher = regex.matcher(fileName);
        if (!matcher.matches()) {
            return new Captures(Map.of(), List.of("key does not match KEY_PATTERN '" + text + "'"));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            MetadataField field = fields.get(i);
            String raw = matcher.group(i + 1);
            Object value = convert(raw, field.type());
            if (value == null) {
                notes.add("key segment {" + field.path() + "}='" + raw + "' is not a "
                        + field.type().name().toLowerCase(Locale.ROOT) + "; left out");
            } else {
                values.put(field.path(), value);
            }
        }
        return new Captures(values, notes);
    }

    private static Object convert(String raw, FieldType type) {
        try {
            return switch (type) {
                case NUMERIC_INT -> Long.parseLong(raw);
                case NUMERIC_FLOAT -> {
                    double value = Double.parseDouble(raw);
                    yield Double.isFinite(value) && !raw.matches(".*[a-zA-Z].*") ? value : null;
                }
                case CATEGORICAL_BOOLEAN -> raw.equalsIgnoreCase("true") ? Boolean.TRUE
                        : raw.equalsIgnoreCase("false") ? Boolean.FALSE : null;
                case CATEGORICAL_DATETIME -> FieldType.isDateTime(raw) ? raw : null;
                case CATEGORICAL_STRING -> raw;
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static MetadataField field(String text, String placeholder) {
        int colon = placeholder.indexOf(':');
        String name = colon < 0 ? placeholder : placeholder.substring(0, colon);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + text + "': {" + placeholder + "} must be {name} or {name:type}, "
                    + "the name of letters, digits, '_' and '-'");
        }
        FieldType type = colon < 0 ? FieldType.CATEGORICAL_STRING : FieldType.parse(placeholder.substring(colon + 1));
        return new MetadataField(name, type);
    }

    private static String literal(String text, String part) {
        if (part.contains("{") || part.contains("}") || part.contains("*")) {
            throw new IllegalArgumentException("'" + text + "': '" + part + "' has a stray '{', '}' or '*'; "
                    + "'*' must be a whole segment");
        }
        return part.isEmpty() ? "" : Pattern.quote(part);
    }
}
