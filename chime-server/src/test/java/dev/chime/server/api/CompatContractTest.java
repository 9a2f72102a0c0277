package dev.chime.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.Tenants;
import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The older schedulers' curl examples in docs/compat.md, run exactly as written (with bash and
 * curl) against a real node and a real HTTP target, on each database; only the addresses are the
 * test's. Each answer is checked as a user of the older API would read it, and through Chime's own
 * API that it is Chime's schedules and runs underneath.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CompatContractTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ChimeTestNode node;
  private TargetServer target;
  private volatile ChimeTestNode user;
  private volatile String token;
  private final Map<String, String> variables = new HashMap<>();

  abstract DatabaseSettings database();

  @BeforeAll
  void start() {
    target = new TargetServer();
    target.answer(r -> r.path().equals("/worker") ? Answer.status(202) : Answer.ok());
    node = ChimeTestNode.start(database(), Clock.systemUTC(), Map.of());
  }

  /** A tenant of its own for each test, as each user of the older APIs becomes one. */
  private void newTenant(String quotas) {
    String tenant = "compat-" + Long.toHexString(System.nanoTime());
    Tenants.create(node, tenant, quotas);
    token = Tenants.token(node, tenant, "admin");
    user = node.as(token);
  }

  @AfterAll
  void stop() {
    node.close();
    target.close();
  }

  @Test
  void theTimerPluginsExamplesWorkUnchanged() throws Exception {
    newTenant("{\"min_interval_s\":30}");
    List<String> lines = curlLines("## The timer plugin");
    assertThat(lines).hasSize(5);

    JsonNode created = json(run(lines.get(0)));
    String job = created.path("id").asText();
    assertThat(created.size()).isEqualTo(1);
    variables.put("JOB_ID", job);
    JsonNode schedule = user.get("/api/v1/schedules/" + job).json();
    assertThat(schedule.path("trigger").toString()).contains("\"seconds\":300");
    assertThat(schedule.path("labels").path("compat").asText()).isEqualTo("timer-scheduler");

    JsonNode list = json(run(lines.get(1)));
    assertThat(list.isArray()).isTrue();
    assertThat(list.get(0).path("id").asText()).isEqualTo(job);
    assertThat(list.get(0).path("name").asText()).isEqualTo("cache-warmer");
    assertThat(list.get(0).path("target_url").asText()).isEqualTo(target.url("/warm").toString());
    assertThat(list.get(0).path("method").asText()).isEqualTo("POST");
    assertThat(list.get(0).path("interval_secs").asLong()).isEqualTo(300);
    assertThat(list.get(0).path("enabled").asBoolean()).isTrue();

    JsonNode triggered = json(run(lines.get(2)));
    assertThat(triggered.path("id").asText()).isEqualTo(job);
    await().atMost(Duration.ofSeconds(10)).until(() -> !target.received("/warm").isEmpty());
    String runId = triggered.path("run_id").asText();
    await()
        .until(
            () -> user.get("/api/v1/runs/" + runId).json().path("status").asText(),
            "success"::equals);

    JsonNode missing = json(run(lines.get(3)));
    assertThat(missing.path("status").asInt()).isEqualTo(400);
    assertThat(missing.path("field").asText()).isEqualTo("interval_secs");

    assertThat(run(lines.get(4))).isEqualTo("ok");

    // the plugin's rules: below the tenant's minimum interval, over its enabled limit
    ChimeTestNode.Response tooOften =
        user.post(
            "/plugin-api/timer-scheduler/jobs",
            "{\"name\":\"too-often\",\"target_url\":\"http://127.0.0.1:9/x\",\"interval_secs\":5}");
    assertThat(tooOften.status()).isEqualTo(422);
    assertThat(tooOften.json().path("field").asText()).isEqualTo("interval_secs");
    assertThat(tooOften.json().path("limit").asText()).isEqualTo("min_interval_s");
  }

  @Test
  void theScheduledTasksExamplesWorkUnchanged() throws Exception {
    newTenant("{\"max_enabled_schedules\":2,\"min_interval_s\":30}");
    List<String> setup = curlLines("## User scheduled tasks");
    assertThat(setup).hasSize(7);
    // before the tenant has a target, a task has nowhere to go
    ChimeTestNode.Response nowhere =
        user.post("/scheduled-tasks", "{\"schedule_type\":\"interval\",\"schedule_expr\":\"60\"}");
    assertThat(nowhere.status()).isEqualTo(409);
    assertThat(nowhere.json().path("field").asText()).isEqualTo("target");

    JsonNode set = json(run(setup.get(0)));
    assertThat(set.path("target").path("url").asText())
        .isEqualTo(target.url("/executor").toString());
    assertThat(user.get("/api/v1/audit?action=scheduled-tasks-target.update").json().path("items"))
        .hasSize(1);

    JsonNode interval = json(run(setup.get(1)));
    String task = interval.path("task_id").asText();
    variables.put("TASK_ID", task);
    assertThat(interval.path("id").asText()).isEqualTo(task);
    assertThat(interval.path("schedule_expr").asText()).as("0 falls back to 60 s").isEqualTo("60");
    assertThat(interval.path("enabled").asBoolean()).isTrue();
    assertThat(interval.path("payload").toString()).isEqualTo("{\"report\":\"daily\"}");
    assertThat(interval.path("next_run_at").asText())
        .matches("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}");

    JsonNode once = json(run(setup.get(2)));
    assertThat(once.path("schedule_type").asText()).isEqualTo("once");
    assertThat(once.path("schedule_expr").asText()).isEqualTo("2031-12-01T09:00:00");
    assertThat(once.path("next_run_at").asText()).isEqualTo("2031-12-01T09:00:00");
    assertThat(
            user.get("/api/v1/schedules/" + once.path("id").asText())
                .json()
                .path("next_fire_at")
                .asText())
        .isEqualTo("2031-12-01T09:00:00Z");

    JsonNode list = json(run(setup.get(3)));
    assertThat(list).hasSize(2);
    assertThat(list.get(0).path("id").asText())
        .as("newest-updated first")
        .isEqualTo(once.path("id").asText());

    JsonNode replaced = json(run(setup.get(4)));
    assertThat(replaced.path("schedule_type").asText()).isEqualTo("cron");
    assertThat(replaced.path("timezone").asText()).isEqualTo("Europe/Berlin");
    assertThat(replaced.path("name").asText()).isEqualTo(interval.path("name").asText());
    assertThat(json(run(setup.get(3))).get(0).path("id").asText())
        .as("the task just replaced is now the newest-updated")
        .isEqualTo(task);

    // a run of the task, sent to the tenant's target with the task's payload
    user.post("/api/v1/schedules/" + task + "/run-now", "{}");
    await().atMost(Duration.ofSeconds(10)).until(() -> !target.received("/executor").isEmpty());
    assertThat(target.received("/executor").get(0).body()).isEqualTo("{\"report\":\"weekday\"}");
    await().until(() -> json(run(setup.get(5))).path(0).path("status").asText(), "success"::equals);
    JsonNode runs = json(run(setup.get(5)));
    assertThat(runs.get(0).path("task_id").asText()).isEqualTo(task);
    assertThat(runs.get(0).path("trace_id").asText()).hasSize(32);
    assertThat(runs.get(0).path("error").isNull()).isTrue();
    assertThat(runs.get(0).path("result").toString()).isEqualTo("{\"ok\":true}");

    assertThat(run(setup.get(6))).isEmpty();
    assertThat(user.get("/api/v1/schedules/" + task).status()).isEqualTo(404);

    // the rules: below the minimum; the per-user (tenant) limit of enabled tasks
    ChimeTestNode.Response tooOften =
        user.post("/scheduled-tasks", "{\"schedule_type\":\"interval\",\"schedule_expr\":\"5\"}");
    assertThat(tooOften.status()).isEqualTo(422);
    assertThat(tooOften.json().path("field").asText()).isEqualTo("schedule_expr");
    ChimeTestNode.Response second =
        user.post("/scheduled-tasks", "{\"schedule_type\":\"interval\",\"schedule_expr\":300}");
    assertThat(second.status()).isEqualTo(201);
    ChimeTestNode.Response overLimit =
        user.post("/scheduled-tasks", "{\"schedule_type\":\"interval\",\"schedule_expr\":300}");
    assertThat(overLimit.status()).as(overLimit.raw().body()).isEqualTo(422);
    assertThat(overLimit.json().path("limit").asText()).isEqualTo("max_enabled_schedules");
    assertThat(overLimit.json().path("field").asText()).isEqualTo("enabled");
  }

  @Test
  void theControlPlanesExamplesWorkUnchanged() throws Exception {
    newTenant("{}");
    List<String> lines = curlLines("## The control plane");
    assertThat(lines).hasSize(5);
    JsonNode schedule = json(run(lines.get(0)));
    variables.put("SCHEDULE_ID", schedule.path("id").asText());
    assertThat(schedule.path("target").path("body_format").asText()).isEqualTo("envelope");
    String runId = json(run(lines.get(1))).path("id").asText();
    variables.put("RUN_ID", runId);

    await().atMost(Duration.ofSeconds(10)).until(() -> !target.received("/worker").isEmpty());
    JsonNode envelope = MAPPER.readTree(target.received("/worker").get(0).body());
    assertThat(envelope.path("trigger_type").asText()).isEqualTo("manual");
    assertThat(envelope.path("schedule_id").asText()).isEqualTo(schedule.path("id").asText());
    assertThat(envelope.path("job_run_id").asText()).isEqualTo(runId);
    assertThat(envelope.path("attempt").asInt()).isEqualTo(1);
    assertThat(envelope.path("schedule_payload").toString()).isEqualTo("{\"export\":\"orders\"}");

    await().until(() -> json(run(lines.get(2))).path("http_status").asInt(), s -> s == 202);
    assertThat(json(run(lines.get(2))).path("status").asText()).isEqualTo("running");

    JsonNode reported = json(run(lines.get(3)));
    assertThat(reported.path("status").asText()).isEqualTo("failed");
    assertThat(reported.path("error_message").asText()).isEqualTo("disk full");
    assertThat(user.get("/api/v1/runs/" + runId).json().path("status").asText())
        .isEqualTo("failed");
    JsonNode again = json(run(lines.get(3)));
    assertThat(again.path("status").asInt()).as("a second report changes nothing").isEqualTo(409);
    assertThat(user.get("/api/v1/audit?action=run.complete").json().path("items")).hasSize(1);

    JsonNode retried = json(run(lines.get(4)));
    assertThat(retried.path("attempt").asInt()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> target.received("/worker").size() >= 2);
    assertThat(MAPPER.readTree(target.received("/worker").get(1).body()).path("attempt").asInt())
        .isEqualTo(2);
  }

  /** The curl commands of the section that starts with {@code heading}, in order. */
  private static List<String> curlLines(String heading) throws IOException {
    String doc = Files.readString(docs().resolve("compat.md"), StandardCharsets.UTF_8);
    int start = doc.indexOf(heading);
    assertThat(start).as(heading).isNotNegative();
    int end = doc.indexOf("\n## ", start + heading.length());
    String section = doc.substring(start, end < 0 ? doc.length() : end);
    List<String> lines = new ArrayList<>();
    boolean inShell = false;
    for (String line : section.split("\n")) {
      if (line.startsWith("```")) {
        inShell = line.equals("```sh");
      } else if (inShell && line.startsWith("curl ")) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static Path docs() {
    Path here = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(here.resolve("docs"))) {
      here = here.getParent();
    }
    return here.resolve("docs");
  }

  /** Runs a documented line with bash, the node and target at the documented addresses. */
  private String run(String line) throws IOException, InterruptedException {
    String command =
        line.replace("localhost:8080", "127.0.0.1:" + node.node().port())
            .replace("localhost:9000", "127.0.0.1:" + target.port());
    ProcessBuilder process = new ProcessBuilder("bash", "-c", command);
    process.environment().put("TOKEN", token);
    process.environment().putAll(variables);
    process.redirectErrorStream(true);
    Process running = process.start();
    byte[] out = running.getInputStream().readAllBytes();
    assertThat(running.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(running.exitValue()).as(line).isZero();
    return new String(out, StandardCharsets.UTF_8).trim();
  }

  private static JsonNode json(String text) throws IOException {
    return MAPPER.readTree(text);
  }
}
