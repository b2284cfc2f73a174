package io.github.lightlys3ingest.metadata;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The per-image sidecar naming rule: the sidecar of {@code site/cam3/img.jpg} is {@code site/cam3/img.jpg.json},
 * the image's full name plus {@code .json}. Keeping the image's extension keeps {@code img.jpg} and
 * {@code img.png} apart and lets a sidecar be recognised from its name alone, without a request.
 */
public final class Sidecars {
    public static final String SUFFIX = ".json";
    /** The extensions Lightly takes as images (its uploader's list, plus gif which its datasources list). */
    private static final Set<String> IMAGE_EXTENSIONS =
            Set.of("jpg", "jpeg", "png", "ppm", "bmp", "pgm", "tif", "tiff", "webp", "gif");

    private Sidecars() {
    }

    /** The sidecar key of an image key. */
    public static String sidecarOf(String imageKey) {
        return imageKey + SUFFIX;
    }

    /**
     * The image a key is the sidecar of: {@code img.jpg} for {@code img.jpg.json}; empty for any other key,
     * including JSON files that do not follow the rule (those are ingested, and rejected, like any non-image).
     */
    public static Optional<String> imageOf(String key) {
        if (!key.toLowerCase(Locale.ROOT).endsWith(SUFFIX)) {
            return Optional.empty();
        }
        String image = key.substring(0, key.length() - SUFFIX.length());
        int slash = image.lastIndexOf('/');
        int dot = image.lastIndexOf('.');
        if (dot <= slash + 1 || dot == image.length() - 1) {
            return Optional.empty();
        }
        String extension = image.substring(dot + 1).toLowerCase(Locale.ROOT);
        return IMAGE_EXTENSIONS.contains(extension) ? Optional.of(image) : Optional.empty();
    }
}
