package io.github.lightlys3ingest.access;

import io.github.lightlys3ingest.pipeline.OutputLayout;
import io.github.lightlys3ingest.storage.DatasourceUri;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The S3 lights of one datasource, checked with whatever credentials the client has: List and Read for the
 * INPUT datasource; List, Write, Read, Overwrite and Delete for the LIGHTLY (output) datasource, using a
 * probe object under {@value #PROBE_FOLDER} that is removed again. The Read and Write lights say how S3
 * encrypted the object (SSE-S3, or SSE-KMS and the key), so a green light under SSE-KMS shows that the
 * caller may use the key through S3; a refusal by KMS is a red light naming the KMS permission and the key.
 */
public final class DatasourceChecks {
    /** Where the output checks write their probe, relative to the output root. */
    public static final String PROBE_FOLDER = ".lightly/verify/";
    /** Bytes the input Read check asks for: enough to prove access without downloading an image. */
    static final int READ_BYTES = 16;
    private static final int LIST_KEYS = 100;
    private static final Pattern KMS_ACTION = Pattern.compile("kms:[A-Za-z*]+");
    private static final Pattern KMS_KEY_ARN =
            Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+");

    private final S3Client s3;
    private final DatasourceUri root;
    private final String subject;

    private DatasourceChecks(S3Client s3, DatasourceUri root, String subject) {
        if (!root.isS3()) {
            throw new IllegalArgumentException("'" + root + "' is not an S3 datasource (s3://bucket/prefix/)");
        }
        this.s3 = s3;
        this.root = root;
        this.subject = subject;
    }

    /**
     * List and Read on the input: Read takes the first bytes of the first listed object (yellow when there is
     * none).
     */
    public static List<Light> input(S3Client s3, DatasourceUri input) {
        DatasourceChecks checks = new DatasourceChecks(s3, input, "input");
        List<Light> lights = new ArrayList<>();
        Optional<String> sample;
        try {
            ListObjectsV2Response page = checks.listFirstPage();
            lights.add(Light.green("input", "List", describeListing(page)));
            sample = page.contents().stream().map(S3Object::key)
                    .filter(key -> OutputLayout.isInputName(key.substring(input.prefix().length())))
                    .findFirst();
            if (sample.isEmpty()) {
                lights.add(Light.yellow("input", "Read", "skipped: no object to read under " + input));
                return lights;
            }
        } catch (SdkException e) {
            lights.add(Light.red("input", "List", checks.reason(e, "s3:ListBucket", bucketArn(input))));
            lights.add(Light.yellow("input", "Read", "skipped: List failed, so there is no object to read"));
            return lights;
        }
        String key = sample.get();
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(input.bucket()).key(key)
                    .range("bytes=0-" + (READ_BYTES - 1)));
            lights.add(Light.green("input", "Read", "read the first " + bytes.asByteArray().length + " bytes of "
                    + key.substring(input.prefix().length())
                    + encryption(bytes.response().serverSideEncryption(), bytes.response().ssekmsKeyId())));
        } catch (SdkException e) {
            lights.add(Light.red("input", "Read", checks.reason(e, "s3:GetObject", objectArn(input), key)));
        }
        return lights;
    }

    /**
     * List, Write, Read, Overwrite and Delete on the output, in that order, with a probe object
     * {@code <output>.lightly/verify/probe-<uuid>.txt}; the probe is deleted whatever happens, and a
     * probe that could not be deleted is named in the Delete light.
     */
    public static List<Light> output(S3Client s3, DatasourceUri output) {
        DatasourceChecks checks = new DatasourceChecks(s3, output, "output");
        List<Light> lights = new ArrayList<>();
        String bucket = output.bucket();
        try {
            lights.add(Light.green("output", "List", describeListing(checks.listFirstPage())));
        } catch (SdkException e) {
            lights.add(Light.red("output", "List", checks.reason(e, "s3:ListBucket", bucketArn(output))));
        }
        String probe = output.prefix() + PROBE_FOLDER + "probe-" + UUID.randomUUID() + ".txt";
        String probeName = probe.substring(output.prefix().length());
        String first = probeText("written");
        try {
            PutObjectResponse written = put(s3, bucket, probe, first);
            lights.add(Light.green("output", "Write", "wrote " + probeName
                    + encryption(written.serverSideEncryption(), written.ssekmsKeyId())));
        } catch (SdkException e) {
            lights.add(Light.red("output", "Write", checks.reason(e, "s3:PutObject", objectArn(output))));
            String skipped = "skipped: Write failed, so there is no probe object";
            lights.add(Light.yellow("output", "Read", skipped));
            lights.add(Light.yellow("output", "Overwrite", skipped));
            lights.add(Light.yellow("output", "Delete", skipped));
            return lights;
        }
        lights.add(checks.readBack("Read", probe, first));
        String second = probeText("overwritten");
        try {
            put(s3, bucket, probe, second);
            lights.add(checks.readBack("Overwrite", probe, second));
        } catch (SdkException e) {
            lights.add(Light.red("output", "Overwrite", checks.reason(e, "s3:PutObject", objectArn(output))));
        }
        lights.add(checks.delete(probe));
        return lights;
    }

    private ListObjectsV2Response listFirstPage() {
        return s3.listObjectsV2(b -> b.bucket(root.bucket()).prefix(root.prefix()).maxKeys(LIST_KEYS));
    }

    private Light readBack(String check, String key, String expected) {
        try {
            String text = s3.getObjectAsBytes(b -> b.bucket(root.bucket()).key(key)).asUtf8String();
            return text.equals(expected)
                    ? Light.green(subject, check, check.equals("Read") ? "read the probe back"
                            : "replaced the probe and read the new content")
                    : Light.red(subject, check, "read back other content than was written: "
                            + (check.equals("Read") ? "is something rewriting objects?"
                                    : "the overwrite did not take effect"));
        } catch (SdkException e) {
            return Light.red(subject, check, reason(e, "s3:GetObject", objectArn(root), key));
        }
    }

    private Light delete(String key) {
        String where = "s3://" + root.bucket() + "/" + key;
        try {
            s3.deleteObject(b -> b.bucket(root.bucket()).key(key));
        } catch (SdkException e) {
            return Light.red(subject, "Delete", reason(e, "s3:DeleteObject", objectArn(root))
                    + "; the probe " + where + " is left behind: delete it by hand");
        }
        try {
            s3.headObject(b -> b.bucket(root.bucket()).key(key));
            return Light.red(subject, "Delete", "DeleteObject succeeded but " + where + " is still there");
        } catch (S3Exception e) {
            // 403 instead of 404 when the caller lacks s3:ListBucket: the object is gone all the same
            if (e.statusCode() == 404 || e.statusCode() == 403) {
                return Light.green(subject, "Delete", "removed the probe");
            }
            return Light.yellow(subject, "Delete",
                    "deleted, but could not confirm: " + reason(e, "s3:GetObject", objectArn(root)));
        } catch (SdkException e) {
            return Light.yellow(subject, "Delete", "deleted, but could not confirm: " + firstLine(e.getMessage()));
        }
    }

    /** " (SSE-KMS, key ...)" or " (SSE-S3)": how S3 encrypted the object, when it said so. */
    static String encryption(ServerSideEncryption sse, String kmsKeyId) {
        if (sse == null || sse == ServerSideEncryption.UNKNOWN_TO_SDK_VERSION) {
            return "";
        }
        if (sse == ServerSideEncryption.AES256) {
            return " (SSE-S3)";
        }
        String kind = sse == ServerSideEncryption.AWS_KMS ? "SSE-KMS" : sse.toString().toUpperCase(Locale.ROOT);
        return " (" + kind + ", key " + (kmsKeyId == null ? "not named by S3" : kmsKeyId) + ")";
    }

    /** One line saying why a call failed and, for a refusal, which permission on which resource is needed. */
    private String reason(SdkException e, String permission, String resource) {
        return reason(e, permission, resource, null);
    }

    /**
     * Like {@link #reason(SdkException, String, String)}; {@code key} names the object whose key a KMS refusal
     * of a read is looked up on (HeadObject needs no KMS permission), or is null.
     */
    private String reason(SdkException e, String permission, String resource, String key) {
        if (!(e instanceof S3Exception s3e) || s3e.awsErrorDetails() == null) {
            return firstLine(e.getMessage());
        }
        String code = s3e.awsErrorDetails().errorCode();
        Optional<String> kms = kmsRefusal(s3e, permission, key);
        if (kms.isPresent()) {
            return kms.get();
        }
        if ("NoSuchBucket".equals(code)) {
            return "bucket " + root.bucket() + " does not exist";
        }
        if (s3e.statusCode() == 301 || "PermanentRedirect".equals(code)
                || "AuthorizationHeaderMalformed".equals(code)) {
            String region = s3e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region")
                    .orElse(null);
            return "bucket " + root.bucket() + " is in another region" + (region == null ? "" : " (" + region + ")")
                    + " than " + s3.serviceClientConfiguration().region() + ": set AWS_REGION";
        }
        if (s3e.statusCode() == 403) {
            return code + ": needs " + permission + " on " + resource;
        }
        return code + " (HTTP " + s3e.statusCode() + "): " + firstLine(s3e.awsErrorDetails().errorMessage());
    }

    /**
     * When KMS, not S3, refused the call (S3 passes KMS's AccessDenied on as a 403 naming a {@code kms:} action
     * or the "ciphertext refers to a customer master key" message, and a disabled or missing key as
     * {@code KMS.*} errors): one line naming the KMS permission and the key.
     */
    private Optional<String> kmsRefusal(S3Exception e, String s3Permission, String objectKey) {
        String code = Objects.toString(e.awsErrorDetails().errorCode(), "");
        String message = Objects.toString(e.awsErrorDetails().errorMessage(), "");
        boolean kmsCode = code.startsWith("KMS.");
        boolean kmsDenied = e.statusCode() == 403 && (KMS_ACTION.matcher(message).find()
                || message.contains("customer master key") || message.contains("KMS"));
        if (!kmsCode && !kmsDenied) {
            return Optional.empty();
        }
        Matcher action = KMS_ACTION.matcher(message);
        String needed = action.find() ? action.group()
                : s3Permission.equals("s3:PutObject") ? "kms:GenerateDataKey" : "kms:Decrypt";
        Matcher arn = KMS_KEY_ARN.matcher(message);
        String keyArn = arn.find() ? arn.group() : objectKey == null ? null : keyOf(objectKey);
        String theKey = keyArn == null ? "the datasource's KMS key" : keyArn;
        if (kmsCode && !kmsDenied) {
            return Optional.of(code + ": KMS cannot use " + theKey + " (" + firstLine(message) + "); S3 needs the "
                    + "key enabled and in the bucket's region");
        }
        return Optional.of("KMS AccessDenied: needs " + needed + " on " + theKey + " through S3, in the caller's "
                + "IAM policy and in the key policy (see docs/operations.md)");
    }

    /** The KMS key of an object, from HeadObject, which needs no KMS permission; null when S3 does not say. */
    private String keyOf(String objectKey) {
        try {
            return s3.headObject(b -> b.bucket(root.bucket()).key(objectKey)).ssekmsKeyId();
        } catch (SdkException e) {
            return null;
        }
    }

    private static PutObjectResponse put(S3Client s3, String bucket, String key, String text) {
        return s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/plain; charset=utf-8"),
                RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    private static String probeText(String what) {
        return "lightly-s3-ingest verify probe, " + what + " at " + Instant.now() + "; safe to delete\n";
    }

    private static String describeListing(ListObjectsV2Response page) {
        int keys = page.contents().size();
        return keys == 0 ? "no objects (empty prefix)"
                : keys + (Boolean.TRUE.equals(page.isTruncated()) ? "+" : "") + " object" + (keys == 1 ? "" : "s");
    }

    private static String bucketArn(DatasourceUri uri) {
        return "arn:aws:s3:::" + uri.bucket();
    }

    private static String objectArn(DatasourceUri uri) {
        return "arn:aws:s3:::" + uri.bucket() + "/" + uri.prefix() + "*";
    }

    static String firstLine(String text) {
        if (text == null) {
            return "no message";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }
}
