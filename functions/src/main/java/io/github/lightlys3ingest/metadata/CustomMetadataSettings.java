package io.github.lightlys3ingest.metadata;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which custom metadata sources are on, and their settings; parsed once with the rest of the configuration
 * (environment {@code CUSTOM_METADATA}, {@code KEY_PATTERN}, {@code SIDECAR_FILE}).
 *
 * @param sources     the sources switched on
 * @param keyPattern  names key segments; present exactly when {@link MetadataSource#KEY} is on
 * @param sidecarFile the COCO-style file ({@code s3://bucket/key.json} or a local path); only with
 *                    {@link MetadataSource#SIDECAR}
 */
public record CustomMetadataSettings(Set<MetadataSource> sources, Optional<KeyPattern> keyPattern,
                                     Optional<String> sidecarFile) {

    /** The default: EXIF fields only, which cost no request. */
    public static final Set<MetadataSource> DEFAULT_SOURCES = Set.of(MetadataSource.EXIF);
    public static final CustomMetadataSettings DEFAULT =
            new CustomMetadataSettings(DEFAULT_SOURCES, Optional.empty(), Optional.empty());

    public CustomMetadataSettings {
        sources = sources.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(sources));
    }

    /**
     * Checks that the settings fit together.
     *
     * @param sourcesName     the sources setting's name in messages ({@code CUSTOM_METADATA} or the option)
     * @param keyPatternName  the key pattern setting's name
     * @param sidecarFileName the sidecar file setting's name
     * @return one message per problem, naming the settings; empty when they fit
     */
    public List<String> problems(String sourcesName, String keyPatternName, String sidecarFileName) {
        List<String> problems = new ArrayList<>();
        if (has(MetadataSource.KEY) && keyPattern.isEmpty()) {
            problems.add(sourcesName + " includes key but " + keyPatternName
                    + " is not set (e.g. {site}/{date}/{camera}/*)");
        }
        if (!has(MetadataSource.KEY) && keyPattern.isPresent()) {
            problems.add(keyPatternName + " is set but " + sourcesName + " does not include key");
        }
        if (!has(MetadataSource.SIDECAR) && sidecarFile.isPresent()) {
            problems.add(sidecarFileName + " is set but " + sourcesName + " does not include sidecar");
        }
        return problems;
    }

    public boolean has(MetadataSource source) {
        return sources.contains(source);
    }

    /**
     * The fields known from configuration alone, as full paths: the key pattern's names under {@code path}
     * and the EXIF fields under {@code exif}. User metadata, tags and sidecar fields are only known from data.
     */
    public List<MetadataField> knownFields() {
        List<MetadataField> fields = new ArrayList<>();
        if (has(MetadataSource.KEY)) {
            keyPattern.ifPresent(pattern -> pattern.fields().forEach(field -> fields.add(
                    new MetadataField(MetadataSource.KEY.section() + "." + field.path(), field.type()))));
        }
        if (has(MetadataSource.EXIF)) {
            ExifFields.FIELDS.forEach(field -> fields.add(
                    new MetadataField(MetadataSource.EXIF.section() + "." + field.path(), field.type())));
        }
        return fields;
    }

    /** The sources as a comma list, in {@code CUSTOM_METADATA}'s spelling ({@code none} when empty). */
    public String sourceList() {
        List<String> codes = new ArrayList<>();
        for (MetadataSource source : MetadataSource.values()) {
            if (has(source)) {
                codes.add(source.code());
            }
        }
        return codes.isEmpty() ? "none" : String.join(",", codes);
    }
}
