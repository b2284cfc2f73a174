package io.github.lightlys3ingest.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthesis refuses bad context before defining any resource, with a message naming each mistake. */
class IngestAppTest {

    @TempDir
    Path dir;

    private InvalidSettingsException synthFailure(Map<String, Object> overrides) {
        var context = SynthFixture.context(SynthFixture.fakeJar(dir), overrides);
        var app = SynthFixture.app(dir.resolve("out"), context);
        var e = assertThrows(InvalidSettingsException.class, () -> IngestApp.define(app));
        assertTrue(app.getNode().getChildren().isEmpty(), "no stack is defined from invalid settings");
        return e;
    }

    private static Map<String, Object> without(String key) {
        var map = new HashMap<String, Object>();
        map.put(key, null);
        return map;
    }

    @Test
    void synthWithoutExternalIdFailsNamingTheKey() {
        var e = synthFailure(without("externalId"));
        assertEquals(1, e.problems().size());
        assertTrue(e.getMessage().contains("externalId: is required"), e.getMessage());
    }

    @Test
    void synthWithTooShortExternalIdFails() {
        var e = synthFailure(Map.of("externalId", "abc"));
        assertTrue(e.getMessage().contains("externalId: the given value must be at least 10 characters"),
                e.getMessage());
    }

    @Test
    void synthWithOutputInsideInputFailsAsARecursiveLoop() {
        var e = synthFailure(Map.of("inputBucket", "datalake", "outputBucket", "datalake",
                "inputPrefix", "projects/farm-animals/", "outputPrefix", "projects/farm-animals/lightly/"));
        assertTrue(e.getMessage().contains("outputPrefix:") && e.getMessage().contains("recursive loop"),
                e.getMessage());
    }

    @Test
    void synthWithoutTheFunctionsJarAsksForMvnPackage() {
        var e = synthFailure(Map.of("functionsJar", dir.resolve("missing/lightly-s3-ingest.jar").toString()));
        assertTrue(e.getMessage().contains("run `mvn package` first"), e.getMessage());
    }

    @Test
    void synthWithBadAlarmAndKmsSettingsListsEveryMistakeAndDefinesNothing() {
        var e = synthFailure(Map.of("alarmEmail", "not-an-address", "maxMessageAgeSeconds", "60",
                "inputKmsKeyArn", "alias/datalake", "outputBucket", "datalake",
                "outputKmsKeyArn", "arn:aws:kms:eu-west-1:111122223333:alias/out", "bucketEncryption", "sse"));
        assertEquals(5, e.problems().size(), e.getMessage());
        for (String key : new String[] {"alarmEmail:", "maxMessageAgeSeconds:", "inputKmsKeyArn:", "outputKmsKeyArn:",
                "bucketEncryption:"}) {
            assertTrue(e.getMessage().contains(key), key + " in " + e.getMessage());
        }
    }

    @Test
    void synthWithAMisspeltKeyFailsNamingTheValidOne() {
        var e = synthFailure(Map.of("inputprefix", "projects/cows/"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("inputprefix: is not a setting; did you mean inputPrefix?"), e.getMessage());
    }
}
