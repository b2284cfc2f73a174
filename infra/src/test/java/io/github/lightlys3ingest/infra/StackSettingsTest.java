package io.github.lightlys3ingest.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lightlys3ingest.contract.UploadMode;
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
        return StackSettings.fromContext(SynthFixture.context(SynthFixture.fakeJar(dir), overrides));
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
        assertEquals("916419735646", settings.lightlyAccountId(), "the account Lightly's docs give since July 2022");
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
        assertTrue(e.getMessage().contains("externalId: the given value must be at least 10 characters"),
                e.getMessage());
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
        assertTrue(e.getMessage().contains("inputBucket: 's3://Data_Lake' is not a valid S3 bucket name"),
                e.getMessage());
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
    void lightlysOlderAccountIdAndMetadataModeCanBeChosen() {
        StackSettings settings = parse(map("lightlyAccountId", "311530292373", "uploadMode", "METADATA",
                "lightlyServerLocation", "https://api.example.test"));
        assertEquals("311530292373", settings.lightlyAccountId());
        assertEquals("metadata", settings.uploadMode().code());
        assertEquals(Optional.of("https://api.example.test"), settings.lightlyServerLocation());
    }

    // --- alarms ---

    @Test
    void alarmsNotifyNobodyByDefaultAndTheQueueAgeThresholdIsAnHour() {
        StackSettings settings = parse(Map.of());
        assertEquals(Optional.empty(), settings.alarmEmail());
        assertEquals(3600, settings.maxMessageAgeSeconds());
    }

    @Test
    void alarmEmailAndQueueAgeThresholdAreRead() {
        StackSettings settings = parse(map("alarmEmail", "ops+lightly@example.co.uk", "maxMessageAgeSeconds", 7200));
        assertEquals(Optional.of("ops+lightly@example.co.uk"), settings.alarmEmail());
        assertEquals(7200, settings.maxMessageAgeSeconds());
    }

    @Test
    void alarmEmailWithoutDomainAndQueueAgeBeyondTheQueuesRetentionAreRejected() {
        var e = failure(map("alarmEmail", "ops@localhost", "maxMessageAgeSeconds", "345600"));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("alarmEmail: 'ops@localhost' is not an e-mail address"), e.getMessage());
        assertTrue(e.getMessage().contains("maxMessageAgeSeconds: 345600 is out of range; allowed 300 to 259200"),
                e.getMessage());
    }

    // --- KMS ---

    private static final String KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void bucketsAreSseS3WithoutKeysByDefault() {
        StackSettings settings = parse(Map.of());
        assertEquals(CreatedBucketEncryption.S3, settings.bucketEncryption());
        assertEquals(Optional.empty(), settings.inputKmsKeyArn());
        assertEquals(Optional.empty(), settings.outputKmsKeyArn());
    }

    @Test
    void keysOfExistingBucketsIncludingMultiRegionKeysAreRead() {
        String multiRegion = "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef";
        StackSettings settings = parse(map("inputBucket", "datalake", "outputBucket", "datalake",
                "inputKmsKeyArn", KEY, "outputKmsKeyArn", multiRegion));
        assertEquals(Optional.of(KEY), settings.inputKmsKeyArn());
        assertEquals(Optional.of(multiRegion), settings.outputKmsKeyArn());
    }

    @Test
    void anExistingInputWithAKeyAndACreatedOutputUnderTheStackKeyCanBeCombined() {
        StackSettings settings = parse(map("inputBucket", "datalake", "inputKmsKeyArn", KEY,
                "bucketEncryption", "KMS"));
        assertEquals(CreatedBucketEncryption.KMS, settings.bucketEncryption());
        assertEquals(Optional.of(KEY), settings.inputKmsKeyArn());
    }

    @Test
    void anAliasArnIsRefusedWithHowToFindTheKeyArn() {
        var e = failure(map("inputBucket", "datalake",
                "inputKmsKeyArn", "arn:aws:kms:eu-west-1:111122223333:alias/datalake"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("inputKmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:alias/datalake' is an "
                + "alias ARN; give the key ARN"), e.getMessage());
        assertTrue(e.getMessage().contains("aws kms describe-key"), e.getMessage());
    }

    @Test
    void aKeyIdOrMalformedArnIsRefused() {
        var e = failure(map("inputBucket", "datalake", "outputBucket", "datalake",
                "inputKmsKeyArn", "1234abcd-12ab-34cd-56ef-1234567890ab",
                "outputKmsKeyArn", "arn:aws:kms:eu-west-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("inputKmsKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' is not a "
                + "KMS key ARN"), e.getMessage());
        assertTrue(e.problems().get(1).startsWith("outputKmsKeyArn:"), e.getMessage());
    }

    @Test
    void aKeyForABucketTheStackCreatesIsRefused() {
        var e = failure(map("outputKmsKeyArn", KEY));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("outputKmsKeyArn: names the key of an existing bucket, but the stack "
                + "creates this bucket (no outputBucket)"), e.getMessage());
    }

    @Test
    void bucketEncryptionKmsWithoutACreatedBucketOrAnUnknownValueIsRefused() {
        var both = failure(map("inputBucket", "a-lake", "outputBucket", "b-lake", "bucketEncryption", "kms"));
        assertTrue(both.getMessage().contains("bucketEncryption: kms applies to buckets the stack creates"),
                both.getMessage());
        var unknown = failure(map("bucketEncryption", "aes"));
        assertTrue(unknown.getMessage().contains("bucketEncryption: 'aes' must be s3"), unknown.getMessage());
    }

    @Test
    void misspeltKeyFailsNamingTheNearestSetting() {
        var e = failure(map("inputprefix", "projects/cows/"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals("inputprefix: is not a setting; did you mean inputPrefix?", e.problems().get(0));
    }

    @Test
    void unknownKeysAreReportedTogetherWithTheOtherMistakes() {
        var e = failure(map("externalId", null, "lightlyDataset", "0123456789abcdef01234567",
                "functionMemoryMb", "2048", "thumbSize", "huge"));
        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.problems().contains("lightlyDataset: is not a setting; did you mean lightlyDatasetId?"),
                e.getMessage());
        assertTrue(e.problems().contains("functionMemoryMb: is not a setting; did you mean functionMemory?"),
                e.getMessage());
        assertTrue(e.getMessage().contains("externalId: is required"), e.getMessage());
        assertTrue(e.getMessage().contains("thumbSize: 'huge' is not a whole number"), e.getMessage());
    }

    @Test
    void cdksOwnContextKeysAreNotSettings() {
        StackSettings settings = parse(map("aws:cdk:enable-path-metadata", true,
                "@aws-cdk/core:newStyleStackSynthesis", true,
                "availability-zones:account=123456789012:region=eu-central-1", "[]",
                "acknowledged-issue-numbers", "[]"));
        assertEquals("LightlyS3Ingest", settings.stackName());
    }

    @Test
    void customMetadataDefaultsToExifWithoutKeyPattern() {
        StackSettings settings = parse(Map.of());
        assertEquals("exif", settings.customMetadata());
        assertEquals(Optional.empty(), settings.keyPattern());
        assertFalse(settings.readsObjectTags());
        StackSettings all = parse(map("customMetadata", "key,user,tags,sidecar,exif", "keyPattern", "{site}/{date}/*"));
        assertTrue(all.readsObjectTags());
        assertEquals(Optional.of("{site}/{date}/*"), all.keyPattern());
    }

    @Test
    void customMetadataMistakesNameTheContextKey() {
        assertTrue(failure(map("customMetadata", "exif,gps")).getMessage()
                .contains("customMetadata: 'exif,gps' must be"));
        assertTrue(failure(map("customMetadata", "key")).getMessage().contains("keyPattern: is required"));
        assertTrue(failure(map("keyPattern", "{site}/*")).getMessage().contains("does not include key"));
        assertTrue(failure(map("customMetadata", "key", "keyPattern", "site/*")).getMessage()
                .contains("must name key segments"));
    }

    @Test
    void aSidecarFileIsAnS3JsonObjectAndNeedsTheSidecarSource() {
        StackSettings settings = parse(map("customMetadata", "sidecar,exif",
                "sidecarFile", "s3://datalake/projects/farm-animals/metadata.json"));
        assertEquals(Optional.of("s3://datalake/projects/farm-animals/metadata.json"), settings.sidecarFile());
        assertTrue(failure(map("customMetadata", "sidecar", "sidecarFile", "/home/me/metadata.json")).getMessage()
                .contains("sidecarFile: '/home/me/metadata.json' must be the s3:// URI of a .json object"));
        assertTrue(failure(map("sidecarFile", "s3://datalake/metadata.json")).getMessage()
                .contains("sidecarFile: is set but customMetadata does not include sidecar"));
    }
}
