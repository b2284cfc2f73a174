package io.github.lightlys3ingest.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.lightlys3ingest.lightly.ConfigurationEntry;
import io.github.lightlys3ingest.lightly.MetadataConfiguration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationPlanTest {
    private static final MetadataField SITE = new MetadataField("path.site", FieldType.CATEGORICAL_STRING);
    private static final MetadataField MAKE = new MetadataField("exif.make", FieldType.CATEGORICAL_STRING);

    @Test
    void aDatasetWithoutConfigurationGetsOneWithEveryField() {
        ConfigurationPlan plan = ConfigurationPlan.plan(List.of(SITE, MAKE, SITE), List.of());
        assertEquals(ConfigurationPlan.Action.CREATE, plan.action());
        assertEquals(List.of(new ConfigurationEntry("path.site", "path.site", null, "CATEGORICAL_STRING"),
                new ConfigurationEntry("exif.make", "exif.make", null, "CATEGORICAL_STRING")), plan.entries());
    }

    @Test
    void configuredPathsAreKeptAsTheyAreAndOurConfigurationGrows() {
        MetadataConfiguration theirs = new MetadataConfiguration("a".repeat(24), "from the UI",
                List.of(new ConfigurationEntry("Site", "path.site", "unknown", "CATEGORICAL_STRING")));
        MetadataConfiguration ours = new MetadataConfiguration("b".repeat(24), ConfigurationPlan.NAME,
                List.of(new ConfigurationEntry("exif.model", "exif.model", null, "CATEGORICAL_STRING")));
        ConfigurationPlan plan = ConfigurationPlan.plan(List.of(SITE, MAKE), List.of(theirs, ours));
        assertEquals(ConfigurationPlan.Action.UPDATE, plan.action());
        assertEquals("b".repeat(24), plan.existingId());
        assertEquals(List.of("exif.model", "exif.make"),
                plan.entries().stream().map(ConfigurationEntry::path).toList());
        assertEquals(List.of(SITE), plan.present());

        ConfigurationPlan again = ConfigurationPlan.plan(List.of(SITE),
                List.of(theirs, new MetadataConfiguration(ours.id(), ours.name(), plan.entries())));
        assertEquals(ConfigurationPlan.Action.NONE, again.action());
    }

    @Test
    void inferenceTypesLeavesAndMergesDisagreements() {
        FieldInference inference = new FieldInference();
        inference.observe(Map.of("sidecar", Map.of("cows", 3, "temp", 20, "sunny", true, "seen", "2024-06-01",
                "labels", List.of("a"))));
        inference.observe(Map.of("sidecar", Map.of("temp", 20.5, "sunny", "maybe")));
        Map<String, FieldType> types = new java.util.TreeMap<>();
        inference.fields().forEach(field -> types.put(field.path(), field.type()));
        assertEquals(Map.of("sidecar.cows", FieldType.NUMERIC_INT, "sidecar.temp", FieldType.NUMERIC_FLOAT,
                "sidecar.sunny", FieldType.CATEGORICAL_STRING, "sidecar.seen", FieldType.CATEGORICAL_DATETIME), types);
    }
}
