package io.github.lightlys3ingest.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustPolicyTest {
    private static final String LIGHTLY = "arn:aws:iam::916419735646:root";

    private static String policy(String statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":" + statements + "}";
    }

    private static String statement(String action, String condition) {
        return "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + LIGHTLY + "\"},\"Action\":" + action
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    @Test
    void readsTheUrlEncodedDocumentIamReturns() {
        String json = policy("[" + statement("\"sts:AssumeRole\"",
                "{\"StringEquals\":{\"sts:ExternalId\":\"ext-id-12345\"}}") + "]");

        TrustPolicy trust = TrustPolicy.parse(URLEncoder.encode(json, StandardCharsets.UTF_8));

        assertEquals(TrustPolicy.ExternalIdRule.REQUIRED, trust.externalIdRule("ext-id-12345"));
        assertEquals(List.of(LIGHTLY), trust.principals());
    }

    @Test
    void aStatementWithoutTheConditionLetsAnyTrustedPrincipalIn() {
        TrustPolicy trust = TrustPolicy.parse(policy("[" + statement("\"sts:AssumeRole\"",
                "{\"StringEquals\":{\"sts:ExternalId\":\"ext-id-12345\"}}") + ","
                + statement("[\"sts:AssumeRole\"]", null) + "]"));

        assertEquals(TrustPolicy.ExternalIdRule.MISSING, trust.externalIdRule("ext-id-12345"));
    }

    @Test
    void anotherExternalIdIsDifferentAndAListOfValuesIsAccepted() {
        TrustPolicy trust = TrustPolicy.parse(policy(statement("\"sts:*\"",
                "{\"StringEquals\":{\"sts:externalid\":[\"first-id-123\",\"second-id-456\"]}}")));

        assertEquals(TrustPolicy.ExternalIdRule.REQUIRED, trust.externalIdRule("second-id-456"));
        assertEquals(TrustPolicy.ExternalIdRule.DIFFERENT, trust.externalIdRule("third-id-789"));
    }

    @Test
    void statementsThatDenyOrAllowOtherActionsDoNotCount() {
        TrustPolicy trust = TrustPolicy.parse(policy("[" + statement("\"sts:TagSession\"", null)
                + ",{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]"));

        assertEquals(List.of(), trust.statements());
        assertEquals(TrustPolicy.ExternalIdRule.MISSING, trust.externalIdRule("ext-id-12345"));
    }

    @Test
    void somethingThatIsNotJsonIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TrustPolicy.parse("{not json"));
    }
}
