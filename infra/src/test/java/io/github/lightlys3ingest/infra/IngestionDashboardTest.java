package io.github.lightlys3ingest.infra;

import io.github.lightlys3ingest.contract.StackOutput;
import static io.github.lightlys3ingest.infra.TemplateView.properties;
import static io.github.lightlys3ingest.infra.TemplateView.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard: which metrics each widget shows, read from the rendered dashboard body. */
@SuppressWarnings("unchecked")
class IngestionDashboardTest {

    private static final String FUNCTION = "${IngestionIngestFunction19855651}";
    private static TemplateView view;
    /** Widget title to its properties. */
    private static Map<String, Map<String, Object>> widgets;

    @BeforeAll
    static void readBody() throws Exception {
        view = EncryptedStacks.stackKey();
        var dashboards = view.resources("AWS::CloudWatch::Dashboard");
        assertEquals(1, dashboards.size());
        String body = render(properties(dashboards.values().iterator().next()).get("DashboardBody"));
        Map<String, Object> json = new ObjectMapper().readValue(body, Map.class);
        widgets = ((List<Map<String, Object>>) json.get("widgets")).stream()
                .map(widget -> (Map<String, Object>) widget.get("properties"))
                .filter(properties -> properties.containsKey("title"))
                .collect(Collectors.toMap(p -> (String) p.get("title"), p -> p));
    }

    /** A widget's metrics as "namespace/name dimension=value stat". */
    private static List<String> metrics(String title) {
        var widget = widgets.get(title);
        assertTrue(widget != null, "no widget " + title + " in " + widgets.keySet());
        List<String> rendered = new ArrayList<>();
        for (List<Object> metric : (List<List<Object>>) widget.get("metrics")) {
            var options = (Map<String, Object>) metric.get(metric.size() - 1);
            if (options.containsKey("expression")) {
                rendered.add((String) options.get("expression"));
                continue;
            }
            rendered.add(metric.get(0) + "/" + metric.get(1) + " " + metric.get(2) + "=" + metric.get(3) + " "
                    + options.get("stat"));
        }
        return rendered;
    }

    private static String emf(String name, String stat) {
        return "LightlyS3Ingest/" + name + " Function=" + FUNCTION + " " + stat;
    }

    @Test
    void isNamedAfterStackAndRegionAndItsAddressIsAnOutput() {
        var dashboard = properties(view.resources("AWS::CloudWatch::Dashboard").values().iterator().next());
        assertEquals("LightlyS3Ingest-${AWS::Region}", render(dashboard.get("DashboardName")));
        assertEquals("https://console.aws.amazon.com/cloudwatch/home?region=${AWS::Region}"
                + "#dashboards/dashboard/LightlyS3Ingest-${AWS::Region}", view.output(StackOutput.DASHBOARD_URL.key()));
        assertTrue(view.output(StackOutput.DASHBOARD_NAME.key()).startsWith("${Dashboard"));
    }

    @Test
    void outcomeCountsComeFromTheFunctionsEmbeddedMetrics() {
        List<String> expected = List.of(emf("Ingested", "Sum"), emf("Skipped", "Sum"), emf("Rejected", "Sum"),
                emf("Failed", "Sum"), emf("Superseded", "Sum"), emf("Removed", "Sum"));
        assertEquals(expected, metrics("Objects per 5 minutes"));
        assertEquals(expected, metrics("Objects in the selected time range"));
        assertEquals(true, widgets.get("Objects in the selected time range").get("setPeriodToTimeRange"));
    }

    @Test
    void rejectionsAreSearchedPerReasonOfThisFunctionOnly() {
        assertEquals(List.of("SEARCH('{LightlyS3Ingest,Function,Reason} MetricName=\"Rejected\" Function=\""
                + FUNCTION + "\"', 'Sum', 300)"), metrics("Rejected by reason"));
    }

    @Test
    void latencyShowsTheMedianAndTheTail() {
        assertEquals(List.of(emf("Latency", "p50"), emf("Latency", "p95"), emf("Latency", "p99")),
                metrics("Per-object latency (ms)"));
    }

    @Test
    void lightlyFailuresAndUnreadableEventsAreShown() {
        assertEquals(List.of(emf("LightlyFailures", "Sum"), emf("UnreadableEvents", "Sum")),
                metrics("Lightly request failures, unreadable events"));
    }

    @Test
    void queueGraphShowsDepthAndOldestAgeWithTheAlarmThreshold() {
        String queue = "QueueName=${IngestionQueue8DED9A6F.QueueName} Maximum";
        assertEquals(List.of("AWS/SQS/ApproximateNumberOfMessagesVisible " + queue,
                "AWS/SQS/ApproximateNumberOfMessagesNotVisible " + queue,
                "AWS/SQS/ApproximateAgeOfOldestMessage " + queue), metrics("Ingestion queue"));
        var annotations = (Map<String, Object>) widgets.get("Ingestion queue").get("annotations");
        var threshold = ((List<Map<String, Object>>) annotations.get("horizontal")).get(0);
        assertEquals(7200, ((Number) threshold.get("value")).intValue());
        assertEquals("right", threshold.get("yAxis"), "on the age axis");
        assertEquals(List.of("AWS/SQS/ApproximateNumberOfMessagesVisible "
                        + "QueueName=${IngestionDeadLetterQueueEB97306D.QueueName} Maximum"),
                metrics("Dead-letter queue"));
    }

    @Test
    void functionGraphShowsInvocationsErrorsThrottlesAndDuration() {
        String function = "FunctionName=" + FUNCTION;
        assertEquals(List.of("AWS/Lambda/Invocations " + function + " Sum", "AWS/Lambda/Errors " + function + " Sum",
                "AWS/Lambda/Throttles " + function + " Sum", "AWS/Lambda/Duration " + function + " p95"),
                metrics("Ingestion function"));
    }

    @Test
    void alarmWidgetShowsEveryAlarm() {
        List<String> shown = (List<String>) widgets.get("Alarms").get("alarms");
        List<String> alarms = view.resources("AWS::CloudWatch::Alarm").keySet().stream()
                .map(id -> "${" + id + ".Arn}").sorted().toList();
        assertEquals(alarms, shown.stream().sorted().toList());
        assertEquals(4, shown.size());
    }
}
