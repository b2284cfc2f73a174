package io.github.lightlys3ingest.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** Builds the app as {@code cdk synth} would, from a context map, with a tiny stand-in for the functions jar. */
final class SynthFixture {

    static final String EXTERNAL_ID = "example-external-id-0123";
    static final String DATASET_ID = "0123456789abcdef01234567";

    private SynthFixture() {
    }

    /** A file the stack can package as the functions jar; its content does not matter to synthesis. */
    static Path fakeJar(Path dir) {
        try {
            Path jar = dir.resolve("lightly-s3-ingest.jar");
            if (!Files.exists(jar)) {
                Files.writeString(jar, "not a real jar");
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Context with every required setting and the given overrides (a null value removes the key). */
    static Map<String, Object> context(Path jar, Map<String, Object> overrides) {
        Map<String, Object> context = new HashMap<>();
        context.put("externalId", EXTERNAL_ID);
        context.put("lightlyDatasetId", DATASET_ID);
        context.put("inputPrefix", "projects/farm-animals/");
        context.put("outputPrefix", "lightly/farm-animals/");
        context.put("functionsJar", jar.toString());
        overrides.forEach((key, value) -> {
            if (value == null) {
                context.remove(key);
            } else {
                context.put(key, value);
            }
        });
        return context;
    }

    private static final Map<Map<String, Object>, IngestStack> SYNTHESIZED = new HashMap<>();

    /**
     * The stack defined from the required settings and {@code overrides}, as {@code cdk synth} would define it
     * (with the cdk-nag checks); defined once per JVM and overrides, since each synthesis takes seconds.
     */
    static synchronized IngestStack stack(Map<String, Object> overrides) {
        return SYNTHESIZED.computeIfAbsent(Map.copyOf(overrides), key -> {
            try {
                Path dir = Files.createTempDirectory("ingest-stack-");
                return IngestApp.define(app(dir.resolve("out"), context(fakeJar(dir), key)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static App app(Path outdir, Map<String, Object> context) {
        Map<String, Object> all = new HashMap<>(IngestApp.FEATURE_FLAGS);
        all.putAll(context);
        return new App(AppProps.builder().context(all).outdir(outdir.toString()).build());
    }
}
