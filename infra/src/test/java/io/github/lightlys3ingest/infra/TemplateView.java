package io.github.lightlys3ingest.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.assertions.Template;

/**
 * Read access to a synthesized template as plain Java maps, with intrinsic functions rendered as text
 * ({@code ${AWS::Partition}}, {@code ${LogicalId.Arn}}) so assertions can state ARNs and URIs literally.
 */
@SuppressWarnings("unchecked")
final class TemplateView {

    private final Map<String, Object> json;

    TemplateView(Template template) {
        this.json = (Map<String, Object>) template.toJSON();
    }

    Map<String, Map<String, Object>> resources() {
        return (Map<String, Map<String, Object>>) json.get("Resources");
    }

    /** Resources of one type, by logical id. */
    Map<String, Map<String, Object>> resources(String type) {
        return resources().entrySet().stream()
                .filter(e -> type.equals(e.getValue().get("Type")))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The resource with this logical id, or with this construct path followed by CDK's 8-digit hash. */
    Map<String, Object> resource(String logicalIdPrefix) {
        List<Map<String, Object>> found = resources().entrySet().stream()
                .filter(e -> e.getKey().equals(logicalIdPrefix) || e.getKey().matches(logicalIdPrefix + "[0-9A-F]{8}"))
                .map(Map.Entry::getValue)
                .toList();
        assertEquals(1, found.size(), "resources starting with " + logicalIdPrefix);
        return found.get(0);
    }

    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    /** The statements of the policy document under {@code documentKey} of the resource. */
    List<Map<String, Object>> statements(String logicalIdPrefix, String documentKey) {
        Map<String, Object> document = (Map<String, Object>) properties(resource(logicalIdPrefix)).get(documentKey);
        return (List<Map<String, Object>>) document.get("Statement");
    }

    Map<String, Map<String, Object>> outputs() {
        return (Map<String, Map<String, Object>>) json.getOrDefault("Outputs", Map.of());
    }

    String output(String key) {
        return render(outputs().get(key).get("Value"));
    }

    /** Statement actions as a list, whether the template holds one string or a list. */
    static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? (List<String>) list : List.of((String) action);
    }

    /** Renders Fn::Join, Ref and Fn::GetAtt as text; lists render element-wise, joined by {@code |}. */
    static String render(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TemplateView::render).collect(Collectors.joining("|"));
        }
        if (value instanceof Map<?, ?> map) {
            if (map.containsKey("Fn::Join")) {
                List<Object> join = (List<Object>) map.get("Fn::Join");
                List<String> parts = new ArrayList<>();
                for (Object part : (List<Object>) join.get(1)) {
                    parts.add(render(part));
                }
                return String.join((String) join.get(0), parts);
            }
            if (map.containsKey("Ref")) {
                return "${" + map.get("Ref") + "}";
            }
            if (map.containsKey("Fn::GetAtt")) {
                List<Object> getAtt = (List<Object>) map.get("Fn::GetAtt");
                return "${" + getAtt.get(0) + "." + getAtt.get(1) + "}";
            }
        }
        return String.valueOf(value);
    }
}
