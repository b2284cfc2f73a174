package io.github.lightlys3ingest.lightly;

import java.util.List;

/**
 * A custom metadata configuration of a dataset, as {@code GET .../configuration/metadata} lists it.
 *
 * @param id      its id
 * @param name    its name
 * @param configs its fields
 */
public record MetadataConfiguration(String id, String name, List<ConfigurationEntry> configs) {

    public MetadataConfiguration {
        configs = List.copyOf(configs);
    }
}
