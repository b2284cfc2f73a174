package io.github.lightlys3ingest.access;

import io.github.lightlys3ingest.pipeline.OutputLayout;
import io.github.lightlys3ingest.storage.DatasourceUri;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 lights of one datasource, checked with whatever credentials the client has: List and Read for the
 * INPUT datasource; List, Write, Read, Overwrite and Delete for the LIGHTLY (output) datasource, using a
 * probe object under {@value #PROBE_FOLDER} that is removed again.
 */
public final class DatasourceChecks {
    /** Where the output checks write their probe, relative to the output root. */
    public static final String PROBE_FOLDER = ".lightly/verify/";
    /** Bytes the input Read check asks for: enough to prove access without downloading an image. */
    static final int READ_BYTES = 16;
    private static final int LIST_KEYS = 100;

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

    /** List and Read on the input: Read takes the first bytes of the first listed object (yellow when there is none). */
    public static List<Light> input(S3Client s3, DatasourceUri input) {
        DatasourceChecks checks = new DatasourceChecks(s3, input, "input");
        List<Light> lights = new ArrayList<>();
        Optional<String> sample;
        try {
            ListObjectsV2Response page = checks.listFirstPage();
            lights.add(Light.green("input", "List", describeListing(page)));
            sample = page.contents().stream().map(S3Object::key)
                    .filter(key -> !key.endsWith("/") && !OutputLayout.isLightlyOwned(key.substring(input.prefix().length())))
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
                    + key.substring(input.prefix().length())));
        } catch (SdkException e) {
            lights.add(Light.red("input", "Read", checks.reason(e, "s3:GetObject", objectArn(input))));
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
            put(s3, bucket, probe, first);
            lights.add(Light.green("output", "Write", "wrote " + probeName));
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
                    ? Light.green(subject, check, check.equals("Read") ? "read the probe back" : "replaced the probe and read the new content")
                    : Light.red(subject, check, "read back other content than was written: "
                            + (check.equals("Read") ? "is something rewriting objects?" : "the overwrite did not take effect"));
        } catch (SdkException e) {
            return Light.red(subject, check, reason(e, "s3:GetObject", objectArn(root)));
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
            return Light.yellow(subject, "Delete", "deleted, but could not confirm: " + reason(e, "s3:GetObject", objectArn(root)));
        } catch (SdkException e) {
            return Light.yellow(subject, "Delete", "deleted, but could not confirm: " + firstLine(e.getMessage()));
        }
    }

    /** One line saying why a call failed and, for a refusal, which permission on which resource is needed. */
    private String reason(SdkException e, String permission, String resource) {
        if (!(e instanceof S3Exception s3e) || s3e.awsErrorDetails() == null) {
            return firstLine(e.getMessage());
        }
        String code = s3e.awsErrorDetails().errorCode();
        if ("NoSuchBucket".equals(code)) {
            return "bucket " + root.bucket() + " does not exist";
        }
        if (s3e.statusCode() == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
            String region = s3e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region").orElse(null);
            return "bucket " + root.bucket() + " is in another region" + (region == null ? "" : " (" + region + ")")
                    + " than " + s3.serviceClientConfiguration().region() + ": set AWS_REGION";
        }
        if (s3e.statusCode() == 403) {
            return code + ": needs " + permission + " on " + resource;
        }
        return code + " (HTTP " + s3e.statusCode() + "): " + firstLine(s3e.awsErrorDetails().errorMessage());
    }

    private static void put(S3Client s3, String bucket, String key, String text) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/plain; charset=utf-8"),
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
