package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.pipeline.IngestSettings;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that analyse images. Each defaults to the environment variable of the
 * same meaning, so the CLI and the Lambda read one configuration.
 */
final class ImageOptions {

    @Option(names = "--upload-mode", paramLabel = "MODE",
            description = "thumbnails (default) or metadata (no thumbnail, no thumbName). Env: UPLOAD_MODE.")
    String uploadMode;

    @Option(names = "--thumb-size", paramLabel = "PX",
            description = "Box the thumbnail must fit in (default 128). Env: THUMB_SIZE.")
    String thumbSize;

    @Option(names = "--thumb-suffix", paramLabel = "TEMPLATE",
            description = "Thumbnail key template (default .lightly/thumbnails/[filename]_thumb.[extension]). Env: THUMB_SUFFIX.")
    String thumbSuffix;

    @Option(names = "--max-pixels", paramLabel = "N",
            description = "Reject images with more pixels, before decoding (default 178956970). Env: MAX_PIXELS.")
    String maxPixels;

    @Option(names = "--max-object-bytes", paramLabel = "N",
            description = "Reject larger objects, before reading (default 268435456). Env: MAX_OBJECT_BYTES.")
    String maxObjectBytes;

    /** Settings from these options, the given datasources and, for anything not given, the environment. */
    IngestSettings settings(String input, String output) {
        return settings(input, output, Map.of());
    }

    IngestSettings settings(String input, String output, Map<String, String> more) {
        Map<String, String> given = new HashMap<>(more);
        given.put(IngestSettings.INPUT_URI, input);
        given.put(IngestSettings.OUTPUT_URI, output);
        putIfSet(given, IngestSettings.UPLOAD_MODE, uploadMode);
        putIfSet(given, IngestSettings.THUMB_SIZE, thumbSize);
        putIfSet(given, IngestSettings.THUMB_SUFFIX, thumbSuffix);
        putIfSet(given, IngestSettings.MAX_PIXELS, maxPixels);
        putIfSet(given, IngestSettings.MAX_OBJECT_BYTES, maxObjectBytes);
        return IngestSettings.parse(name -> given.containsKey(name) ? given.get(name) : System.getenv(name));
    }

    private static void putIfSet(Map<String, String> map, String name, String value) {
        if (value != null) {
            map.put(name, value);
        }
    }
}
