package io.github.lightlys3ingest.infra;

import static io.github.lightlys3ingest.infra.TemplateView.actions;
import static io.github.lightlys3ingest.infra.TemplateView.properties;
import static io.github.lightlys3ingest.infra.TemplateView.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lightlys3ingest.contract.StackOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * The security and wiring properties of the synthesized template, for the two shapes the stack is used in:
 * buckets created by the stack (all defaults), and one existing bucket holding both datasources (with
 * non-default settings and the optional IAM user).
 */
@SuppressWarnings("unchecked")
class IngestStackTest {

    @TempDir
    static Path dir;

    private static IngestStack createdStack;
    private static IngestStack existingStack;
    private static TemplateView created;
    private static TemplateView existing;

    @BeforeAll
    static void synthesize() {
        Path jar = SynthFixture.fakeJar(dir);
        createdStack = IngestApp.define(SynthFixture.app(dir.resolve("created"), SynthFixture.context(jar, Map.of())));
        existingStack = IngestApp.define(SynthFixture.app(dir.resolve("existing"),
                SynthFixture.context(jar, Map.ofEntries(
                Map.entry("stackName", "FarmIngest"),
                Map.entry("inputBucket", "datalake"),
                Map.entry("outputBucket", "datalake"),
                Map.entry("createIamUser", "true"),
                Map.entry("functionMemory", "2048"),
                Map.entry("functionTimeout", "60"),
                Map.entry("maxConcurrency", "4"),
                Map.entry("lightlyAccountId", "311530292373"),
                Map.entry("uploadMode", "metadata"),
                Map.entry("lightlyServerLocation", "https://api.example.test"),
                Map.entry("tagSchedule", "rate(1 hour)"),
                Map.entry("customMetadata", "key,user,tags,sidecar"),
                Map.entry("keyPattern", "{site}/{date}/{camera}/*")))));
        created = new TemplateView(Template.fromStack(createdStack));
        existing = new TemplateView(Template.fromStack(existingStack));
    }

    private static Map<String, Object> bySid(List<Map<String, Object>> statements, String sid) {
        return statements.stream().filter(s -> sid.equals(s.get("Sid"))).findFirst().orElseThrow();
    }

    private static Map<String, String> environment(TemplateView view, String functionPrefix) {
        var env = (Map<String, Object>) properties(view.resource(functionPrefix)).get("Environment");
        var variables = (Map<String, Object>) env.get("Variables");
        var rendered = new TreeMap<String, String>();
        variables.forEach((k, v) -> rendered.put(k, render(v)));
        return rendered;
    }

    // --- the role Lightly assumes ---

    @Test
    void lightlyRoleTrustsOnlyLightlysAccountRootAndRequiresTheExternalId() {
        var trust = created.statements("LightlyAccessRole", "AssumeRolePolicyDocument");
        assertEquals(1, trust.size());
        var statement = trust.get(0);
        assertEquals("Allow", statement.get("Effect"));
        assertEquals("sts:AssumeRole", statement.get("Action"));
        assertEquals("arn:${AWS::Partition}:iam::916419735646:root",
                render(((Map<String, Object>) statement.get("Principal")).get("AWS")));
        assertEquals(Map.of("StringEquals", Map.of("sts:ExternalId", SynthFixture.EXTERNAL_ID)),
                statement.get("Condition"));
    }

    @Test
    void lightlyAccountIdCanBeSetBackToTheAccountOfLightlysOlderDocumentation() {
        var statement = existing.statements("LightlyAccessRole", "AssumeRolePolicyDocument").get(0);
        assertEquals("arn:${AWS::Partition}:iam::311530292373:root",
                render(((Map<String, Object>) statement.get("Principal")).get("AWS")));
    }

    @Test
    void lightlyRoleHasItsNameTwelveHourSessionsAndOnlyTheDatasourcePolicy() {
        var role = properties(created.resource("LightlyAccessRole"));
        assertEquals("Lightly-S3-Integration", role.get("RoleName"));
        assertEquals(43200, ((Number) role.get("MaxSessionDuration")).intValue());
        assertEquals("${LightlyAccessDatasourcePolicy941ECC64}", render(role.get("ManagedPolicyArns")));
        assertNull(role.get("Policies"), "no inline policies besides the datasource policy");
    }

    @Test
    void datasourcePolicyGrantsExactlyPrefixScopedReadAndWrite() {
        var statements = existing.statements("LightlyAccessDatasourcePolicy", "PolicyDocument");
        assertEquals(4, statements.size());
        var readInput = bySid(statements, "ReadInputObjects");
        assertEquals(List.of("s3:GetObject"), actions(readInput));
        assertEquals("arn:${AWS::Partition}:s3:::datalake/projects/farm-animals/*", render(readInput.get("Resource")));
        var listInput = bySid(statements, "ListInputPrefix");
        assertEquals(List.of("s3:ListBucket"), actions(listInput));
        assertEquals("arn:${AWS::Partition}:s3:::datalake", render(listInput.get("Resource")));
        assertEquals(Map.of("StringLike", Map.of("s3:prefix", List.of("projects/farm-animals/*"))),
                listInput.get("Condition"));
        var writeOutput = bySid(statements, "ReadWriteOutputObjects");
        assertEquals(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), actions(writeOutput));
        assertEquals("arn:${AWS::Partition}:s3:::datalake/lightly/farm-animals/*", render(writeOutput.get("Resource")));
        var listOutput = bySid(statements, "ListOutputPrefix");
        assertEquals(Map.of("StringLike", Map.of("s3:prefix", List.of("lightly/farm-animals/*"))),
                listOutput.get("Condition"));
        statements.forEach(s -> assertEquals("Allow", s.get("Effect")));
    }

    @Test
    void datasourcePolicyOnCreatedBucketsPointsAtThoseBuckets() {
        var statements = created.statements("LightlyAccessDatasourcePolicy", "PolicyDocument");
        assertEquals("${BucketsInputDC6E7815.Arn}/projects/farm-animals/*",
                render(bySid(statements, "ReadInputObjects").get("Resource")));
        assertEquals("${BucketsOutput3C209D31.Arn}/lightly/farm-animals/*",
                render(bySid(statements, "ReadWriteOutputObjects").get("Resource")));
    }

    @Test
    void noIdentityPolicyAllowsAWildcardAction() {
        for (TemplateView view : List.of(created, existing)) {
            List<String> allowed = new ArrayList<>();
            view.resources().values().stream()
                    .filter(r -> Set.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy").contains(r.get("Type")))
                    .forEach(r -> ((List<Map<String, Object>>)
                            ((Map<String, Object>) properties(r).get("PolicyDocument")).get("Statement"))
                            .forEach(s -> allowed.addAll(actions(s))));
            assertFalse(allowed.isEmpty());
            allowed.forEach(action -> assertFalse(action.contains("*"), action));
        }
    }

    @Test
    void noIamUserUnlessAskedFor() {
        assertTrue(created.resources("AWS::IAM::User").isEmpty());
        assertTrue(created.resources("AWS::IAM::AccessKey").isEmpty());
    }

    @Test
    void optionalIamUserGetsTheSamePolicyAndItsKeyGoesOnlyToSecretsManager() {
        var user = properties(existing.resource("LightlyUser"));
        assertEquals("${LightlyAccessDatasourcePolicy941ECC64}", render(user.get("ManagedPolicyArns")));
        var secret = properties(existing.resource("LightlyUserAccessKeySecret"));
        assertTrue(render(secret.get("SecretString")).contains("${LightlyUserAccessKey84758DCD.SecretAccessKey}"));
        existing.outputs().forEach((key, out) ->
                assertFalse(render(out.get("Value")).contains("SecretAccessKey"), key));
        assertTrue(existing.output(StackOutput.USER_SECRET.key()).startsWith("${LightlyUserAccessKeySecret"));
    }

    // --- buckets ---

    @Test
    void createdBucketsArePrivateEncryptedOwnerEnforcedLoggedAndRetained() {
        for (String prefix : List.of("BucketsInput", "BucketsOutput")) {
            var bucket = created.resources().entrySet().stream()
                    .filter(e -> e.getKey().startsWith(prefix) && "AWS::S3::Bucket".equals(e.getValue().get("Type")))
                    .map(Map.Entry::getValue).findFirst().orElseThrow();
            assertEquals("Retain", bucket.get("DeletionPolicy"), prefix);
            var props = properties(bucket);
            assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                    "RestrictPublicBuckets", true), props.get("PublicAccessBlockConfiguration"), prefix);
            var encryption = (List<Map<String, Object>>) ((Map<String, Object>) props.get("BucketEncryption"))
                    .get("ServerSideEncryptionConfiguration");
            assertEquals(Map.of("SSEAlgorithm", "AES256"), encryption.get(0).get("ServerSideEncryptionByDefault"),
                    prefix);
            assertEquals(Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))),
                    props.get("OwnershipControls"), prefix);
            assertTrue(render(((Map<String, Object>) props.get("LoggingConfiguration")).get("DestinationBucketName"))
                    .startsWith("${BucketsAccessLogs"), prefix);
        }
    }

    @Test
    void createdBucketsDenyRequestsWithoutTls() {
        for (String prefix : List.of("BucketsInputPolicy", "BucketsOutputPolicy", "BucketsAccessLogsPolicy")) {
            var deny = created.statements(prefix, "PolicyDocument").stream()
                    .filter(s -> "Deny".equals(s.get("Effect"))).findFirst().orElseThrow();
            assertEquals("s3:*", deny.get("Action"), prefix);
            assertEquals(Map.of("Bool", Map.of("aws:SecureTransport", "false")), deny.get("Condition"), prefix);
        }
    }

    @Test
    void existingBucketGetsNoPolicyOrSettingsButTheTlsStatementIsOffered() {
        assertTrue(existing.resources("AWS::S3::Bucket").isEmpty());
        assertTrue(existing.resources("AWS::S3::BucketPolicy").isEmpty(), "never replace the owner's bucket policy");
        String statement = existing.output(StackOutput.TLS_STATEMENT.key());
        assertTrue(statement.contains("\"Effect\":\"Deny\""), statement);
        assertTrue(statement.contains("\"aws:SecureTransport\":\"false\""), statement);
        assertTrue(statement.contains("arn:${AWS::Partition}:s3:::datalake/*"), statement);
        assertFalse(created.outputs().containsKey(StackOutput.TLS_STATEMENT.key()));
    }

    @Test
    void notificationsFireOnlyForObjectsCreatedOrRemovedUnderTheInputPrefix() {
        for (TemplateView view : List.of(created, existing)) {
            var notifications = view.resources("Custom::S3BucketNotifications");
            assertEquals(1, notifications.size());
            var config = (Map<String, Object>) properties(notifications.values().iterator().next())
                    .get("NotificationConfiguration");
            assertEquals(Set.of("QueueConfigurations"), config.keySet());
            var queues = (List<Map<String, Object>>) config.get("QueueConfigurations");
            assertEquals(Set.of(List.of("s3:ObjectCreated:*"), List.of("s3:ObjectRemoved:Delete"),
                    List.of("s3:ObjectRemoved:DeleteMarkerCreated")),
                    queues.stream().map(q -> q.get("Events")).collect(java.util.stream.Collectors.toSet()));
            assertEquals(3, queues.size());
            for (Map<String, Object> queue : queues) {
                assertEquals(Map.of("Key", Map.of("FilterRules", List.of(Map.of("Name", "prefix",
                        "Value", "projects/farm-animals/")))), queue.get("Filter"));
                assertEquals("${IngestionQueue8DED9A6F.Arn}", render(queue.get("QueueArn")));
            }
        }
    }

    @Test
    void notificationsOnAnExistingBucketKeepTheOwnersOtherNotifications() {
        var props = properties(existing.resources("Custom::S3BucketNotifications").values().iterator().next());
        assertEquals(false, props.get("Managed"));
        assertEquals("datalake", props.get("BucketName"));
    }

    // --- queue, dead-letter queue, alarm ---

    @Test
    void ingestionQueueIsEncryptedOutlastsSixFunctionTimeoutsAndRedrivesAfterFiveReceives() {
        var queue = properties(created.resource("IngestionQueue8DED9A6F"));
        assertEquals(true, queue.get("SqsManagedSseEnabled"));
        assertTrue(((Number) queue.get("VisibilityTimeout")).intValue() >= 6 * 120);
        var redrive = (Map<String, Object>) queue.get("RedrivePolicy");
        assertEquals(5, ((Number) redrive.get("maxReceiveCount")).intValue());
        assertEquals("${IngestionDeadLetterQueueEB97306D.Arn}", render(redrive.get("deadLetterTargetArn")));
        var existingQueue = properties(existing.resource("IngestionQueue8DED9A6F"));
        assertTrue(((Number) existingQueue.get("VisibilityTimeout")).intValue() >= 6 * 60, "follows functionTimeout");
    }

    @Test
    void deadLetterQueueKeepsMessagesFourteenDays() {
        var dlq = properties(created.resource("IngestionDeadLetterQueueEB97306D"));
        assertEquals(1209600, ((Number) dlq.get("MessageRetentionPeriod")).intValue());
        assertEquals(true, dlq.get("SqsManagedSseEnabled"));
    }

    @Test
    void bothQueuesDenyRequestsWithoutTls() {
        for (String prefix : List.of("IngestionQueuePolicy", "IngestionDeadLetterQueuePolicy")) {
            var deny = created.statements(prefix, "PolicyDocument").stream()
                    .filter(s -> "Deny".equals(s.get("Effect"))).findFirst().orElseThrow();
            assertEquals(Map.of("Bool", Map.of("aws:SecureTransport", "false")), deny.get("Condition"), prefix);
        }
    }

    @Test
    void onlyTheInputBucketMaySendToTheIngestionQueue() {
        var allow = created.statements("IngestionQueuePolicy", "PolicyDocument").stream()
                .filter(s -> "Allow".equals(s.get("Effect"))).toList();
        assertEquals(1, allow.size());
        assertEquals(Map.of("Service", "s3.amazonaws.com"), allow.get(0).get("Principal"));
        assertEquals("${BucketsInputDC6E7815.Arn}",
                render(((Map<String, Object>) ((Map<String, Object>) allow.get(0).get("Condition")).get("ArnLike"))
                        .get("aws:SourceArn")));
    }

    @Test
    void alarmFiresWhenTheDeadLetterQueueHoldsAMessage() {
        var alarm = properties(created.resource("IngestionDeadLetterAlarm"));
        assertEquals("ApproximateNumberOfMessagesVisible", alarm.get("MetricName"));
        assertEquals("AWS/SQS", alarm.get("Namespace"));
        assertEquals("GreaterThanThreshold", alarm.get("ComparisonOperator"));
        assertEquals(0, ((Number) alarm.get("Threshold")).intValue());
        assertEquals("${IngestionDeadLetterQueueEB97306D.QueueName}",
                render(((List<Map<String, Object>>) alarm.get("Dimensions")).get(0).get("Value")));
    }

    // --- ingestion function ---

    @Test
    void ingestionFunctionRunsTheIngestHandlerOnJava21WithSnapStartAndSizedDefaults() {
        var fn = properties(created.resource("IngestionIngestFunction"));
        assertEquals("io.github.lightlys3ingest.lambda.IngestHandler::handleRequest", fn.get("Handler"));
        assertEquals("java21", fn.get("Runtime"));
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), fn.get("SnapStart"));
        assertEquals(1769, ((Number) fn.get("MemorySize")).intValue());
        assertEquals(120, ((Number) fn.get("Timeout")).intValue());
        var overridden = properties(existing.resource("IngestionIngestFunction"));
        assertEquals(2048, ((Number) overridden.get("MemorySize")).intValue());
        assertEquals(60, ((Number) overridden.get("Timeout")).intValue());
    }

    @Test
    void ingestionFunctionEnvironmentCarriesSettingsButNoSecretValue() {
        var env = environment(created, "IngestionIngestFunction");
        assertEquals("s3://${BucketsInputDC6E7815}/projects/farm-animals/", env.get("INPUT_URI"));
        assertEquals("s3://${BucketsOutput3C209D31}/lightly/farm-animals/", env.get("OUTPUT_URI"));
        assertEquals(SynthFixture.DATASET_ID, env.get("LIGHTLY_DATASET_ID"));
        assertEquals("lightly-s3-ingest/lightly-token", env.get("LIGHTLY_TOKEN_SECRET_ID"));
        assertEquals("thumbnails", env.get("UPLOAD_MODE"));
        assertEquals(".lightly/thumbnails/[filename]_thumb.[extension]", env.get("THUMB_SUFFIX"));
        assertEquals("128", env.get("THUMB_SIZE"));
        assertEquals("50000000", env.get("MAX_PIXELS"));
        assertEquals("268435456", env.get("MAX_OBJECT_BYTES"));
        assertEquals("240", env.get("CLAIM_LEASE_SECONDS"),
                "twice the function timeout, less than the visibility timeout");
        assertFalse(env.containsKey("LIGHTLY_SERVER_LOCATION"));
        assertFalse(env.containsKey("LIGHTLY_TOKEN"));
        var overridden = environment(existing, "IngestionIngestFunction");
        assertEquals("metadata", overridden.get("UPLOAD_MODE"));
        assertEquals("https://api.example.test", overridden.get("LIGHTLY_SERVER_LOCATION"));
        assertEquals("s3://datalake/projects/farm-animals/", overridden.get("INPUT_URI"));
        assertEquals("s3://datalake/lightly/farm-animals/", overridden.get("OUTPUT_URI"));
    }

    @Test
    void queueFeedsTheLiveAliasInBatchesWithPartialFailuresAndCappedConcurrency() {
        var alias = properties(created.resource("IngestionLive"));
        assertEquals("live", alias.get("Name"));
        assertTrue(render(alias.get("FunctionVersion")).startsWith("${IngestionIngestFunctionCurrentVersion"));
        var mappings = created.resources("AWS::Lambda::EventSourceMapping");
        assertEquals(1, mappings.size());
        var mapping = properties(mappings.values().iterator().next());
        assertTrue(render(mapping.get("FunctionName")).endsWith(":live"), render(mapping.get("FunctionName")));
        assertEquals("${IngestionQueue8DED9A6F.Arn}", render(mapping.get("EventSourceArn")));
        assertEquals(10, ((Number) mapping.get("BatchSize")).intValue());
        assertEquals(5, ((Number) mapping.get("MaximumBatchingWindowInSeconds")).intValue());
        assertEquals(List.of("ReportBatchItemFailures"), mapping.get("FunctionResponseTypes"));
        assertEquals(Map.of("MaximumConcurrency", 8), normalise(mapping.get("ScalingConfig")));
        var overridden = properties(existing.resources("AWS::Lambda::EventSourceMapping").values().iterator().next());
        assertEquals(Map.of("MaximumConcurrency", 4), normalise(overridden.get("ScalingConfig")));
    }

    private static Map<String, Integer> normalise(Object scaling) {
        var map = (Map<String, Object>) scaling;
        return Map.of("MaximumConcurrency", ((Number) map.get("MaximumConcurrency")).intValue());
    }

    @Test
    void ingestionRoleMayOnlyReadInputWriteOutputReadTheTokenConsumeTheQueueAndLog() {
        var statements = created.statements("IngestionIngestRoleDefaultPolicy", "PolicyDocument");
        Map<String, String> grants = new TreeMap<>();
        statements.forEach(s -> grants.put(String.join(",", new TreeSet<>(actions(s))), render(s.get("Resource"))));
        assertEquals(Map.of(
                "logs:CreateLogStream,logs:PutLogEvents", "${IngestionIngestLogs7A5B02E5.Arn}",
                "s3:GetObject", "${BucketsInputDC6E7815.Arn}/projects/farm-animals/*",
                "s3:DeleteObject,s3:GetObject,s3:PutObject", "${BucketsOutput3C209D31.Arn}/lightly/farm-animals/*",
                "s3:ListBucket", "${BucketsInputDC6E7815.Arn}|${BucketsOutput3C209D31.Arn}",
                "secretsmanager:DescribeSecret,secretsmanager:GetSecretValue",
                "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:"
                        + "lightly-s3-ingest/lightly-token-??????",
                "sqs:ChangeMessageVisibility,sqs:DeleteMessage,sqs:GetQueueAttributes,sqs:GetQueueUrl,"
                        + "sqs:ReceiveMessage",
                "${IngestionQueue8DED9A6F.Arn}"), grants);
        var role = properties(created.resource("IngestionIngestRole"));
        assertNull(role.get("ManagedPolicyArns"), "no AWS managed policy such as AWSLambdaBasicExecutionRole");
    }

    @Test
    void tagsAsCustomMetadataAddGetObjectTaggingOnTheInputPrefixOnly() {
        var statements = existing.statements("IngestionIngestRoleDefaultPolicy", "PolicyDocument");
        var tagging = statements.stream().filter(s -> actions(s).contains("s3:GetObjectTagging")).toList();
        assertEquals(1, tagging.size(), statements.toString());
        assertEquals(List.of("s3:GetObject", "s3:GetObjectTagging"), actions(tagging.get(0)));
        assertEquals("arn:${AWS::Partition}:s3:::datalake/projects/farm-animals/*",
                render(tagging.get(0).get("Resource")));
        var defaults = created.statements("IngestionIngestRoleDefaultPolicy", "PolicyDocument");
        assertTrue(defaults.stream().noneMatch(s -> actions(s).contains("s3:GetObjectTagging")),
                "without the tags source the function may not read tags");
    }

    @Test
    void aSidecarFileIsReadableByTheIngestionFunctionAndNothingBesideIt() {
        var view = new TemplateView(Template.fromStack(SynthFixture.stack(Map.of("customMetadata", "sidecar,exif",
                "sidecarFile", "s3://metadata-lake/coco/farm.json"))));
        var statements = view.statements("IngestionIngestRoleDefaultPolicy", "PolicyDocument");
        var sidecar = statements.stream()
                .filter(s -> render(s.get("Resource")).contains("metadata-lake")).toList();
        assertEquals(1, sidecar.size(), statements.toString());
        assertEquals(List.of("s3:GetObject"), actions(sidecar.get(0)));
        assertEquals("arn:${AWS::Partition}:s3:::metadata-lake/coco/farm.json", render(sidecar.get(0).get("Resource")));
        assertEquals("s3://metadata-lake/coco/farm.json",
                environment(view, "IngestionIngestFunction").get("SIDECAR_FILE"));
    }

    @Test
    void customMetadataSettingsReachTheIngestionFunctionAndTheOutputs() {
        assertEquals("exif", environment(created, "IngestionIngestFunction").get("CUSTOM_METADATA"));
        assertFalse(environment(created, "IngestionIngestFunction").containsKey("KEY_PATTERN"));
        var env = environment(existing, "IngestionIngestFunction");
        assertEquals("key,user,tags,sidecar", env.get("CUSTOM_METADATA"));
        assertEquals("{site}/{date}/{camera}/*", env.get("KEY_PATTERN"));
        var outputs = (Map<String, Object>) Template.fromStack(existingStack).toJSON().get("Outputs");
        assertEquals("key,user,tags,sidecar",
                render(((Map<String, Object>) outputs.get("CustomMetadata")).get("Value")));
        assertEquals("{site}/{date}/{camera}/*",
                render(((Map<String, Object>) outputs.get("KeyPattern")).get("Value")));
    }

    @Test
    void everyFunctionLogsToItsOwnLogGroupKeptOneMonth() {
        var groups = created.resources("AWS::Logs::LogGroup");
        assertEquals(3, groups.size());
        groups.values().forEach(g -> assertEquals(30, ((Number) properties(g).get("RetentionInDays")).intValue()));
        for (String fn : List.of("IngestionIngestFunction", "BackfillFunction", "TaggingTagFunction")) {
            var logging = (Map<String, Object>) properties(created.resource(fn)).get("LoggingConfig");
            assertTrue(render(logging.get("LogGroup")).startsWith("${"), fn);
        }
    }

    // --- tag schedule ---

    @Test
    void scheduleRunsTheTagHandlerWithLightlySettings() {
        var rule = properties(created.resource("TaggingSchedule"));
        assertEquals("rate(15 minutes)", rule.get("ScheduleExpression"));
        var targets = (List<Map<String, Object>>) rule.get("Targets");
        assertEquals(1, targets.size());
        assertEquals("${TaggingTagFunction3C094ECB.Arn}", render(targets.get(0).get("Arn")));
        assertEquals("rate(1 hour)", properties(existing.resource("TaggingSchedule")).get("ScheduleExpression"));
        var fn = properties(created.resource("TaggingTagFunction"));
        assertEquals("io.github.lightlys3ingest.lambda.TagHandler::handleRequest", fn.get("Handler"));
        var env = environment(created, "TaggingTagFunction");
        assertEquals(SynthFixture.DATASET_ID, env.get("LIGHTLY_DATASET_ID"));
        assertEquals("lightly-s3-ingest/lightly-token", env.get("LIGHTLY_TOKEN_SECRET_ID"));
        assertEquals("thumbnails", env.get("UPLOAD_MODE"));
        assertEquals("s3://datalake/projects/farm-animals/",
                environment(existing, "TaggingTagFunction").get("INPUT_URI"));
    }

    @Test
    void tagRoleMayOnlyReadTheTokenAndLog() {
        var statements = created.statements("TaggingTagRoleDefaultPolicy", "PolicyDocument");
        Set<String> all = new TreeSet<>();
        statements.forEach(s -> all.addAll(actions(s)));
        assertEquals(Set.of("logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue"), all);
    }

    // --- backfill ---

    @Test
    void createdOutputBucketExpiresIngestClaimsAfterThirtyDays() {
        var output = properties(created.resource("BucketsOutput"));
        var rules = (List<Map<String, Object>>) ((Map<String, Object>) output.get("LifecycleConfiguration"))
                .get("Rules");
        assertEquals(1, rules.size());
        assertEquals("lightly/farm-animals/.lightly/ingest/claims/", rules.get(0).get("Prefix"));
        assertEquals(30, ((Number) rules.get(0).get("ExpirationInDays")).intValue());
        assertEquals("Enabled", rules.get(0).get("Status"));
    }

    @Test
    void backfillFunctionHasAFixedNameFifteenMinutesAndTheQueueUrl() {
        var fn = properties(existing.resource("BackfillFunction"));
        assertEquals("io.github.lightlys3ingest.lambda.BackfillHandler::handleRequest", fn.get("Handler"));
        assertEquals("FarmIngest-backfill", fn.get("FunctionName"));
        assertEquals(900, ((Number) fn.get("Timeout")).intValue());
        var env = environment(existing, "BackfillFunction");
        assertEquals("${IngestionQueue8DED9A6F}", env.get("INGEST_QUEUE_URL"));
        assertEquals("s3://datalake/projects/farm-animals/", env.get("INPUT_URI"));
        assertEquals("s3://datalake/lightly/farm-animals/", env.get("OUTPUT_URI"));
        assertEquals(SynthFixture.DATASET_ID, env.get("LIGHTLY_DATASET_ID"), "records count only for this dataset");
    }

    @Test
    void backfillRoleMayListTheInputPrefixReadRecordsEnqueueAndInvokeOnlyItself() {
        var statements = existing.statements("BackfillRoleDefaultPolicy", "PolicyDocument");
        Map<String, String> grants = new TreeMap<>();
        statements.forEach(s -> grants.put(String.join(",", actions(s)), render(s.get("Resource"))));
        var existence = statements.stream()
                .filter(s -> actions(s).equals(List.of("s3:ListBucket")) && s.get("Condition") == null).toList();
        assertEquals(1, existence.size(), "one unconditioned ListBucket, so a missing record reads as 404");
        assertEquals("arn:${AWS::Partition}:s3:::datalake", render(existence.get(0).get("Resource")));
        statements = statements.stream().filter(s -> !existence.contains(s)).toList();
        grants.clear();
        statements.forEach(s -> grants.put(String.join(",", actions(s)), render(s.get("Resource"))));
        assertEquals(Map.of(
                "logs:CreateLogStream,logs:PutLogEvents", "${BackfillLogs9130DD8D.Arn}",
                "s3:ListBucket", "arn:${AWS::Partition}:s3:::datalake",
                "s3:GetObject", "arn:${AWS::Partition}:s3:::datalake/lightly/farm-animals/.lightly/ingest/records/*"
                        + "|arn:${AWS::Partition}:s3:::datalake/lightly/farm-animals/.lightly/ingest/rejected/*",
                "s3:PutObject,s3:DeleteObject",
                "arn:${AWS::Partition}:s3:::datalake/lightly/farm-animals/.lightly/ingest/backfill/*",
                "sqs:SendMessage", "${IngestionQueue8DED9A6F.Arn}",
                "lambda:InvokeFunction",
                "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:FarmIngest-backfill"), grants);
        assertEquals("Allow", properties(existing.resource("BackfillFunction")).get("RecursiveLoop"),
                "continuations may chain beyond Lambda's recursion limit");
        var list = statements.stream().filter(s -> actions(s).equals(List.of("s3:ListBucket"))).findFirst()
                .orElseThrow();
        assertEquals(Map.of("StringLike", Map.of("s3:prefix", List.of("projects/farm-animals/*"))),
                list.get("Condition"));
    }

    // --- outputs ---

    @Test
    void outputsNameEverythingConfigureLightlyAndOperatorsNeed() {
        assertEquals("${LightlyAccessRole86BBB3CE.Arn}", created.output(StackOutput.ROLE_ARN.key()));
        assertEquals("s3://datalake/projects/farm-animals/", existing.output(StackOutput.INPUT_URI.key()));
        assertEquals("s3://datalake/lightly/farm-animals/", existing.output(StackOutput.OUTPUT_URI.key()));
        assertEquals("${AWS::Region}", created.output(StackOutput.REGION.key()));
        assertEquals("${IngestionQueue8DED9A6F}", created.output(StackOutput.QUEUE_URL.key()));
        assertEquals("${IngestionDeadLetterQueueEB97306D}", created.output(StackOutput.DLQ_URL.key()));
        assertEquals("${IngestionIngestFunction19855651}", created.output(StackOutput.INGEST_FUNCTION.key()));
        assertTrue(created.output(StackOutput.BACKFILL_FUNCTION.key()).startsWith("${BackfillFunction"));
        assertTrue(created.output(StackOutput.TAG_FUNCTION.key()).startsWith("${TaggingTagFunction"));
        assertEquals(SynthFixture.DATASET_ID, created.output(StackOutput.DATASET_ID.key()));
        assertEquals("metadata", existing.output(StackOutput.UPLOAD_MODE.key()));
        assertEquals("java -jar functions/target/lightly-s3-ingest.jar configure-lightly --stack FarmIngest"
                + " --external-id <your external id>", existing.output(StackOutput.CONFIGURE_COMMAND.key()));
        assertEquals("aws lambda invoke --region ${AWS::Region} --function-name FarmIngest-backfill"
                        + " --invocation-type Event --cli-binary-format raw-in-base64-out --payload '{}' /dev/null",
                existing.output(StackOutput.BACKFILL_COMMAND.key()));
    }

    @Test
    void noOutputRevealsTheExternalId() {
        for (TemplateView view : List.of(created, existing)) {
            view.outputs().forEach((key, out) ->
                    assertFalse(render(out.get("Value")).contains(SynthFixture.EXTERNAL_ID), key));
        }
    }

    // --- cdk-nag ---

    @Test
    void cdkNagAwsSolutionsReportsNoUnsuppressedErrorsOrWarnings() {
        for (IngestStack stack : List.of(createdStack, existingStack)) {
            var annotations = Annotations.fromStack(stack);
            assertEquals(List.of(), describe(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))));
            assertEquals(List.of(), describe(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))));
        }
    }

    @Test
    void cdkNagStaysCleanWithKmsKeysAlarmEmailAndNoIdentityPolicyAllowsAWildcardAction() {
        for (var context : List.of(EncryptedStacks.stackKeyContext(), EncryptedStacks.givenKeysContext())) {
            var annotations = Annotations.fromStack(SynthFixture.stack(context));
            assertEquals(List.of(), describe(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))));
            assertEquals(List.of(), describe(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))));
        }
        for (TemplateView view : List.of(EncryptedStacks.stackKey(), EncryptedStacks.givenKeys())) {
            view.resources().values().stream()
                    .filter(r -> Set.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy").contains(r.get("Type")))
                    .flatMap(r -> ((List<Map<String, Object>>) ((Map<String, Object>) properties(r)
                            .get("PolicyDocument")).get("Statement")).stream())
                    .forEach(s -> actions(s).forEach(action -> assertFalse(action.contains("*"), action)));
        }
    }

    private static List<String> describe(List<SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).toList();
    }

    @Test
    void everyNagSuppressionCarriesASpecificReason() {
        for (TemplateView view : List.of(created, existing)) {
            int suppressions = 0;
            for (var resource : view.resources().values()) {
                var metadata = (Map<String, Object>) resource.get("Metadata");
                var nag = metadata == null ? null : (Map<String, Object>) metadata.get("cdk_nag");
                if (nag == null) {
                    continue;
                }
                for (var rule : (List<Map<String, Object>>) nag.get("rules_to_suppress")) {
                    suppressions++;
                    assertTrue(((String) rule.get("reason")).length() >= 60, rule.toString());
                }
            }
            assertTrue(suppressions > 0);
        }
    }
}
