package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.pipeline.IngestSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
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
            description = "Thumbnail key template (default .lightly/thumbnails/[filename]_thumb.[extension])."
                    + " Env: THUMB_SUFFIX.")
    String thumbSuffix;

    @Option(names = "--max-pixels", paramLabel = "N",
            description = "Reject images with more pixels, before decoding (default 178956970). Env: MAX_PIXELS.")
    String maxPixels;

    @Option(names = "--max-object-bytes", paramLabel = "N",
            description = "Reject larger objects, before reading (default 268435456). Env: MAX_OBJECT_BYTES.")
    String maxObjectBytes;

    @Option(names = "--custom-metadata", paramLabel = "LIST",
            description = "Custom metadata sources, a comma list of key, user, tags, sidecar, exif, or none "
                    + "(default exif). Env: CUSTOM_METADATA.")
    String customMetadata;

    @Option(names = "--key-pattern", paramLabel = "PATTERN",
            description = "Names key segments for the key source, e.g. {site}/{date:datetime}/{camera}/*. "
                    + "Env: KEY_PATTERN.")
    String keyPattern;

    @Option(names = "--sidecar-file", paramLabel = "FILE|s3://bucket/key",
            description = "COCO-style custom metadata file (images[].file_name, metadata[].image_id) for the "
                    + "sidecar source, loaded once. Env: SIDECAR_FILE.")
    String sidecarFile;

    /** Settings from these options, the given datasources and, for anything not given, the environment. */
    IngestSettings settings(String input, String output, Function<String, String> env) {
        return settings(input, output, Map.of(), env);
    }

    IngestSettings settings(String input, String output, Map<String, String> more, Function<String, String> env) {
        Map<String, String> given = new HashMap<>(more);
        given.put(EnvironmentVariable.INPUT_URI.key(), input);
        given.put(EnvironmentVariable.OUTPUT_URI.key(), output);
        putIfSet(given, EnvironmentVariable.UPLOAD_MODE.key(), uploadMode);
        putIfSet(given, EnvironmentVariable.THUMB_SIZE.key(), thumbSize);
        putIfSet(given, EnvironmentVariable.THUMB_SUFFIX.key(), thumbSuffix);
        putIfSet(given, EnvironmentVariable.MAX_PIXELS.key(), maxPixels);
        putIfSet(given, EnvironmentVariable.MAX_OBJECT_BYTES.key(), maxObjectBytes);
        putIfSet(given, EnvironmentVariable.CUSTOM_METADATA.key(), customMetadata);
        putIfSet(given, EnvironmentVariable.KEY_PATTERN.key(), keyPattern);
        putIfSet(given, EnvironmentVariable.SIDECAR_FILE.key(), sidecarFile);
        try {
            return IngestSettings.parse(name -> given.containsKey(name) ? given.get(name) : env.apply(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(inOptionNames(e.getMessage()));
        }
    }

    /** Settings errors name environment variables; on the command line the options are what the user typed. */
    private static String inOptionNames(String message) {
        return message.replace(EnvironmentVariable.INPUT_URI.key(), "--input")
                .replace(EnvironmentVariable.OUTPUT_URI.key(), "--output")
                .replace(EnvironmentVariable.UPLOAD_MODE.key(), "--upload-mode")
                .replace(EnvironmentVariable.THUMB_SIZE.key(), "--thumb-size")
                .replace(EnvironmentVariable.THUMB_SUFFIX.key(), "--thumb-suffix")
                .replace(EnvironmentVariable.MAX_PIXELS.key(), "--max-pixels")
                .replace(EnvironmentVariable.MAX_OBJECT_BYTES.key(), "--max-object-bytes")
                .replace(EnvironmentVariable.LIGHTLY_DATASET_ID.key(), "--lightly-dataset-id")
                .replace(EnvironmentVariable.LIGHTLY_REQUEST_TIMEOUT.key(), "--lightly-request-timeout")
                .replace(EnvironmentVariable.CUSTOM_METADATA.key(), "--custom-metadata")
                .replace(EnvironmentVariable.KEY_PATTERN.key(), "--key-pattern")
                .replace(EnvironmentVariable.SIDECAR_FILE.key(), "--sidecar-file");
    }

    private static void putIfSet(Map<String, String> map, String name, String value) {
        if (value != null) {
            map.put(name, value);
        }
    }
}
