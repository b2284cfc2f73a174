package io.github.lightlys3ingest.metadata;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks values from outside (sidecar JSON, S3 user metadata, tags) before they go to Lightly, keeping what
 * is valid and noting what is left out, so one bad value never costs the image or the other values.
 *
 * <p>Left out, with a note: names that are empty, longer than {@value #MAX_NAME} characters, start with
 * {@code $} (MongoDB, Lightly's store, refuses them) or contain {@code .} (Lightly's configuration addresses
 * fields by dot path, so such a field could never become a filter); numbers that are not finite or do not fit
 * 64 bits; text longer than {@value #MAX_TEXT} characters; arrays longer than {@value #MAX_ITEMS} items; and
 * nesting deeper than {@value #MAX_DEPTH} levels.
 */
public final class MetadataValues {
    /** Sidecar files larger than this are not read: 64 KiB, ample for per-image metadata. */
    public static final int MAX_SIDECAR_BYTES = 64 * 1024;
    static final int MAX_NAME = 128;
    static final int MAX_TEXT = 4096;
    static final int MAX_ITEMS = 256;
    static final int MAX_DEPTH = 8;

    private MetadataValues() {
    }

    /** The result of reading outside values: what may be sent, and why anything was left out. */
    public record Checked(Map<String, Object> values, List<String> notes) {
    }

    /**
     * Parses a sidecar: a JSON object of at most {@link #MAX_SIDECAR_BYTES}.
     *
     * @param origin names the file in notes, e.g. {@code sidecar img.jpg.json}
     */
    public static Checked parseSidecar(byte[] bytes, String origin) {
        if (bytes.length > MAX_SIDECAR_BYTES) {
            return new Checked(Map.of(), List.of(origin + ": larger than " + MAX_SIDECAR_BYTES + " bytes; not read"));
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            return new Checked(Map.of(), List.of(origin + ": not JSON (" + firstLine(e.getOriginalMessage())
                    + "); not used"));
        } catch (IOException e) {
            return new Checked(Map.of(), List.of(origin + ": unreadable; not used"));
        }
        if (tree == null || !tree.isObject()) {
            return new Checked(Map.of(), List.of(origin + ": must be a JSON object {...}, is "
                    + (tree == null || tree.isMissingNode() ? "empty"
                    : tree.getNodeType().name().toLowerCase(Locale.ROOT))
                    + "; not used"));
        }
        return checkObject(tree, origin);
    }

    /** Checks a JSON object's fields (a sidecar, or an entry of the COCO-style file). */
    public static Checked checkObject(JsonNode object, String origin) {
        List<String> notes = new ArrayList<>();
        Map<String, Object> values = object(object, origin, "", 1, notes);
        return new Checked(values, notes);
    }

    /** Checks string pairs (S3 user metadata, tags): only the names can be wrong. */
    public static Checked checkStrings(Map<String, String> pairs, String origin) {
        List<String> notes = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        pairs.forEach((name, value) -> {
            String problem = nameProblem(name);
            if (problem != null) {
                notes.add(origin + ": '" + name + "' " + problem + "; left out");
            } else if (value != null && value.length() > MAX_TEXT) {
                notes.add(origin + ": '" + name + "' is longer than " + MAX_TEXT + " characters; left out");
            } else {
                values.put(name, value);
            }
        });
        return new Checked(values, notes);
    }

    private static Map<String, Object> object(JsonNode node, String origin, String path, int depth,
                                              List<String> notes) {
        Map<String, Object> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String where = path.isEmpty() ? name : path + "." + name;
            String problem = nameProblem(name);
            if (problem != null) {
                notes.add(origin + ": '" + where + "' " + problem + "; left out");
                continue;
            }
            Object value = value(field.getValue(), origin, where, depth, notes);
            if (value != LEFT_OUT) {
                values.put(name, value);
            }
        }
        return values;
    }

    /** Marks a value that was left out (null is a valid JSON value). */
    private static final Object LEFT_OUT = new Object();

    private static Object value(JsonNode node, String origin, String where, int depth, List<String> notes) {
        if (node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual()) {
            if (node.textValue().length() > MAX_TEXT) {
                notes.add(origin + ": '" + where + "' is longer than " + MAX_TEXT + " characters; left out");
                return LEFT_OUT;
            }
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                notes.add(origin + ": '" + where + "' does not fit 64 bits; left out");
                return LEFT_OUT;
            }
            return node.longValue();
        }
        if (node.isNumber()) {
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                notes.add(origin + ": '" + where + "' is out of range; left out");
                return LEFT_OUT;
            }
            return value;
        }
        if (depth >= MAX_DEPTH) {
            notes.add(origin + ": '" + where + "' is nested deeper than " + MAX_DEPTH + " levels; left out");
            return LEFT_OUT;
        }
        if (node.isObject()) {
            return object(node, origin, where, depth + 1, notes);
        }
        if (node.isArray()) {
            if (node.size() > MAX_ITEMS) {
                notes.add(origin + ": '" + where + "' has more than " + MAX_ITEMS + " items; left out");
                return LEFT_OUT;
            }
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                Object item = value(node.get(i), origin, where + "[" + i + "]", depth + 1, notes);
                if (item != LEFT_OUT) {
                    items.add(item);
                }
            }
            return items;
        }
        notes.add(origin + ": '" + where + "' is not a JSON value Lightly stores; left out");
        return LEFT_OUT;
    }

    /** Why a field name cannot go to Lightly, or null when it can. */
    static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "is an empty name";
        }
        if (name.length() > MAX_NAME) {
            return "is a name longer than " + MAX_NAME + " characters";
        }
        if (name.startsWith("$")) {
            return "starts with '$', which Lightly's database refuses";
        }
        if (name.contains(".")) {
            return "contains '.', which Lightly's field paths cannot address";
        }
        if (name.chars().anyMatch(c -> c < 0x20)) {
            return "contains control characters";
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message).trim();
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
