package io.github.lightlys3ingest.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.SingleValueWidget;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.constructs.Construct;

/**
 * The operator's dashboard: the outcome counts and per-object latency the ingestion function emits in
 * Embedded Metric Format, rejections by reason, Lightly request failures, and the queue, dead-letter queue
 * and function metrics of the services themselves, with the alarms' states on top.
 */
public final class IngestionDashboard extends Construct {

    /**
     * @param name                 dashboard name (dashboards are global to the account, so it includes the region)
     * @param pipeline             the ingestion pipeline
     * @param alarms               the alarms to show
     * @param maxMessageAgeSeconds the queue-age alarm's threshold, drawn on the queue-age graph
     */
    public record Props(String name, IngestionPipeline pipeline, List<IAlarm> alarms, int maxMessageAgeSeconds) {
    }

    /**
     * The functions' EMF namespace and metric names (functions module, {@code lambda.EmbeddedMetrics}). Every
     * metric carries the dimension {@code Function} (the function name); {@code Rejected} also comes per
     * {@code Reason}.
     */
    static final String NAMESPACE = "LightlyS3Ingest";
    static final String FUNCTION_DIMENSION = "Function";
    static final List<String> OUTCOMES = List.of("Ingested", "Skipped", "Rejected", "Failed", "Superseded", "Removed");
    static final String LATENCY = "Latency";
    static final List<String> LIGHTLY_PROBLEMS = List.of("LightlyFailures", "UnreadableEvents");
    static final Duration PERIOD = Duration.minutes(5);

    private final Dashboard dashboard;
    private final String name;

    public IngestionDashboard(Construct scope, String id, Props props) {
        super(scope, id);
        name = props.name();
        var pipeline = props.pipeline();
        var function = pipeline.function().function();
        String functionName = function.getFunctionName();

        TextWidget title = TextWidget.Builder.create()
                .markdown("## Lightly S3 ingest\nOutcomes per object (from the function's metrics), the queue and "
                        + "the dead-letter queue. Alarms, thresholds and what to do: docs/operations.md.")
                .width(8).height(4).build();
        AlarmStatusWidget alarmStates = AlarmStatusWidget.Builder.create()
                .title("Alarms").alarms(props.alarms()).width(16).height(4).build();

        List<IMetric> totals = OUTCOMES.stream().map(name -> (IMetric) emf(name, functionName, "Sum")).toList();
        SingleValueWidget totalsWidget = SingleValueWidget.Builder.create()
                .title("Objects in the selected time range").metrics(totals).setPeriodToTimeRange(true)
                .fullPrecision(true).width(24).height(4).build();

        GraphWidget outcomes = graph("Objects per 5 minutes", totals, 12);
        MathExpression byReason = MathExpression.Builder.create()
                .expression("SEARCH('{" + NAMESPACE + "," + FUNCTION_DIMENSION + ",Reason} MetricName=\"Rejected\" "
                        + FUNCTION_DIMENSION + "=\"" + functionName + "\"', 'Sum', " + PERIOD.toSeconds() + ")")
                // CloudWatch's dynamic label: one line per reason, named by it.
                .label("${PROP('Dim.Reason')}")
                .usingMetrics(Map.of())
                .period(PERIOD)
                .build();
        GraphWidget rejections = graph("Rejected by reason", List.of(byReason), 12);

        List<IMetric> latency = List.of("p50", "p95", "p99").stream()
                .map(p -> (IMetric) emf(LATENCY, functionName, p).with(MetricOptions.builder().label(LATENCY + " " + p)
                        .build()))
                .toList();
        GraphWidget latencyWidget = graph("Per-object latency (ms)", latency, 12);
        GraphWidget lightly = graph("Lightly request failures, unreadable events",
                LIGHTLY_PROBLEMS.stream().map(name -> (IMetric) emf(name, functionName, "Sum")).toList(), 12);

        GraphWidget queue = GraphWidget.Builder.create()
                .title("Ingestion queue")
                .left(List.of(
                        pipeline.queue().metricApproximateNumberOfMessagesVisible(options("Maximum", "waiting")),
                        pipeline.queue().metricApproximateNumberOfMessagesNotVisible(options("Maximum", "in flight"))))
                .right(List.of(pipeline.queue().metricApproximateAgeOfOldestMessage(
                        options("Maximum", "oldest message age (s)"))))
                .rightAnnotations(List.of(HorizontalAnnotation.builder()
                        .value(props.maxMessageAgeSeconds()).label("queue-age alarm").build()))
                .width(8).height(6).build();
        GraphWidget deadLetters = GraphWidget.Builder.create()
                .title("Dead-letter queue")
                .left(List.of(pipeline.deadLetterQueue().metricApproximateNumberOfMessagesVisible(
                        options("Maximum", "messages"))))
                .width(8).height(6).build();
        GraphWidget functionHealth = GraphWidget.Builder.create()
                .title("Ingestion function")
                .left(List.of(function.metricInvocations(options("Sum", "invocations")),
                        function.metricErrors(options("Sum", "errors")),
                        function.metricThrottles(options("Sum", "throttles"))))
                .right(List.of(function.metricDuration(options("p95", "duration p95 (ms)"))))
                .width(8).height(6).build();

        dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(props.name())
                .widgets(List.<List<IWidget>>of(
                        List.of(title, alarmStates),
                        List.of(totalsWidget),
                        List.of(outcomes, rejections),
                        List.of(latencyWidget, lightly),
                        List.of(queue, deadLetters, functionHealth)))
                .build();
    }

    private static MetricOptions options(String statistic, String label) {
        return MetricOptions.builder().period(PERIOD).statistic(statistic).label(label).build();
    }

    private static Metric emf(String name, String functionName, String statistic) {
        return Metric.Builder.create()
                .namespace(NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of(FUNCTION_DIMENSION, functionName))
                .statistic(statistic)
                .period(PERIOD)
                .build();
    }

    private static GraphWidget graph(String title, List<IMetric> metrics, int width) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(width).height(6).build();
    }

    /** The dashboard. */
    public Dashboard dashboard() {
        return dashboard;
    }

    /** Console address of the dashboard. */
    public String consoleUrl() {
        return "https://console.aws.amazon.com/cloudwatch/home?region=" + Aws.REGION + "#dashboards/dashboard/" + name;
    }
}
