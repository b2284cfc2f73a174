package io.github.lightlys3ingest.metadata;

import io.github.lightlys3ingest.lightly.ConfigurationEntry;
import io.github.lightlys3ingest.lightly.MetadataConfiguration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code configure-lightly} sends so that the wanted fields are in the dataset's custom metadata
 * configuration, idempotently: fields whose path any existing configuration already has are left alone (a
 * type chosen in Lightly's UI is not overridden); the others are added to this project's configuration
 * ({@value #NAME}), which is created when the dataset has none and replaced with the union otherwise.
 *
 * @param action      what to send
 * @param existingId  the id of the configuration to replace, for {@link Action#UPDATE}
 * @param entries     the whole configuration to send, for CREATE and UPDATE
 * @param added       the wanted fields not configured yet
 * @param present     the wanted fields already configured
 */
public record ConfigurationPlan(Action action, String existingId, List<ConfigurationEntry> entries,
                                List<MetadataField> added, List<MetadataField> present) {

    /** The name of the configuration this project keeps. */
    public static final String NAME = "lightly-s3-ingest";

    /** What to send. */
    public enum Action {
        /** Every wanted field is configured already. */
        NONE,
        /** POST a new configuration. */
        CREATE,
        /** PUT the existing configuration with the fields added. */
        UPDATE
    }

    /**
     * Plans the calls.
     *
     * @param wanted   fields by path; a path given twice keeps its first type
     * @param existing the dataset's configurations
     */
    public static ConfigurationPlan plan(List<MetadataField> wanted, List<MetadataConfiguration> existing) {
        Set<String> configuredPaths = new HashSet<>();
        existing.forEach(configuration -> configuration.configs().forEach(entry -> configuredPaths.add(entry.path())));
        Map<String, MetadataField> byPath = new LinkedHashMap<>();
        wanted.forEach(field -> byPath.putIfAbsent(field.path(), field));
        List<MetadataField> added = new ArrayList<>();
        List<MetadataField> present = new ArrayList<>();
        for (MetadataField field : byPath.values()) {
            (configuredPaths.contains(field.path()) ? present : added).add(field);
        }
        Optional<MetadataConfiguration> ours = existing.stream().filter(c -> NAME.equals(c.name())).findFirst();
        if (added.isEmpty()) {
            return new ConfigurationPlan(Action.NONE, ours.map(MetadataConfiguration::id).orElse(null), List.of(),
                    List.of(), present);
        }
        List<ConfigurationEntry> entries = new ArrayList<>(ours.map(MetadataConfiguration::configs).orElse(List.of()));
        added.forEach(field -> entries.add(entry(field)));
        return new ConfigurationPlan(ours.isPresent() ? Action.UPDATE : Action.CREATE,
                ours.map(MetadataConfiguration::id).orElse(null), List.copyOf(entries), List.copyOf(added),
                List.copyOf(present));
    }

    /** The API entry of a field: shown under its path, no default value. */
    public static ConfigurationEntry entry(MetadataField field) {
        return new ConfigurationEntry(field.path(), field.path(), null, field.type().name());
    }
}
