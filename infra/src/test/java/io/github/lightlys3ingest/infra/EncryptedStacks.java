package io.github.lightlys3ingest.infra;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/** The stack shapes the KMS, alarm and dashboard tests share (each is synthesized once per test run). */
final class EncryptedStacks {

    static final String INPUT_KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String OUTPUT_KEY = "arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef";
    static final String EMAIL = "ops@example.com";

    private static final Map<Map<String, Object>, TemplateView> VIEWS = new HashMap<>();

    private EncryptedStacks() {
    }

    /** All defaults: buckets created with SSE-S3, no e-mail. */
    static TemplateView plain() {
        return view(Map.of());
    }

    /** Created buckets under a stack key, with an e-mail subscription and a two-hour queue-age threshold. */
    static TemplateView stackKey() {
        return view(stackKeyContext());
    }

    static Map<String, Object> stackKeyContext() {
        return Map.of("bucketEncryption", "kms", "alarmEmail", EMAIL, "maxMessageAgeSeconds", "7200");
    }

    /** One existing bucket whose input and output objects are encrypted with two given keys, and the IAM user. */
    static TemplateView givenKeys() {
        return view(givenKeysContext());
    }

    static Map<String, Object> givenKeysContext() {
        return Map.of("stackName", "Lake", "inputBucket", "datalake", "outputBucket", "datalake",
                "inputKmsKeyArn", INPUT_KEY, "outputKmsKeyArn", OUTPUT_KEY, "createIamUser", "true");
    }

    private static synchronized TemplateView view(Map<String, Object> overrides) {
        return VIEWS.computeIfAbsent(overrides, key -> new TemplateView(Template.fromStack(SynthFixture.stack(key))));
    }
}
