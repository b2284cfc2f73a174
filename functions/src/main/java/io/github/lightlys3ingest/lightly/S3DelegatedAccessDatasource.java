package io.github.lightlys3ingest.lightly;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An S3 datasource Lightly reads (and, for LIGHTLY, writes) through a delegated-access IAM role: the body
 * of {@code PUT /v1/datasets/{datasetId}/datasource} ({@code DatasourceConfigS3DelegatedAccess}). The
 * constructor applies the API's rules, so a bad value fails here with a clear message instead of as a 400.
 *
 * @param purpose      INPUT for the images, LIGHTLY for the output datasource, or INPUT_OUTPUT for one datasource
 *                     doing both
 * @param fullPath     {@code s3://bucket/prefix/}
 * @param s3Region     the bucket's region, one of the API's {@code S3Region} values
 * @param s3ARN        the role Lightly assumes, {@code arn:aws:iam::<12 digits>:role/<name>}
 * @param s3ExternalId the role's external id: at least 10 of {@code a-zA-Z0-9_+=,.@:/-}
 * @param thumbSuffix  where thumbnails are, relative to the LIGHTLY datasource, such as
 *                     {@link #DEFAULT_THUMB_SUFFIX}; null means no thumbnails (Lightly shows the full image).
 *                     It is always sent, null included, so "no thumbnails" is explicit.
 */
@JsonPropertyOrder({"type", "purpose", "fullPath", "s3Region", "s3ARN", "s3ExternalId", "thumbSuffix"})
public record S3DelegatedAccessDatasource(DatasourcePurpose purpose, String fullPath, String s3Region,
                                          @JsonProperty("s3ARN") String s3ARN, String s3ExternalId,
                                          @JsonInclude(JsonInclude.Include.ALWAYS) String thumbSuffix) {

    /** The thumbnail template Lightly's tools use. */
    public static final String DEFAULT_THUMB_SUFFIX = ".lightly/thumbnails/[filename]_thumb.[extension]";

    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws:iam::[0-9]{12}:role.+$");
    private static final Pattern EXTERNAL_ID = Pattern.compile("^[a-zA-Z0-9_+=,.@:/-]+$");
    // bucket naming rules: 3-63 of lower-case letters, digits, dots and hyphens, starting and ending alphanumeric
    private static final Pattern S3_PATH = Pattern.compile("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$");
    // the API's S3Region enum
    private static final Set<String> REGIONS = Set.of("us-east-2", "us-east-1", "us-west-1", "us-west-2",
            "af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-south-1",
            "ap-northeast-3", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1",
            "ca-central-1", "cn-northwest-1", "eu-central-1", "eu-west-1", "eu-west-2", "eu-south-1", "eu-west-3",
            "eu-north-1", "eu-south-2", "eu-central-2", "me-south-1", "me-central-1", "sa-east-1", "us-gov-east",
            "us-gov-west");

    /** Applies the API's rules. */
    public S3DelegatedAccessDatasource {
        Objects.requireNonNull(purpose, "datasource purpose is missing");
        if (fullPath == null || !S3_PATH.matcher(fullPath).matches()) {
            throw new IllegalArgumentException(
                    "datasource path must look like s3://bucket/prefix/, got '" + fullPath + "'");
        }
        if (s3Region == null || !REGIONS.contains(s3Region)) {
            throw new IllegalArgumentException("S3 region '" + s3Region + "' is not one Lightly supports");
        }
        if (s3ARN == null || !ROLE_ARN.matcher(s3ARN).matches()) {
            throw new IllegalArgumentException(
                    "role ARN must look like arn:aws:iam::123456789012:role/Lightly-S3-Integration, got '" + s3ARN
                            + "'");
        }
        if (s3ExternalId == null || s3ExternalId.length() < 10 || !EXTERNAL_ID.matcher(s3ExternalId).matches()) {
            throw new IllegalArgumentException("external id must be at least 10 characters of a-z A-Z 0-9 _+=,.@:/-");
        }
        if (thumbSuffix != null && thumbSuffix.isBlank()) {
            throw new IllegalArgumentException("thumbnail suffix must be null (no thumbnails) or a template such as "
                    + DEFAULT_THUMB_SUFFIX);
        }
    }

    /** The datasource type the API dispatches on. */
    @JsonProperty("type")
    public String type() {
        return "S3DelegatedAccess";
    }
}
