package io.github.lightlys3ingest.access;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IAM role ARN such as {@code arn:aws:iam::123456789012:role/Lightly-S3-Integration}, possibly with a
 * path ({@code role/team/Name}).
 *
 * @param arn the ARN as given
 */
public record RoleArn(String arn) {

    private static final Pattern ROLE =
            Pattern.compile("^arn:aws[a-z-]*:iam::([0-9]{12}):role/(?:[^/]+/)*([\\w+=,.@-]{1,64})$");

    /** @throws IllegalArgumentException when the text is not a role ARN */
    public RoleArn {
        if (arn == null || !ROLE.matcher(arn).matches()) {
            throw new IllegalArgumentException(
                    "role ARN must look like arn:aws:iam::123456789012:role/Lightly-S3-Integration, got '" + arn + "'");
        }
    }

    /** The role's name without its path, as IAM GetRole wants it. */
    public String name() {
        return matcher().group(2);
    }

    /** The account the role belongs to. */
    public String accountId() {
        return matcher().group(1);
    }

    private Matcher matcher() {
        Matcher matcher = ROLE.matcher(arn);
        if (!matcher.matches()) {
            throw new IllegalStateException("validated in the constructor");
        }
        return matcher;
    }

    @Override
    public String toString() {
        return arn;
    }
}
