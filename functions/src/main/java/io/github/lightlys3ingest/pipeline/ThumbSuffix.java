package io.github.lightlys3ingest.pipeline;

import java.util.Locale;

/**
 * Lightly's thumb-suffix template: where, relative to the output root, the thumbnail of a file goes.
 * {@code [filename]} is the file name without its extension, with its folders; {@code [extension]} is the
 * original extension. A name ending in a dot has no extension: its dot stays in {@code [filename]}, so that
 * {@code pic} and {@code pic.} get different thumbnails.
 *
 * <p>A template of the usual shape ({@link #injective()}) gives every file name its own thumbnail key. With
 * any other (no {@code [extension]}, say: {@code a.png} and {@code a.jpg} meet), the pipeline records which
 * file owns each thumbnail key and rejects later files as {@code thumbnail_collision}.
 *
 * @param template e.g. {@code .lightly/thumbnails/[filename]_thumb.[extension]}
 */
public record ThumbSuffix(String template) {

    public static final String DEFAULT = io.github.lightlys3ingest.contract.Defaults.THUMB_SUFFIX;

    public ThumbSuffix {
        if (template == null || !template.contains("[filename]")) {
            throw new IllegalArgumentException("thumb suffix must contain [filename], e.g. " + DEFAULT);
        }
        if (template.startsWith("/") || template.contains("..")) {
            throw new IllegalArgumentException("thumb suffix must be a relative path without '..': " + template);
        }
        if (template.startsWith(OutputLayout.INGEST)) {
            throw new IllegalArgumentException("thumb suffix must not write into " + OutputLayout.INGEST
                    + ", where records, rejections and claims live: " + template);
        }
    }

    /**
     * True when no two file names share a thumbnail key: {@code [filename]} and {@code [extension]} once each,
     * in that order, with a dot between them. An extension holds no dot, so the last dot of the key's middle
     * part is the template's own, which fixes where the name's stem ends.
     */
    public boolean injective() {
        int name = template.indexOf("[filename]");
        int extension = template.indexOf("[extension]");
        return name == template.lastIndexOf("[filename]") && extension > name
                && extension == template.lastIndexOf("[extension]")
                && template.substring(name + "[filename]".length(), extension).contains(".");
    }

    /** The thumbnail's key relative to the output root. */
    public String thumbKey(String fileName) {
        int dot = fileName.lastIndexOf('.');
        int slash = fileName.lastIndexOf('/');
        boolean hasExtension = dot > slash + 1 && dot < fileName.length() - 1;
        String stem = hasExtension ? fileName.substring(0, dot) : fileName;
        String extension = hasExtension ? fileName.substring(dot + 1) : "";
        return template.replace("[filename]", stem).replace("[extension]", extension);
    }

    /** The extension the thumbnail's key ends with, lower case, or "" when it has none. */
    public String thumbExtension(String fileName) {
        String key = thumbKey(fileName);
        int dot = key.lastIndexOf('.');
        return dot > key.lastIndexOf('/') ? key.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }
}
