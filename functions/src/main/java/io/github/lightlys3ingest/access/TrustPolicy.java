package io.github.lightlys3ingest.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A role's trust policy ({@code AssumeRolePolicyDocument}), read for what {@code verify} cares about: does
 * every statement that lets someone assume the role demand Lightly's external ID?
 *
 * @param statements the policy's statements that allow {@code sts:AssumeRole}
 */
public record TrustPolicy(List<JsonNode> statements) {

    /** How the policy treats the external ID. */
    public enum ExternalIdRule {
        /** Every allowing statement demands exactly the expected external ID (possibly among others). */
        REQUIRED,
        /**
         * Some allowing statement has no {@code sts:ExternalId} condition: anyone it trusts can assume the role
         * without one.
         */
        MISSING,
        /** Every allowing statement has the condition, but some do not accept the expected value. */
        DIFFERENT
    }

    public TrustPolicy {
        statements = List.copyOf(statements);
    }

    /**
     * Parses the document as IAM returns it: URL-encoded JSON (emulators may return plain JSON).
     *
     * @throws IllegalArgumentException when it is not a policy document
     */
    public static TrustPolicy parse(String document) {
        String json = document.stripLeading().startsWith("{") ? document
                : URLDecoder.decode(document, StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the trust policy is not JSON: " + e.getOriginalMessage());
        }
        List<JsonNode> allowing = new ArrayList<>();
        for (JsonNode statement : list(root.path("Statement"))) {
            if ("Allow".equals(statement.path("Effect").asText()) && allowsAssumeRole(statement.path("Action"))) {
                allowing.add(statement);
            }
        }
        return new TrustPolicy(allowing);
    }

    /**
     * Whether the policy makes callers present {@code externalId}. A policy with no allowing statement counts as
     * MISSING.
     */
    public ExternalIdRule externalIdRule(String externalId) {
        if (statements.isEmpty()) {
            return ExternalIdRule.MISSING;
        }
        ExternalIdRule rule = ExternalIdRule.REQUIRED;
        for (JsonNode statement : statements) {
            List<String> accepted = externalIds(statement.path("Condition"));
            if (accepted.isEmpty()) {
                return ExternalIdRule.MISSING;
            }
            if (!accepted.contains(externalId)) {
                rule = ExternalIdRule.DIFFERENT;
            }
        }
        return rule;
    }

    /** The principals the allowing statements name, such as {@code arn:aws:iam::916419735646:root}. */
    public List<String> principals() {
        List<String> principals = new ArrayList<>();
        for (JsonNode statement : statements) {
            JsonNode principal = statement.path("Principal");
            if (principal.isTextual()) {
                principals.add(principal.asText());
            }
            principal.fields().forEachRemaining(entry -> list(entry.getValue())
                    .forEach(p -> principals.add(p.asText())));
        }
        return principals;
    }

    private static boolean allowsAssumeRole(JsonNode action) {
        for (JsonNode a : list(action)) {
            String text = a.asText().toLowerCase(Locale.ROOT);
            if (text.equals("sts:assumerole") || text.equals("sts:*") || text.equals("*")) {
                return true;
            }
        }
        return false;
    }

    /** Values of {@code sts:ExternalId} under any condition operator (StringEquals, StringLike, ...). */
    private static List<String> externalIds(JsonNode condition) {
        List<String> values = new ArrayList<>();
        condition.fields().forEachRemaining(operator -> operator.getValue().fields().forEachRemaining(key -> {
            if (key.getKey().equalsIgnoreCase("sts:ExternalId")) {
                list(key.getValue()).forEach(v -> values.add(v.asText()));
            }
        }));
        return values;
    }

    /** IAM allows a single value or an array wherever a list is meant. */
    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else if (!node.isMissingNode() && !node.isNull()) {
            items.add(node);
        }
        return items;
    }
}
