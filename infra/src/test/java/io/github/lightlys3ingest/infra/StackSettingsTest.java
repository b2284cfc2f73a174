package io.github.lightlys3ingest.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackSettingsTest {

    @TempDir
    Path dir;

    private StackSettings parse(Map<String, Object> overrides) {
        return StackSettings.fromContext(SynthFixture.context(SynthFixture.fakeJar(dir), overrides)::get);
    }

    private InvalidSettingsException failure(Map<String, Object> overrides) {
        return assertThrows(InvalidSettingsException.class, () -> parse(overrides));
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Test
    void defaultsApplyWhenOnlyRequiredSettingsAreGiven() {
        StackSettings settings = parse(Map.of());
        assertEquals("LightlyS3Ingest", settings.stackName());
        assertEquals("311530292373", settings.lightlyAccountId());
        assertEquals("Lightly-S3-Integration", settings.roleName());
        assertEquals(1769, settings.functionMemoryMb());
        assertEquals(120, settings.functionTimeoutSeconds());
        assertEquals(8, settings.maxConcurrency());
        assertEquals("rate(15 minutes)", settings.tagSchedule());
        assertEquals(UploadMode.THUMBNAILS, settings.uploadMode());
        assertEquals(128, settings.thumbSize());
        assertEquals(".lightly/thumbnails/[filename]_thumb.[extension]", settings.thumbSuffix());
        assertEquals("lightly-s3-ingest/lightly-token", settings.lightlyTokenSecretName());
        assertFalse(settings.createIamUser());
        assertEquals(Optional.empty(), settings.input().existingBucket());
        assertEquals(Optional.empty(), settings.lightlyServerLocation());
    }

    @Test
    void contextValuesFromCdkJsonMayBeTypedNotJustStrings() {
        StackSettings settings = parse(map("functionMemory", 2048, "createIamUser", true, "maxConcurrency", 4));
        assertEquals(2048, settings.functionMemoryMb());
        assertTrue(settings.createIamUser());
        assertEquals(4, settings.maxConcurrency());
    }

    @Test
    void missingExternalIdAndDatasetIdAreBothReported() {
        var e = failure(map("externalId", null, "lightlyDatasetId", null));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("externalId: is required (pass -c externalId=...)"), e.getMessage());
        assertTrue(e.getMessage().contains("lightlyDatasetId: is required"), e.getMessage());
    }

    @Test
    void shortExternalIdIsRejectedWithoutEchoingIt() {
        var e = failure(map("externalId", "short-id"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("externalId: the given value must be at least 10 characters"), e.getMessage());
        assertFalse(e.getMessage().contains("short-id"), "the external id must not be echoed");
    }

    @Test
    void externalIdWithCharacterOutsideLightlysAlphabetIsRejected() {
        var e = failure(map("externalId", "has a space in it"));
        assertTrue(e.problems().get(0).startsWith("externalId:"), e.getMessage());
    }

    @Test
    void externalIdUsingEveryAllowedPunctuationIsAccepted() {
        assertEquals("aZ09_+=,.@:/-", parse(map("externalId", "aZ09_+=,.@:/-")).externalId());
    }

    @Test
    void outputRootInsideInputRootOfTheSameBucketIsRefusedAsALoop() {
        var e = failure(map("inputBucket", "datalake", "outputBucket", "datalake",
                "inputPrefix", "projects/", "outputPrefix", "projects/lightly/"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("recursive loop"), e.getMessage());
    }

    @Test
    void inputRootInsideOutputRootOfTheSameBucketIsRefused() {
        var e = failure(map("inputBucket", "datalake", "outputBucket", "datalake",
                "inputPrefix", "lightly/images/", "outputPrefix", "lightly/"));
        assertTrue(e.getMessage().contains("lie inside one another"), e.getMessage());
    }

    @Test
    void bucketRootAsInputWithOutputInTheSameBucketIsRefused() {
        var e = failure(map("inputBucket", "datalake", "outputBucket", "datalake", "inputPrefix", ""));
        assertTrue(e.getMessage().contains("recursive loop"), e.getMessage());
    }

    @Test
    void disjointPrefixesInOneExistingBucketAreAccepted() {
        StackSettings settings = parse(map("inputBucket", "datalake", "outputBucket", "datalake"));
        assertTrue(settings.input().sharesBucketWith(settings.output()));
        assertFalse(settings.input().overlaps(settings.output()));
    }

    @Test
    void siblingPrefixSharingALeadingStringIsNotMistakenForNesting() {
        // "projects/farm" must not be treated as containing "projects/farm-animals/".
        StackSettings settings = parse(map("inputBucket", "datalake", "outputBucket", "datalake",
                "inputPrefix", "projects/farm", "outputPrefix", "projects/farm-animals"));
        assertEquals("projects/farm/", settings.input().prefix());
        assertEquals("projects/farm-animals/", settings.output().prefix());
    }

    @Test
    void prefixWithLeadingSlashOrS3UriIsRejected() {
        var e = failure(map("inputPrefix", "/projects/", "outputPrefix", "s3://datalake/out/"));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("inputPrefix:"), e.getMessage());
        assertTrue(e.problems().get(1).startsWith("outputPrefix:"), e.getMessage());
    }

    @Test
    void invalidBucketNameIsRejected() {
        var e = failure(map("inputBucket", "s3://Data_Lake"));
        assertTrue(e.getMessage().contains("inputBucket: 's3://Data_Lake' is not a valid S3 bucket name"), e.getMessage());
    }

    @Test
    void missingFunctionsJarSaysToRunMvnPackage() {
        var e = failure(map("functionsJar", dir.resolve("absent.jar").toString()));
        assertTrue(e.getMessage().contains("does not exist; run `mvn package` first"), e.getMessage());
    }

    @Test
    void maxConcurrencyBelowLambdasMinimumOfTwoIsRejected() {
        var e = failure(map("maxConcurrency", "1"));
        assertTrue(e.getMessage().contains("maxConcurrency: 1 is out of range; allowed 2 to 1000"), e.getMessage());
    }

    @Test
    void everyMistakeIsListedInOneFailure() {
        var e = failure(map("externalId", null, "lightlyDatasetId", "not-hex", "uploadMode", "pictures",
                "functionTimeout", "2m", "createIamUser", "yes", "tagSchedule", "every 5 minutes",
                "lightlyAccountId", "1234", "maxPixels", "-5", "thumbSuffix", "thumb.png",
                "lightlyServerLocation", "api.lightly.ai"));
        assertEquals(10, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith("Invalid CDK context (10 problems;"), e.getMessage());
    }

    @Test
    void lightlysNewerAccountIdAndMetadataModeCanBeChosen() {
        StackSettings settings = parse(map("lightlyAccountId", "916419735646", "uploadMode", "METADATA",
                "lightlyServerLocation", "https://api.example.test"));
        assertEquals("916419735646", settings.lightlyAccountId());
        assertEquals("metadata", settings.uploadMode().environmentValue());
        assertEquals(Optional.of("https://api.example.test"), settings.lightlyServerLocation());
    }
}
