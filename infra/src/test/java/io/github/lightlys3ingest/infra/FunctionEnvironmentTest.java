package io.github.lightlys3ingest.infra;

import static io.github.lightlys3ingest.infra.TemplateView.properties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.contract.LambdaFunction;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Template;

/**
 * The contract between the stack and the functions: each function in the synthesized template has exactly the
 * environment variables the contract says its handler reads ({@link LambdaFunction#environment()}), nothing
 * unknown and nothing missing. The functions module tests the other half: that the handlers' settings read
 * exactly these.
 */
@SuppressWarnings("unchecked")
class FunctionEnvironmentTest {

    @TempDir
    Path dir;

    /** Context that configures every variable the stack sets only when configured. */
    private static final Map<String, Object> EVERY_OPTIONAL_SETTING = Map.of(
            "lightlyServerLocation", "https://api.example.test",
            "customMetadata", "key,sidecar,exif",
            "keyPattern", "{site}/{date}/*",
            "sidecarFile", "s3://datalake/projects/farm-animals/metadata.json");

    private TemplateView synthesize(String name, Map<String, Object> overrides) {
        var context = SynthFixture.context(SynthFixture.fakeJar(dir), overrides);
        return new TemplateView(Template.fromStack(IngestApp.define(SynthFixture.app(dir.resolve(name), context))));
    }

    /** The environment variable names of the one function running this handler. */
    private static Set<String> environmentKeys(TemplateView template, LambdaFunction function) {
        List<Map<String, Object>> found = template.resources("AWS::Lambda::Function").values().stream()
                .map(TemplateView::properties)
                .filter(p -> function.handler().equals(p.get("Handler")))
                .toList();
        assertEquals(1, found.size(), "functions running " + function.handler());
        var environment = (Map<String, Object>) found.get(0).get("Environment");
        return new TreeSet<>(((Map<String, Object>) environment.get("Variables")).keySet());
    }

    private static Set<String> keys(Set<EnvironmentVariable> variables) {
        return variables.stream().map(EnvironmentVariable::key).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyFunctionHasExactlyTheVariablesItsHandlerReadsWhenEverythingIsConfigured() {
        TemplateView template = synthesize("configured", EVERY_OPTIONAL_SETTING);
        for (LambdaFunction function : LambdaFunction.values()) {
            assertEquals(keys(function.environment()), environmentKeys(template, function), function.name());
        }
    }

    @Test
    void withDefaultsOnlyTheVariablesSetWhenConfiguredAreLeftOut() {
        TemplateView template = synthesize("defaults", Map.of());
        for (LambdaFunction function : LambdaFunction.values()) {
            Set<EnvironmentVariable> always = function.environment().stream()
                    .filter(v -> v.presence() == EnvironmentVariable.Presence.ALWAYS)
                    .collect(Collectors.toSet());
            assertEquals(keys(always), environmentKeys(template, function), function.name());
        }
    }

    @Test
    void theTemplateRunsNoHandlerOutsideTheContract() {
        TemplateView template = synthesize("handlers", Map.of());
        Set<String> contract = Set.of(LambdaFunction.values()).stream()
                .map(LambdaFunction::handler).collect(Collectors.toSet());
        for (Map<String, Object> resource : template.resources("AWS::Lambda::Function").values()) {
            String handler = (String) properties(resource).get("Handler");
            // CDK's own bucket-notification handler is Python (index.handler); ours are all Java.
            assertTrue(handler.equals("index.handler") || contract.contains(handler), handler);
        }
    }

    @Test
    void aVariableTheStackMustAlwaysSetButHasNoValueForIsABug() {
        Map<EnvironmentVariable, String> values = new EnumMap<>(EnvironmentVariable.class);
        values.put(EnvironmentVariable.INPUT_URI, "s3://b/in/");
        values.put(EnvironmentVariable.OUTPUT_URI, "s3://b/out/");
        var e = assertThrows(IllegalStateException.class,
                () -> FunctionEnvironment.of(LambdaFunction.BACKFILL, values));
        assertEquals("the stack has no value for LIGHTLY_DATASET_ID, which the backfill function reads",
                e.getMessage());
        values.put(EnvironmentVariable.LIGHTLY_DATASET_ID, "0123456789abcdef01234567");
        values.put(EnvironmentVariable.INGEST_QUEUE_URL, "https://sqs.example/q");
        values.put(EnvironmentVariable.THUMB_SIZE, "128");
        assertEquals(Map.of("INPUT_URI", "s3://b/in/", "OUTPUT_URI", "s3://b/out/",
                "LIGHTLY_DATASET_ID", "0123456789abcdef01234567", "INGEST_QUEUE_URL", "https://sqs.example/q"),
                FunctionEnvironment.of(LambdaFunction.BACKFILL, values),
                "a value for a variable the function does not read is left out");
    }
}
