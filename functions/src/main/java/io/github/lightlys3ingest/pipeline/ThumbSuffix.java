package io.github.lightlys3ingest.pipeline;

import java.util.Locale;

/**
 * Lightly's thumb-suffix template: where, relative to the output root, the thumbnail of a file goes.
 * {@code [filename]} is the file name without its extension, with its folders; {@code [extension]} is the
 * original extension.
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
    }

    /** The thumbnail's key relative to the output root. */
    public String thumbKey(String fileName) {
        int dot = fileName.lastIndexOf('.');
        int slash = fileName.lastIndexOf('/');
        boolean hasExtension = dot > slash + 1;
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
